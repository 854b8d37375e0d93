// Lock-free log-linear latency histogram: the percentile source of every route's golden metrics.
#pragma once

#include "net/resilience/Clock.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace dd::net {

/// Buckets are exact below 32 µs; above, each power-of-two range [2^k, 2^(k+1)) is split
/// in 16 equal sub-buckets (HdrHistogram-style), so a bucket's midpoint is within 1/32
/// (3.1 %) of any value in it. Values from 2^27 µs (~134 s) up share the top bucket;
/// max() stays exact for them. Recording is three relaxed atomic operations, no lock,
/// no allocation, so it can sit on the RPC hot path.
class LatencyHistogram
{
public:
    static constexpr int kSubBucketBits = 4;
    static constexpr int kSubBuckets = 1 << kSubBucketBits;
    /// Highest power of two with its own sub-buckets: 2^26 µs ≈ 67 s .. 134 s.
    static constexpr int kMaxExponent = 26;
    static constexpr std::size_t kBucketCount =
        kSubBuckets + std::size_t(kMaxExponent - kSubBucketBits + 1) * kSubBuckets;

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram &) = delete;
    LatencyHistogram &operator=(const LatencyHistogram &) = delete;

    /// Negative values (a clock stepped backwards) count as 0.
    void record(Micros value) noexcept;

    std::uint64_t count() const noexcept;
    /// Sum of all recorded values in µs (for Prometheus `_sum`).
    std::uint64_t sum() const noexcept { return m_sum.load(std::memory_order_relaxed); }
    Micros max() const noexcept { return m_max.load(std::memory_order_relaxed); }
    double mean() const noexcept;

    /// q in [0, 1] (clamped). The midpoint of the bucket holding the q-th value, never
    /// above max(); 0 when empty.
    Micros percentile(double q) const;
    /// Several percentiles from one consistent read of the buckets; out.size() must be
    /// at least qs.size().
    void percentiles(std::span<const double> qs, std::span<Micros> out) const;

    /// Adds this histogram's counts into `into` (e.g. to aggregate routes).
    void mergeInto(LatencyHistogram &into) const;
    /// Not atomic with respect to concurrent record(): meant for tests and resets.
    void reset() noexcept;

    /// Cumulative counts for Prometheus: one pair per bound (in the order given, normally
    /// ascending) with the number of values whose bucket midpoint is <= the bound, then a
    /// last pair {+infinity, total count}. All from one read, so the counts are monotone
    /// for ascending bounds and the +Inf pair is a consistent `_count`.
    std::vector<std::pair<double, std::uint64_t>>
    cumulativeBuckets(const std::vector<double> &boundsSeconds) const;

    static std::size_t bucketIndex(Micros value) noexcept;
    /// Smallest value of a bucket and its width in µs.
    static Micros bucketLow(std::size_t index) noexcept;
    static Micros bucketWidth(std::size_t index) noexcept;
    /// The value reported for a bucket: its midpoint (exact for width-1 buckets).
    static Micros bucketMidpoint(std::size_t index) noexcept;

private:
    using Counts = std::array<std::uint64_t, kBucketCount>;
    void readBuckets(Counts &out) const noexcept;
    Micros percentileOf(const Counts &counts, std::uint64_t total, double q) const noexcept;

    std::array<std::atomic<std::uint64_t>, kBucketCount> m_buckets{};
    std::atomic<std::uint64_t> m_sum{0};
    std::atomic<Micros> m_max{0};
};

} // namespace dd::net
