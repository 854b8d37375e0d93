// Golden metrics of one caller→callee route (Linkerd/Hystrix style), updated lock-free on the RPC path.
#pragma once

#include "net/resilience/Clock.h"
#include "net/telemetry/LatencyHistogram.h"
#include "net/telemetry/LatencyWindow.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dd::net {

/// How one logical call ended (after its retries).
enum class Outcome {
    Success,
    Transient,   // failed, retrying could help (unavailable, overloaded)
    Fatal,       // failed, retrying cannot help (invalid, not found, ...)
    Timeout,     // deadline passed
    CircuitOpen, // short-circuited locally by an open breaker
    Rejected,    // refused, not failed: the callee said no on the request's merits (not found,
                 // bad request, conflict, permission) or it was refused locally; not an error
    Count_
};

/// Lower-case, Prometheus-label friendly: success, transient, fatal, timeout,
/// circuit_open, rejected ("unknown" for anything else).
const char *toString(Outcome outcome);

class RouteMetrics
{
public:
    static constexpr std::size_t kOutcomeCount = std::size_t(Outcome::Count_);
    /// Breaker states as exported; index 0 is also the state before any report.
    static constexpr std::array<std::string_view, 5> kBreakerStates = {
        "closed", "open", "half_open", "isolated", "forced_closed"};

    /// What /api/services and the console judge latency on unless told otherwise.
    static constexpr Micros kDefaultWindow = 60 * kSeconds;
    /// The longest window snapshot() answers for (longer ones are clamped).
    static constexpr Micros kMaxWindow = 15 * 60 * kSeconds;

    /// `clock` rotates the latency windows; it must outlive the route.
    RouteMetrics(std::string caller, std::string callee, const Clock &clock = Clock::system());
    RouteMetrics(const RouteMetrics &) = delete;
    RouteMetrics &operator=(const RouteMetrics &) = delete;

    const std::string &caller() const { return m_caller; }
    const std::string &callee() const { return m_callee; }

    /// One logical call sent (retries are counted by onRetry(), not here).
    void onRequest(std::size_t bytesOut) noexcept;
    /// The call's final outcome. Latency goes to the histogram only for calls that
    /// reached the callee (Success/Transient/Fatal/Timeout): local short-circuits take
    /// ~0 µs and would drag the percentiles down exactly when the callee is slowest.
    /// It goes to the cumulative histogram (Prometheus) and to the sliding windows.
    void onOutcome(Outcome outcome, Micros latency, std::size_t bytesIn) noexcept;
    void onRetry() noexcept;
    /// `name` is matched against kBreakerStates ('-' accepted for '_', any case); when
    /// it matches none, `state` is used as the index if in range, else ignored.
    void setBreakerState(int state, std::string_view name) noexcept;
    std::string_view breakerState() const noexcept;
    std::size_t breakerStateIndex() const noexcept;

    std::uint64_t requests() const noexcept { return m_requests.load(std::memory_order_relaxed); }
    std::uint64_t retries() const noexcept { return m_retries.load(std::memory_order_relaxed); }
    std::uint64_t bytesOut() const noexcept { return m_bytesOut.load(std::memory_order_relaxed); }
    std::uint64_t bytesIn() const noexcept { return m_bytesIn.load(std::memory_order_relaxed); }
    std::uint64_t outcomes(Outcome outcome) const noexcept;

    struct Snapshot
    {
        std::string caller, callee;
        std::uint64_t requests = 0, successes = 0, retries = 0, bytesOut = 0, bytesIn = 0;
        std::array<std::uint64_t, kOutcomeCount> outcomes{};
        /// Latency over the window asked for, not since start: an old slow period
        /// stops counting once it has left the window.
        Micros p50 = 0, p95 = 0, p99 = 0, max = 0;
        double mean = 0.0; // µs
        std::uint64_t latencyCount = 0; ///< latencies the figures above are computed from
        Micros window = 0;              ///< the time they cover (the window, rounded up to a slot)
        std::string breakerState;
    };
    /// Counters are since start (or reset); latency figures cover the last `window`.
    Snapshot snapshot(Micros window = kDefaultWindow) const;
    /// Since start: the source of the Prometheus histogram.
    const LatencyHistogram &latency() const { return m_latency; }
    /// Adds the latencies of the last `window` (clamped to kMaxWindow) into `into`;
    /// returns the time they cover.
    Micros windowedLatency(LatencyHistogram &into, Micros window) const;

    /// Zeroes every counter and the histogram; the breaker state is left as reported.
    void reset() noexcept;

private:
    const std::string m_caller;
    const std::string m_callee;
    std::atomic<std::uint64_t> m_requests{0};
    std::atomic<std::uint64_t> m_retries{0};
    std::atomic<std::uint64_t> m_bytesOut{0};
    std::atomic<std::uint64_t> m_bytesIn{0};
    std::array<std::atomic<std::uint64_t>, kOutcomeCount> m_outcomes{};
    std::atomic<std::uint8_t> m_breakerState{0};
    const Clock &m_clock;
    LatencyHistogram m_latency;
    // Two rings keep memory small (23 slots, not 91): 10-s slots answer windows up to a
    // minute, 1-min slots the 5 and 15 minute ones.
    LatencyWindow m_recent;
    LatencyWindow m_longer;
};

} // namespace dd::net
