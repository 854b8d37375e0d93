// Retry budget: caps retries to a fraction of recent requests so retries cannot amplify an outage.
#pragma once

#include "net/resilience/Clock.h"

#include <cstdint>
#include <vector>

namespace dd::net {

/// Linkerd/Finagle-style budget (DESIGN §3: retries <= 20 % of requests, floor 10/s).
/// A retry is allowed while
///     retries in window < ratio * requests in window + minRetriesPerSecond * window seconds
/// where the window slides in one-second buckets, so every call is O(1) amortized.
/// onRequest() is meant for original requests only; retries are counted by
/// tryAcquireRetry() so they do not inflate their own allowance.
/// Not thread-safe: one instance per service loop.
class RetryBudget
{
public:
    explicit RetryBudget(const Clock &clock, double ratio = 0.2, double minRetriesPerSecond = 10,
                         Micros window = 10 * kSeconds);

    /// Records one original (non-retry) request.
    void onRequest();
    /// True, and the retry is counted, when the budget allows another retry now;
    /// false (counted in rejected()) otherwise.
    bool tryAcquireRetry();

    /// Retries refused since construction.
    std::uint64_t rejected() const { return m_rejected; }
    /// Requests and retries inside the current window (for metrics and tests).
    std::uint64_t requestsInWindow() const;
    std::uint64_t retriesInWindow() const;

private:
    struct Bucket
    {
        std::int64_t second = -1; // absolute second this bucket holds; -1 = empty
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
    };

    void advance();
    std::int64_t currentSecond() const;

    const Clock &m_clock;
    double m_ratio;
    double m_floor; // minRetriesPerSecond * window seconds: retries always allowed
    std::vector<Bucket> m_buckets;
    std::int64_t m_lastSecond = -1;
    std::uint64_t m_requests = 0; // running sums over the live buckets
    std::uint64_t m_retries = 0;
    std::uint64_t m_rejected = 0;
};

} // namespace dd::net
