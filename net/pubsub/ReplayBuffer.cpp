// ReplayBuffer: a bounded, sequence-ordered event log.
#include "net/pubsub/ReplayBuffer.h"

#include <algorithm>

namespace dd::net {

ReplayBuffer::ReplayBuffer(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 1)) {}

void ReplayBuffer::append(StoredEvent event)
{
    std::lock_guard lock(m_mutex);
    m_events.push_back(std::move(event));
    while (m_events.size() > m_capacity)
        m_events.pop_front();
}

std::vector<StoredEvent> ReplayBuffer::since(std::uint64_t from, const std::string &topicPrefix,
                                             std::size_t max) const
{
    std::lock_guard lock(m_mutex);
    std::vector<StoredEvent> out;
    auto it = std::lower_bound(m_events.begin(), m_events.end(), from,
                               [](const StoredEvent &e, std::uint64_t seq) { return e.sequence < seq; });
    for (; it != m_events.end() && out.size() < max; ++it)
        if (it->topic.compare(0, topicPrefix.size(), topicPrefix) == 0)
            out.push_back(*it);
    return out;
}

std::uint64_t ReplayBuffer::firstSequence() const
{
    std::lock_guard lock(m_mutex);
    return m_events.empty() ? 0 : m_events.front().sequence;
}

std::uint64_t ReplayBuffer::lastSequence() const
{
    std::lock_guard lock(m_mutex);
    return m_events.empty() ? 0 : m_events.back().sequence;
}

std::size_t ReplayBuffer::size() const
{
    std::lock_guard lock(m_mutex);
    return m_events.size();
}

} // namespace dd::net
