// Per-instance circuit breaker: stops calling an instance that keeps failing, then probes it.
#pragma once

#include "net/resilience/Clock.h"

#include <cstdint>
#include <vector>

namespace dd::net {

enum class BreakerState {
    Closed,      ///< Normal: calls flow, outcomes are counted.
    Open,        ///< Tripped: calls are refused until the open duration has passed.
    HalfOpen,    ///< Open time elapsed: a few probe calls decide between Closed and Open.
    Isolated,    ///< Operator forced open (manual isolate): refuses everything.
    ForcedClosed ///< Operator forced closed: admits everything and never trips.
};

/// "closed", "open", "half-open", "isolated", "forced-closed".
const char *toString(BreakerState state);

/// Defaults from DESIGN §3 (Envoy outlier detection, Polly, resilience4j).
struct CircuitBreakerConfig
{
    int consecutiveFailures = 5;  ///< Opens at exactly this many failures in a row.
    double failureRatio = 0.5;    ///< Or when failures/calls >= this ...
    int minimumVolume = 20;       ///< ... over at least this many calls ...
    Micros window = 10 * kSeconds; ///< ... within this sliding window (1 s buckets).
    Micros openDuration = 5 * kSeconds;
    Micros maxOpenDuration = 60 * kSeconds;
    int halfOpenMaxProbes = 1;        ///< Probe calls allowed in flight while half-open.
    int halfOpenSuccessesToClose = 1; ///< Probe successes needed to close again.
};

/// Closed -> Open on N consecutive failures or a failure ratio over a minimum volume;
/// Open -> HalfOpen once the open duration has elapsed (checked lazily on use);
/// HalfOpen -> Closed after enough probe successes, -> Open again on a probe failure.
///
/// Each opening lasts openDuration * timesOpened() (capped at maxOpenDuration), as
/// Envoy grows ejection time with repeats. The escalation is forgotten once the
/// breaker has stayed Closed for maxOpenDuration after recovering.
///
/// Outcomes reported while Open or Isolated belong to calls admitted before the
/// breaker tripped: they are ignored, so a late success cannot close it. While
/// HalfOpen only outcomes that can match an admitted probe are counted.
/// Not thread-safe: one instance per service loop.
class CircuitBreaker
{
public:
    explicit CircuitBreaker(const Clock &clock, CircuitBreakerConfig config = {});

    /// Whether a call may be sent now. A true in HalfOpen reserves a probe slot, so
    /// every admitted call must later report onSuccess() or onFailure().
    bool allowRequest();
    void onSuccess();
    void onFailure();

    /// Manual controls (operator UI / HTTP).
    void isolate();
    void forceClose();
    /// Back to Closed: clears the manual state, all counters and the escalation.
    void reset();

    /// Current state; reports HalfOpen as soon as the open time has elapsed even if
    /// no call has asked yet.
    BreakerState state() const;
    /// Openings in the current escalation streak (0 before the first one).
    int timesOpened() const { return m_timesOpened; }
    /// Length of the current (or most recent) opening:
    /// openDuration * max(1, timesOpened()), capped at maxOpenDuration.
    Micros currentOpenDuration() const;
    const CircuitBreakerConfig &config() const { return m_config; }

private:
    struct Bucket
    {
        std::int64_t second = -1;
        std::uint32_t successes = 0;
        std::uint32_t failures = 0;
    };

    void record(bool success, Micros now);
    void advanceWindow(Micros now);
    void clearCounters();
    void open(Micros now);
    void close(Micros now);
    void forgetEscalation(Micros now);

    const Clock &m_clock;
    CircuitBreakerConfig m_config;
    BreakerState m_state = BreakerState::Closed; // Open is turned into HalfOpen lazily
    Micros m_openedAt = 0;
    Micros m_closedAt = 0;
    int m_timesOpened = 0;
    int m_consecutiveFailures = 0;
    int m_probesInFlight = 0;
    int m_probeSuccesses = 0;
    std::vector<Bucket> m_buckets;
    std::int64_t m_lastSecond = -1;
    std::uint64_t m_windowCalls = 0;
    std::uint64_t m_windowFailures = 0;
};

} // namespace dd::net
