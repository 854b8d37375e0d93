// Log-linear latency histogram: bucket arithmetic, percentiles and Prometheus buckets.
#include "net/telemetry/LatencyHistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace dd::net {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
} // namespace

std::size_t LatencyHistogram::bucketIndex(Micros value) noexcept
{
    if (value < 2 * kSubBuckets)
        return value <= 0 ? 0 : std::size_t(value);
    const auto v = std::uint64_t(value);
    const int exponent = int(std::bit_width(v)) - 1;
    if (exponent > kMaxExponent)
        return kBucketCount - 1;
    const int shift = exponent - kSubBucketBits;
    const std::size_t sub = std::size_t(v >> shift) & (kSubBuckets - 1);
    return kSubBuckets + std::size_t(shift) * kSubBuckets + sub;
}

Micros LatencyHistogram::bucketLow(std::size_t index) noexcept
{
    if (index < std::size_t(kSubBuckets))
        return Micros(index);
    const std::size_t shift = (index - kSubBuckets) / kSubBuckets;
    const std::size_t sub = (index - kSubBuckets) % kSubBuckets;
    return Micros(kSubBuckets + sub) << shift;
}

Micros LatencyHistogram::bucketWidth(std::size_t index) noexcept
{
    if (index < std::size_t(kSubBuckets))
        return 1;
    return Micros(1) << ((index - kSubBuckets) / kSubBuckets);
}

Micros LatencyHistogram::bucketMidpoint(std::size_t index) noexcept
{
    return bucketLow(index) + bucketWidth(index) / 2;
}

void LatencyHistogram::record(Micros value) noexcept
{
    if (value < 0)
        value = 0;
    m_buckets[bucketIndex(value)].fetch_add(1, kRelaxed);
    m_sum.fetch_add(std::uint64_t(value), kRelaxed);
    // Read first: the max rarely changes, so the common case stays a plain load.
    Micros current = m_max.load(kRelaxed);
    while (value > current && !m_max.compare_exchange_weak(current, value, kRelaxed)) {
    }
}

std::uint64_t LatencyHistogram::count() const noexcept
{
    // Summed from the buckets rather than kept apart: one less atomic per record(),
    // and the count always agrees with what the percentiles see.
    std::uint64_t total = 0;
    for (const auto &bucket : m_buckets)
        total += bucket.load(kRelaxed);
    return total;
}

double LatencyHistogram::mean() const noexcept
{
    const std::uint64_t n = count();
    return n == 0 ? 0.0 : double(sum()) / double(n);
}

void LatencyHistogram::readBuckets(Counts &out) const noexcept
{
    for (std::size_t i = 0; i < kBucketCount; ++i)
        out[i] = m_buckets[i].load(kRelaxed);
}

Micros LatencyHistogram::percentileOf(const Counts &counts, std::uint64_t total,
                                      double q) const noexcept
{
    if (total == 0)
        return 0;
    if (!(q >= 0.0)) // also catches NaN
        q = 0.0;
    q = std::min(q, 1.0);
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(q * double(total))));
    const Micros observedMax = max();
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += counts[i];
        if (seen < rank)
            continue;
        // The top bucket also holds everything beyond the range: its midpoint means
        // nothing there, the exact max is the better answer.
        if (i == kBucketCount - 1)
            return observedMax;
        return std::min(bucketMidpoint(i), observedMax);
    }
    return observedMax;
}

Micros LatencyHistogram::percentile(double q) const
{
    Counts counts;
    readBuckets(counts);
    std::uint64_t total = 0;
    for (auto c : counts)
        total += c;
    return percentileOf(counts, total, q);
}

void LatencyHistogram::percentiles(std::span<const double> qs, std::span<Micros> out) const
{
    Counts counts;
    readBuckets(counts);
    std::uint64_t total = 0;
    for (auto c : counts)
        total += c;
    const std::size_t n = std::min(qs.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = percentileOf(counts, total, qs[i]);
}

void LatencyHistogram::mergeInto(LatencyHistogram &into) const
{
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        if (const auto c = m_buckets[i].load(kRelaxed))
            into.m_buckets[i].fetch_add(c, kRelaxed);
    }
    into.m_sum.fetch_add(sum(), kRelaxed);
    const Micros ourMax = max();
    Micros current = into.m_max.load(kRelaxed);
    while (ourMax > current && !into.m_max.compare_exchange_weak(current, ourMax, kRelaxed)) {
    }
}

void LatencyHistogram::reset() noexcept
{
    for (auto &bucket : m_buckets)
        bucket.store(0, kRelaxed);
    m_sum.store(0, kRelaxed);
    m_max.store(0, kRelaxed);
}

std::vector<std::pair<double, std::uint64_t>>
LatencyHistogram::cumulativeBuckets(const std::vector<double> &boundsSeconds) const
{
    Counts counts;
    readBuckets(counts);
    // prefix[i] = values in buckets [0, i).
    std::array<std::uint64_t, kBucketCount + 1> prefix;
    prefix[0] = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i)
        prefix[i + 1] = prefix[i] + counts[i];

    std::vector<std::pair<double, std::uint64_t>> result;
    result.reserve(boundsSeconds.size() + 1);
    for (double bound : boundsSeconds) {
        const double boundMicros = bound * 1e6;
        // Midpoints grow with the index, so the buckets counted are a prefix. The top
        // bucket holds out-of-range values of unknown size: only +Inf counts it.
        std::size_t included = 0;
        if (boundMicros >= 0.0) { // false for NaN too
            std::size_t lo = 0, hi = kBucketCount - 1;
            while (lo < hi) {
                const std::size_t mid = (lo + hi) / 2;
                if (double(bucketMidpoint(mid)) <= boundMicros)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            included = lo;
        }
        result.emplace_back(bound, prefix[included]);
    }
    result.emplace_back(std::numeric_limits<double>::infinity(), prefix[kBucketCount]);
    return result;
}

} // namespace dd::net
