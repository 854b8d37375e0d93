// Sliding-window retry budget over per-second buckets.
#include "net/resilience/RetryBudget.h"

#include <algorithm>

namespace dd::net {

RetryBudget::RetryBudget(const Clock &clock, double ratio, double minRetriesPerSecond, Micros window)
    : m_clock(clock)
    , m_ratio(std::max(0.0, ratio))
    , m_buckets(std::size_t(std::max<Micros>(1, window / kSeconds)))
{
    // The floor is per second but compared with window totals, so scale it by the
    // window length actually used (whole seconds, at least one).
    m_floor = std::max(0.0, minRetriesPerSecond) * double(m_buckets.size());
}

std::int64_t RetryBudget::currentSecond() const
{
    // Clock times are epoch based and positive; clamping keeps the ring index valid anyway.
    return std::max<Micros>(0, m_clock.now()) / kSeconds;
}

void RetryBudget::advance()
{
    const std::int64_t second = currentSecond();
    // A clock stepping backwards keeps filling the newest bucket rather than
    // corrupting older ones.
    if (second <= m_lastSecond)
        return;
    const auto n = std::int64_t(m_buckets.size());
    if (m_lastSecond < 0 || second - m_lastSecond >= n) {
        // Everything in the ring is older than the window.
        std::fill(m_buckets.begin(), m_buckets.end(), Bucket{});
        m_requests = 0;
        m_retries = 0;
    } else {
        // At most n - 1 buckets expire per call; amortized O(1) per request.
        for (std::int64_t s = m_lastSecond + 1; s <= second; ++s) {
            Bucket &b = m_buckets[std::size_t(s % n)];
            m_requests -= b.requests;
            m_retries -= b.retries;
            b = Bucket{};
        }
    }
    m_buckets[std::size_t(second % n)].second = second;
    m_lastSecond = second;
}

void RetryBudget::onRequest()
{
    advance();
    m_buckets[std::size_t(m_lastSecond % std::int64_t(m_buckets.size()))].requests++;
    m_requests++;
}

bool RetryBudget::tryAcquireRetry()
{
    advance();
    const double allowance = m_ratio * double(m_requests) + m_floor;
    if (double(m_retries) >= allowance) {
        m_rejected++;
        return false;
    }
    m_buckets[std::size_t(m_lastSecond % std::int64_t(m_buckets.size()))].retries++;
    m_retries++;
    return true;
}

std::uint64_t RetryBudget::requestsInWindow() const
{
    // Const accessors cannot advance the ring, so skip buckets that have fallen out.
    const std::int64_t oldest = currentSecond() - std::int64_t(m_buckets.size()) + 1;
    std::uint64_t sum = 0;
    for (const Bucket &b : m_buckets)
        if (b.second >= oldest)
            sum += b.requests;
    return sum;
}

std::uint64_t RetryBudget::retriesInWindow() const
{
    const std::int64_t oldest = currentSecond() - std::int64_t(m_buckets.size()) + 1;
    std::uint64_t sum = 0;
    for (const Bucket &b : m_buckets)
        if (b.second >= oldest)
            sum += b.retries;
    return sum;
}

} // namespace dd::net
