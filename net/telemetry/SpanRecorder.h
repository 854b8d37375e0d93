// The one place a Span is assembled from what a hop knows, then handed to its sink.
#pragma once

#include "net/telemetry/SpanStore.h"
#include "net/telemetry/TraceContext.h"

#include <string_view>

namespace dd::net {

/// How a span ended; the ids come from the TraceContext given beside it.
struct SpanEnd
{
    SpanKind kind = SpanKind::Internal;
    Micros start = 0;
    Micros duration = 0;
    std::int32_t status = 0;       ///< 0 ok, else the mesh's StatusCode
    std::uint32_t attempt = 1;
    std::uint16_t httpStatus = 0;  ///< HTTP server spans only
};

/// Copied by value into RpcClient, RpcServer and HttpReply: formats the recording
/// service's name once, so record() is a few stores and a memcpy (no allocation).
class SpanRecorder
{
public:
    using Name = char[sizeof(Span::nameBuf)];

    /// Records nothing: for a hop with spans turned off.
    SpanRecorder() = default;
    /// `sink` null records nothing; `service` (the recording one) is truncated to fit a Span.
    SpanRecorder(SpanSink *sink, std::string_view service);

    bool enabled() const { return m_sink != nullptr; }

    /// `name` is a NUL-padded Name formatted once with formatName() (null: no name).
    void record(const TraceContext &span, std::uint64_t parentSpanId, const char *name, const SpanEnd &end) const;

    /// Truncated like Span::setName (whole UTF-8 characters), padded with NULs.
    static void formatName(Name &out, std::string_view name);

private:
    SpanSink *m_sink = nullptr;
    char m_service[sizeof(Span::serviceBuf)] = {};
};

} // namespace dd::net
