// Instance selection with health, ejection limits and load balancing.
#include "net/rpc/InstancePool.h"

namespace dd::net {

InstancePool::InstancePool(const Clock &clock, Random &random, LbPolicy policy, CircuitBreakerConfig breaker,
                           double maxEjectionPercent, Micros heartbeatInterval, int heartbeatMisses)
    : m_clock(clock),
      m_random(random),
      m_policy(policy),
      m_breakerConfig(breaker),
      m_maxEjectionPercent(maxEjectionPercent),
      m_deadAfter(heartbeatInterval * heartbeatMisses),
      m_balancer(makeLoadBalancer(policy, random))
{
}

PoolInstance &InstancePool::add(ServiceInstance meta, std::unique_ptr<zmq::socket_t> socket)
{
    PoolInstance instance;
    instance.meta = std::move(meta);
    instance.socket = std::move(socket);
    instance.breaker = std::make_unique<CircuitBreaker>(m_clock, m_breakerConfig);
    instance.lastHeard = m_clock.now();
    m_instances.push_back(std::move(instance));
    m_loads.emplace_back();
    return m_instances.back();
}

void InstancePool::setPolicy(LbPolicy policy)
{
    m_policy = policy;
    m_balancer = makeLoadBalancer(policy, m_random);
}

bool InstancePool::alive(std::size_t i, Micros now) const
{
    return now - m_instances[i].lastHeard <= m_deadAfter;
}

std::optional<std::size_t> InstancePool::pick(std::string_view versionOverride, Micros now,
                                              std::optional<std::size_t> avoid)
{
    // The common case, one healthy instance and no versions: no balancing to do.
    if (m_instances.size() == 1 && versionOverride.empty() && !m_versions.hasVersion(m_instances[0].meta.version)
        && alive(0, now)) {
        CircuitBreaker &breaker = *m_instances[0].breaker;
        if (breaker.state() == BreakerState::Closed || breaker.state() == BreakerState::ForcedClosed)
            return breaker.allowRequest() ? std::optional<std::size_t>(0) : std::nullopt;
    }
    const std::string_view version = m_versions.choose(versionOverride, m_random);
    std::size_t candidates = 0;
    std::size_t ejected = 0;
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        InstanceLoad &load = m_loads[i];
        const bool versionMatches = version.empty() || m_instances[i].meta.version == version;
        load.eligible = versionMatches && alive(i, now);
        if (!load.eligible)
            continue;
        ++candidates;
        const BreakerState state = m_instances[i].breaker->state();
        if (state == BreakerState::Isolated) {
            load.eligible = false; // manual isolation is never overridden
        } else if (state == BreakerState::Open) {
            load.eligible = false;
            ++ejected;
        }
    }
    // Envoy's max_ejection_percent: past it, the tripped instances take traffic
    // again rather than overloading the few that are left.
    if (candidates > 0 && ejected > 0 && double(ejected) * 100.0 / double(candidates) > m_maxEjectionPercent) {
        for (std::size_t i = 0; i < m_instances.size(); ++i) {
            const bool versionMatches = version.empty() || m_instances[i].meta.version == version;
            if (versionMatches && alive(i, now) && m_instances[i].breaker->state() == BreakerState::Open)
                m_loads[i].eligible = true;
        }
    }
    if (avoid && *avoid < m_loads.size() && m_loads[*avoid].eligible) {
        m_loads[*avoid].eligible = false;
        auto other = m_balancer->pick(m_loads, now);
        m_loads[*avoid].eligible = true;
        if (other && m_instances[*other].breaker->allowRequest())
            return other;
    }
    for (int tries = 0; tries < 3; ++tries) {
        auto chosen = m_balancer->pick(m_loads, now);
        if (!chosen)
            return std::nullopt;
        auto &breaker = *m_instances[*chosen].breaker;
        if (breaker.state() == BreakerState::Open || breaker.allowRequest())
            return chosen; // Open here means admitted by the ejection limit
        m_loads[*chosen].eligible = false; // half-open with its probe budget spent
    }
    return std::nullopt;
}

void InstancePool::onSent(std::size_t i)
{
    ++m_loads[i].outstanding;
    ++m_instances[i].sent;
}

void InstancePool::onFinished(std::size_t i, bool success, Micros latency, Micros now)
{
    InstanceLoad &load = m_loads[i];
    if (load.outstanding > 0)
        --load.outstanding;
    if (m_instances.size() > 1) // the estimate only ever decides between instances
        load.latency.observe(latency, now);
    if (success)
        m_instances[i].breaker->onSuccess();
    else
        m_instances[i].breaker->onFailure();
}

void InstancePool::onHeard(std::size_t i)
{
    m_instances[i].lastHeard = m_clock.now();
}

BreakerState InstancePool::worstBreakerState() const
{
    auto rank = [](BreakerState s) {
        switch (s) {
        case BreakerState::Isolated: return 4;
        case BreakerState::Open: return 3;
        case BreakerState::HalfOpen: return 2;
        case BreakerState::ForcedClosed: return 1;
        default: return 0;
        }
    };
    BreakerState worst = BreakerState::Closed;
    for (const auto &instance : m_instances)
        if (rank(instance.breaker->state()) > rank(worst))
            worst = instance.breaker->state();
    return worst;
}

} // namespace dd::net
