// Heartbeat bookkeeping per peer.
#include "net/resilience/LivenessTracker.h"

#include <algorithm>

namespace dd::net {

LivenessTracker::LivenessTracker(const Clock &clock, Micros interval, int missedLimit)
    : m_clock(clock)
    , m_interval(std::max<Micros>(1, interval))
    , m_deadAfter(m_interval * std::max(1, missedLimit))
{
}

void LivenessTracker::heard(const std::string &peer)
{
    Peer &p = m_peers[peer];
    p.lastHeard = m_clock.now();
    p.reportedDead = false;
}

bool LivenessTracker::alive(const std::string &peer) const
{
    const auto it = m_peers.find(peer);
    return it != m_peers.end() && m_clock.now() - it->second.lastHeard < m_deadAfter;
}

std::vector<std::string> LivenessTracker::expire()
{
    const Micros now = m_clock.now();
    std::vector<std::string> dead;
    for (auto &[name, p] : m_peers) {
        if (!p.reportedDead && now - p.lastHeard >= m_deadAfter) {
            p.reportedDead = true;
            dead.push_back(name);
        }
    }
    // Hash order is arbitrary; sorted output keeps logs and tests stable.
    std::sort(dead.begin(), dead.end());
    return dead;
}

void LivenessTracker::forget(const std::string &peer)
{
    m_peers.erase(peer);
}

std::vector<std::string> LivenessTracker::peers() const
{
    std::vector<std::string> names;
    names.reserve(m_peers.size());
    for (const auto &entry : m_peers)
        names.push_back(entry.first);
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace dd::net
