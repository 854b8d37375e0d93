// Heartbeat liveness of peers (zguide Paranoid Pirate): dead after N missed intervals.
#pragma once

#include "net/resilience/Clock.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace dd::net {

/// Tracks when each peer was last heard from (a heartbeat or any message).
/// Defaults from DESIGN §3: 1 s interval, dead after 3 missed.
/// Not thread-safe: one instance per service loop.
class LivenessTracker
{
public:
    explicit LivenessTracker(const Clock &clock, Micros interval = 1 * kSeconds, int missedLimit = 3);

    /// Records a sign of life; a peer reported dead becomes alive (and reportable) again.
    void heard(const std::string &peer);
    /// True when the peer was heard less than interval * missedLimit ago; at exactly
    /// that age missedLimit heartbeats have been missed and it counts as dead.
    /// Unknown peers are not alive.
    bool alive(const std::string &peer) const;
    /// Peers that have become dead since the last call, sorted; each is reported once
    /// until it is heard again. Dead peers stay known (see forget()).
    std::vector<std::string> expire();
    /// Drops a peer entirely, e.g. once its instance has been removed from the pool.
    void forget(const std::string &peer);

    Micros interval() const { return m_interval; }
    /// Every known peer, alive or dead, sorted.
    std::vector<std::string> peers() const;

private:
    struct Peer
    {
        Micros lastHeard = 0;
        bool reportedDead = false;
    };

    const Clock &m_clock;
    Micros m_interval;
    Micros m_deadAfter;
    std::unordered_map<std::string, Peer> m_peers;
};

} // namespace dd::net
