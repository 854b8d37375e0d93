// The instances of one callee as a caller sees them: a socket, breaker, load and liveness each.
#pragma once

#include "net/resilience/CircuitBreaker.h"
#include "net/resilience/LivenessTracker.h"
#include "net/resilience/LoadBalancer.h"
#include "net/resilience/VersionRouter.h"
#include "net/transport/EndpointTable.h"

#include <zmq.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dd::net {

struct PoolInstance
{
    ServiceInstance meta;
    std::unique_ptr<zmq::socket_t> socket;
    std::unique_ptr<CircuitBreaker> breaker;
    Micros lastHeard = 0;
    std::uint64_t sent = 0;
};

/// Chooses the instance for each attempt: version routing first, then health
/// (breaker, liveness, outlier ejection bounded by maxEjectionPercent), then
/// the load-balancing policy among what is left.
class InstancePool
{
public:
    InstancePool(const Clock &clock, Random &random, LbPolicy policy, CircuitBreakerConfig breaker,
                 double maxEjectionPercent, Micros heartbeatInterval, int heartbeatMisses);

    PoolInstance &add(ServiceInstance meta, std::unique_ptr<zmq::socket_t> socket);
    std::size_t size() const { return m_instances.size(); }
    PoolInstance &at(std::size_t i) { return m_instances[i]; }
    const PoolInstance &at(std::size_t i) const { return m_instances[i]; }

    /// Index of the instance for the next attempt; nullopt when none may take it.
    /// `avoid` (if set) is skipped when another candidate exists: a retry goes elsewhere.
    std::optional<std::size_t> pick(std::string_view versionOverride, Micros now, std::optional<std::size_t> avoid = {});

    void onSent(std::size_t i);
    void onFinished(std::size_t i, bool success, Micros latency, Micros now);
    void onHeard(std::size_t i);
    bool alive(std::size_t i, Micros now) const;

    VersionRouter &versions() { return m_versions; }
    LbPolicy policy() const { return m_policy; }
    void setPolicy(LbPolicy policy);
    /// Worst breaker state among instances (for the route's metrics).
    BreakerState worstBreakerState() const;
    int outstanding(std::size_t i) const { return m_loads[i].outstanding; }

private:
    const Clock &m_clock;
    Random &m_random;
    LbPolicy m_policy;
    CircuitBreakerConfig m_breakerConfig;
    double m_maxEjectionPercent;
    Micros m_deadAfter;
    std::unique_ptr<LoadBalancer> m_balancer;
    VersionRouter m_versions;
    std::vector<PoolInstance> m_instances;
    std::vector<InstanceLoad> m_loads;
};

} // namespace dd::net
