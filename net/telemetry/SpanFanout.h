// One sink that hands each span to several: the process's SpanStore always, exporters while they are attached.
#pragma once

#include "net/telemetry/SpanSink.h"

#include <atomic>
#include <shared_mutex>
#include <vector>

namespace dd::net {

/// The first sink is fixed for the fan-out's lifetime; the others come and go. While none
/// is attached a record costs the first sink's record and one atomic load, so the
/// process-wide store's path stays as cheap as before exporters existed.
class SpanFanout final : public SpanSink
{
public:
    /// `first` (may be null) must outlive the fan-out.
    explicit SpanFanout(SpanSink *first = nullptr) : m_first(first) {}
    SpanFanout(const SpanFanout &) = delete;
    SpanFanout &operator=(const SpanFanout &) = delete;

    void record(const Span &span) override;

    /// Thread-safe. The sink gets every span recorded after add() returns.
    void add(SpanSink *sink);
    /// Thread-safe. Once it returns no thread is inside, or will enter, sink->record().
    void remove(SpanSink *sink);
    std::size_t attached() const { return std::size_t(m_attachedCount.load(std::memory_order_acquire)); }

    /// The sink RpcClient, RpcServer and the HTTP gateway record into by default:
    /// SpanStore::global() first (the console's waterfalls, /api traces), then whatever
    /// the process attaches (the OTLP exporter). Never destroyed, like the store.
    static SpanFanout &global();

private:
    SpanSink *const m_first;
    std::atomic<int> m_attachedCount{0};
    mutable std::shared_mutex m_mutex; // shared while recording, exclusive while (de)attaching
    std::vector<SpanSink *> m_attached;
};

} // namespace dd::net
