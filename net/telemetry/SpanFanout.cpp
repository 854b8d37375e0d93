// SpanFanout: the first sink unlocked, attached sinks under a reader lock so remove() can wait them out.
#include "net/telemetry/SpanFanout.h"

#include "net/telemetry/SpanStore.h"

#include <algorithm>
#include <mutex>

namespace dd::net {

void SpanFanout::record(const Span &span)
{
    if (m_first)
        m_first->record(span);
    // A span racing an add() may miss the new sink: add() only promises later spans.
    if (m_attachedCount.load(std::memory_order_acquire) == 0)
        return;
    std::shared_lock lock(m_mutex);
    for (SpanSink *sink : m_attached)
        sink->record(span);
}

void SpanFanout::add(SpanSink *sink)
{
    if (!sink)
        return;
    std::unique_lock lock(m_mutex);
    if (std::find(m_attached.begin(), m_attached.end(), sink) != m_attached.end())
        return;
    m_attached.push_back(sink);
    m_attachedCount.store(int(m_attached.size()), std::memory_order_release);
}

void SpanFanout::remove(SpanSink *sink)
{
    // The exclusive lock waits for every record() holding the shared one: after it,
    // nobody can still be calling into `sink`.
    std::unique_lock lock(m_mutex);
    m_attached.erase(std::remove(m_attached.begin(), m_attached.end(), sink), m_attached.end());
    m_attachedCount.store(int(m_attached.size()), std::memory_order_release);
}

SpanFanout &SpanFanout::global()
{
    static SpanFanout *const fanout = new SpanFanout(&SpanStore::global());
    return *fanout;
}

} // namespace dd::net
