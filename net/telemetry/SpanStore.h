// In-memory span store: per-thread rings written without contention, queried by trace id.
#pragma once

#include "net/resilience/Clock.h"
#include "net/telemetry/SpanSink.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dd::net {

enum class SpanKind : std::uint8_t { Client, Server, Internal, Producer, Consumer };

/// "client", "server", "internal", "producer", "consumer" (OpenTelemetry names).
const char *toString(SpanKind kind);

/// One hop or step of a trace. Fixed-size and trivially copyable so recording is a
/// memcpy into a ring slot, never an allocation. Create it as `Span span{};` (the
/// struct is deliberately left without member initialisers so a ring of them costs
/// no memory until written). The text arrays are nameBuf/serviceBuf because name()
/// and service() are the accessors.
struct Span
{
    std::uint64_t traceIdHi, traceIdLo, spanId, parentSpanId; // parentSpanId 0: a root
    char nameBuf[48];                                          // NUL-terminated
    char serviceBuf[24];                                       // NUL-terminated
    SpanKind kind;
    std::uint16_t httpStatus; // HTTP server spans: the response status; 0 on RPC spans
    Micros start;
    Micros duration;
    std::int32_t status; // 0 ok, else an error code
    std::uint32_t attempt;

    /// Truncated to fit (whole UTF-8 characters only), always NUL-terminated.
    void setName(std::string_view name);
    void setService(std::string_view service);
    std::string_view name() const;
    std::string_view service() const;
};
static_assert(std::is_trivially_copyable_v<Span> && std::is_trivially_default_constructible_v<Span>);

class SpanStore final : public SpanSink
{
public:
    /// Each recording thread gets its own ring of capacityPerThread spans (at least 1);
    /// when full, a thread's oldest spans are overwritten.
    /// The process-wide store's ring per recording thread: 8,192 spans (1.1 MiB, filled
    /// as spans arrive), still minutes of workflow traces at demo rates, and bounded for
    /// a console that hosts a dozen service threads within its 300 MB.
    static constexpr std::size_t kGlobalCapacityPerThread = 8192;

    explicit SpanStore(std::size_t capacityPerThread = 65536);
    ~SpanStore() override;
    SpanStore(const SpanStore &) = delete;
    SpanStore &operator=(const SpanStore &) = delete;

    /// Locks only the calling thread's own ring (so the lock is uncontended unless a
    /// query is reading it); allocates only on a thread's first record into this store.
    void record(const Span &span) override;

    /// Every retained span of the trace, from all threads, sorted by start.
    std::vector<Span> trace(std::uint64_t traceIdHi, std::uint64_t traceIdLo) const;
    /// The `max` most recently finished (start + duration) retained spans, newest first.
    std::vector<Span> recent(std::size_t max) const;
    /// Spans recorded since construction or the last clear(), overwritten ones included.
    std::uint64_t recorded() const;
    /// Forgets every span; the threads' rings are kept for reuse.
    void clear();

    std::size_t capacityPerThread() const { return m_capacity; }

    /// The store of the whole process; never destroyed, so threads still recording at
    /// exit cannot touch a dead object.
    static SpanStore &global();

private:
    struct Shard;
    Shard &localShard();
    Shard &shardForThisThread();

    // Unique for the process's lifetime (never reused, unlike an address), so a thread's
    // cached shard pointer can never be mistaken for one of a later store.
    const std::uint64_t m_id;
    const std::size_t m_capacity;
    mutable std::mutex m_shardsMutex;
    std::vector<std::unique_ptr<Shard>> m_shards;
};

} // namespace dd::net
