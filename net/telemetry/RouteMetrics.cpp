// Golden metrics of one route: relaxed atomic counters, breaker state as a table index.
#include "net/telemetry/RouteMetrics.h"

#include <utility>

namespace dd::net {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

char normalized(char c)
{
    if (c == '-' || c == ' ')
        return '_';
    if (c >= 'A' && c <= 'Z')
        return char(c - 'A' + 'a');
    return c;
}

// Compares without building a lower-cased copy: setBreakerState() must not allocate.
bool sameStateName(std::string_view reported, std::string_view known)
{
    if (reported.size() != known.size())
        return false;
    for (std::size_t i = 0; i < known.size(); ++i) {
        if (normalized(reported[i]) != known[i])
            return false;
    }
    return true;
}
} // namespace

const char *toString(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success: return "success";
    case Outcome::Transient: return "transient";
    case Outcome::Fatal: return "fatal";
    case Outcome::Timeout: return "timeout";
    case Outcome::CircuitOpen: return "circuit_open";
    case Outcome::Rejected: return "rejected";
    case Outcome::Count_: break;
    }
    return "unknown";
}

RouteMetrics::RouteMetrics(std::string caller, std::string callee, const Clock &clock)
    : m_caller(std::move(caller)),
      m_callee(std::move(callee)),
      m_clock(clock),
      m_recent(clock, 10 * kSeconds, std::size_t(kDefaultWindow / (10 * kSeconds)) + 1),
      m_longer(clock, 60 * kSeconds, std::size_t(kMaxWindow / (60 * kSeconds)) + 1)
{
}

void RouteMetrics::onRequest(std::size_t bytesOut) noexcept
{
    m_requests.fetch_add(1, kRelaxed);
    m_bytesOut.fetch_add(bytesOut, kRelaxed);
}

void RouteMetrics::onOutcome(Outcome outcome, Micros latency, std::size_t bytesIn) noexcept
{
    const auto index = std::size_t(outcome);
    if (index >= kOutcomeCount)
        return;
    m_outcomes[index].fetch_add(1, kRelaxed);
    if (bytesIn)
        m_bytesIn.fetch_add(bytesIn, kRelaxed);
    if (outcome != Outcome::CircuitOpen && outcome != Outcome::Rejected) {
        m_latency.record(latency);
        const Micros now = m_clock.now();
        m_recent.record(latency, now);
        m_longer.record(latency, now);
    }
}

void RouteMetrics::onRetry() noexcept
{
    m_retries.fetch_add(1, kRelaxed);
}

void RouteMetrics::setBreakerState(int state, std::string_view name) noexcept
{
    for (std::size_t i = 0; i < kBreakerStates.size(); ++i) {
        if (sameStateName(name, kBreakerStates[i])) {
            m_breakerState.store(std::uint8_t(i), kRelaxed);
            return;
        }
    }
    if (state >= 0 && std::size_t(state) < kBreakerStates.size())
        m_breakerState.store(std::uint8_t(state), kRelaxed);
}

std::size_t RouteMetrics::breakerStateIndex() const noexcept
{
    return m_breakerState.load(kRelaxed);
}

std::string_view RouteMetrics::breakerState() const noexcept
{
    return kBreakerStates[breakerStateIndex()];
}

std::uint64_t RouteMetrics::outcomes(Outcome outcome) const noexcept
{
    const auto index = std::size_t(outcome);
    return index < kOutcomeCount ? m_outcomes[index].load(kRelaxed) : 0;
}

Micros RouteMetrics::windowedLatency(LatencyHistogram &into, Micros window) const
{
    const Micros now = m_clock.now();
    if (window <= m_recent.span())
        return m_recent.mergeInto(into, window, now);
    return m_longer.mergeInto(into, window, now);
}

RouteMetrics::Snapshot RouteMetrics::snapshot(Micros window) const
{
    Snapshot s;
    s.caller = m_caller;
    s.callee = m_callee;
    s.requests = requests();
    s.retries = retries();
    s.bytesOut = bytesOut();
    s.bytesIn = bytesIn();
    for (std::size_t i = 0; i < kOutcomeCount; ++i)
        s.outcomes[i] = m_outcomes[i].load(kRelaxed);
    s.successes = s.outcomes[std::size_t(Outcome::Success)];
    static constexpr double kQuantiles[] = {0.50, 0.95, 0.99};
    Micros values[3] = {};
    LatencyHistogram recent;
    s.window = windowedLatency(recent, window);
    recent.percentiles(kQuantiles, values);
    s.p50 = values[0];
    s.p95 = values[1];
    s.p99 = values[2];
    s.max = recent.max();
    s.mean = recent.mean();
    s.latencyCount = recent.count();
    s.breakerState = std::string(breakerState());
    return s;
}

void RouteMetrics::reset() noexcept
{
    m_requests.store(0, kRelaxed);
    m_retries.store(0, kRelaxed);
    m_bytesOut.store(0, kRelaxed);
    m_bytesIn.store(0, kRelaxed);
    for (auto &o : m_outcomes)
        o.store(0, kRelaxed);
    m_latency.reset();
    m_recent.reset();
    m_longer.reset();
}

} // namespace dd::net
