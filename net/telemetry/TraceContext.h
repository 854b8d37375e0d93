// W3C Trace Context (traceparent) ids carried in every envelope to link spans across hops.
#pragma once

#include "net/resilience/Random.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dd::net {

/// https://www.w3.org/TR/trace-context/ — version 00 only.
struct TraceContext
{
    static constexpr std::size_t kTraceparentSize = 55; // "00-" 32 "-" 16 "-" 2
    static constexpr std::uint8_t kSampled = 0x01;

    std::uint64_t traceIdHi = 0, traceIdLo = 0;
    std::uint64_t spanId = 0;
    std::uint8_t flags = kSampled;

    /// Both ids non-zero, as W3C requires.
    bool valid() const { return (traceIdHi | traceIdLo) != 0 && spanId != 0; }

    /// A new trace (sampled) with its first span.
    static TraceContext newRoot(Random &random);
    /// Same trace and flags, a new span id: the context a callee or sub-step runs in.
    TraceContext child(Random &random) const;

    /// "00-<32 hex>-<16 hex>-<2 hex>", lower case.
    std::string traceparent() const;
    /// The same text written into out[0..55) without allocating (no terminator).
    void writeTraceparent(char *out) const;
    /// Strict: version 00, exact length, lower-case hex, '-' separators, non-zero ids.
    static std::optional<TraceContext> parse(std::string_view traceparent);

    /// 32 lower-case hex digits.
    std::string traceIdHex() const;
    /// 32 hex digits of a non-zero trace id. Upper case is accepted too, because these
    /// ids are also typed or pasted by people (console search, HTTP queries).
    static std::optional<std::pair<std::uint64_t, std::uint64_t>> parseTraceId(std::string_view hex32);

    friend bool operator==(const TraceContext &, const TraceContext &) = default;
};

} // namespace dd::net
