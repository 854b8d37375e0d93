// Circuit breaker state machine with consecutive-failure and sliding-window ratio triggers.
#include "net/resilience/CircuitBreaker.h"

#include <algorithm>

namespace dd::net {

const char *toString(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed: return "closed";
    case BreakerState::Open: return "open";
    case BreakerState::HalfOpen: return "half-open";
    case BreakerState::Isolated: return "isolated";
    case BreakerState::ForcedClosed: return "forced-closed";
    }
    return "unknown";
}

CircuitBreaker::CircuitBreaker(const Clock &clock, CircuitBreakerConfig config)
    : m_clock(clock)
    , m_config(config)
    , m_buckets(std::size_t(std::max<Micros>(1, config.window / kSeconds)))
{
    // Nonsensical values would make the breaker trip on nothing or never admit a
    // probe; clamp rather than trust every caller's configuration file.
    m_config.consecutiveFailures = std::max(1, m_config.consecutiveFailures);
    m_config.minimumVolume = std::max(1, m_config.minimumVolume);
    m_config.openDuration = std::max<Micros>(0, m_config.openDuration);
    m_config.maxOpenDuration = std::max(m_config.openDuration, m_config.maxOpenDuration);
    m_config.halfOpenMaxProbes = std::max(1, m_config.halfOpenMaxProbes);
    m_config.halfOpenSuccessesToClose = std::max(1, m_config.halfOpenSuccessesToClose);
    m_closedAt = clock.now();
}

Micros CircuitBreaker::currentOpenDuration() const
{
    const int n = std::max(1, m_timesOpened);
    // Compare by division first so a long streak cannot overflow the product.
    if (m_config.openDuration > 0 && n > m_config.maxOpenDuration / m_config.openDuration)
        return m_config.maxOpenDuration;
    return std::min(m_config.maxOpenDuration, m_config.openDuration * n);
}

BreakerState CircuitBreaker::state() const
{
    if (m_state == BreakerState::Open && m_clock.now() - m_openedAt >= currentOpenDuration())
        return BreakerState::HalfOpen;
    return m_state;
}

bool CircuitBreaker::allowRequest()
{
    switch (m_state) {
    case BreakerState::Closed:
    case BreakerState::ForcedClosed:
        return true;
    case BreakerState::Isolated:
        return false;
    case BreakerState::Open:
        if (m_clock.now() - m_openedAt < currentOpenDuration())
            return false;
        m_state = BreakerState::HalfOpen;
        m_probesInFlight = 0;
        m_probeSuccesses = 0;
        [[fallthrough]];
    case BreakerState::HalfOpen:
        if (m_probesInFlight >= m_config.halfOpenMaxProbes)
            return false;
        m_probesInFlight++;
        return true;
    }
    return false;
}

void CircuitBreaker::onSuccess()
{
    const Micros now = m_clock.now();
    switch (m_state) {
    case BreakerState::Closed:
        forgetEscalation(now);
        m_consecutiveFailures = 0;
        record(true, now);
        return;
    case BreakerState::ForcedClosed:
        // Keep counting so the numbers are meaningful after reset(); never trip.
        m_consecutiveFailures = 0;
        record(true, now);
        return;
    case BreakerState::HalfOpen:
        if (m_probesInFlight == 0)
            return; // a straggler from before the trip, not a probe
        m_probesInFlight--;
        if (++m_probeSuccesses >= m_config.halfOpenSuccessesToClose)
            close(now);
        return;
    case BreakerState::Open:
    case BreakerState::Isolated:
        return; // admitted before the trip: must not close the breaker
    }
}

void CircuitBreaker::onFailure()
{
    const Micros now = m_clock.now();
    switch (m_state) {
    case BreakerState::Closed: {
        forgetEscalation(now);
        m_consecutiveFailures++;
        record(false, now);
        const bool tooManyInARow = m_consecutiveFailures >= m_config.consecutiveFailures;
        const bool ratioTripped = m_windowCalls >= std::uint64_t(m_config.minimumVolume)
            && double(m_windowFailures) >= m_config.failureRatio * double(m_windowCalls);
        if (tooManyInARow || ratioTripped)
            open(now);
        return;
    }
    case BreakerState::ForcedClosed:
        m_consecutiveFailures++;
        record(false, now);
        return;
    case BreakerState::HalfOpen:
        if (m_probesInFlight == 0)
            return;
        // The instance is still unhealthy: reopen for longer.
        open(now);
        return;
    case BreakerState::Open:
    case BreakerState::Isolated:
        return;
    }
}

void CircuitBreaker::isolate()
{
    m_state = BreakerState::Isolated;
    m_probesInFlight = 0;
}

void CircuitBreaker::forceClose()
{
    m_state = BreakerState::ForcedClosed;
    m_probesInFlight = 0;
}

void CircuitBreaker::reset()
{
    m_state = BreakerState::Closed;
    m_timesOpened = 0;
    m_probesInFlight = 0;
    m_probeSuccesses = 0;
    m_closedAt = m_clock.now();
    clearCounters();
}

void CircuitBreaker::open(Micros now)
{
    m_state = BreakerState::Open;
    m_openedAt = now;
    m_timesOpened++;
    m_probesInFlight = 0;
    m_probeSuccesses = 0;
    // Calls before the trip must not count again after recovery.
    clearCounters();
}

void CircuitBreaker::close(Micros now)
{
    m_state = BreakerState::Closed;
    m_closedAt = now;
    m_probesInFlight = 0;
    m_probeSuccesses = 0;
    clearCounters();
}

void CircuitBreaker::forgetEscalation(Micros now)
{
    // Envoy lowers the ejection multiplier while a host stays healthy; here a full
    // maxOpenDuration of good behaviour starts the next opening from the base again.
    if (m_timesOpened > 0 && now - m_closedAt >= m_config.maxOpenDuration)
        m_timesOpened = 0;
}

void CircuitBreaker::clearCounters()
{
    m_consecutiveFailures = 0;
    std::fill(m_buckets.begin(), m_buckets.end(), Bucket{});
    m_lastSecond = -1;
    m_windowCalls = 0;
    m_windowFailures = 0;
}

void CircuitBreaker::advanceWindow(Micros now)
{
    const std::int64_t second = std::max<Micros>(0, now) / kSeconds;
    if (second <= m_lastSecond)
        return; // same second, or the clock stepped back: keep filling the newest bucket
    const auto n = std::int64_t(m_buckets.size());
    if (m_lastSecond < 0 || second - m_lastSecond >= n) {
        std::fill(m_buckets.begin(), m_buckets.end(), Bucket{});
        m_windowCalls = 0;
        m_windowFailures = 0;
    } else {
        for (std::int64_t s = m_lastSecond + 1; s <= second; ++s) {
            Bucket &b = m_buckets[std::size_t(s % n)];
            m_windowCalls -= b.successes + b.failures;
            m_windowFailures -= b.failures;
            b = Bucket{};
        }
    }
    m_buckets[std::size_t(second % n)].second = second;
    m_lastSecond = second;
}

void CircuitBreaker::record(bool success, Micros now)
{
    advanceWindow(now);
    Bucket &b = m_buckets[std::size_t(m_lastSecond % std::int64_t(m_buckets.size()))];
    if (success)
        b.successes++;
    else {
        b.failures++;
        m_windowFailures++;
    }
    m_windowCalls++;
}

} // namespace dd::net
