// The last N events of a lossless publisher, kept so subscribers can fill gaps (zguide Clone).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace dd::net {

struct StoredEvent
{
    std::uint64_t sequence = 0;
    std::string topic;
    std::string envelope; ///< serialised Envelope
    std::string payload;
};

/// Thread-safe: the publisher appends on its thread, replays are served on another.
class ReplayBuffer
{
public:
    explicit ReplayBuffer(std::size_t capacity = 100000);

    void append(StoredEvent event);
    /// Events with sequence >= from whose topic starts with prefix, at most max.
    std::vector<StoredEvent> since(std::uint64_t from, const std::string &topicPrefix, std::size_t max) const;
    std::uint64_t firstSequence() const;
    std::uint64_t lastSequence() const;
    std::size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::size_t m_capacity;
    std::deque<StoredEvent> m_events;
};

} // namespace dd::net
