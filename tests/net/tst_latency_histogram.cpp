// Tests of LatencyHistogram: bucket error bound, percentiles of known distributions, merge, Prometheus buckets.
#include "net/resilience/Random.h"
#include "net/telemetry/LatencyHistogram.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

using namespace dd::net;

namespace {
// Nearest-rank percentile of the exact sample, the definition the histogram approximates.
Micros exactPercentile(std::vector<Micros> sorted, double q)
{
    std::sort(sorted.begin(), sorted.end());
    const auto rank = std::max<std::size_t>(1, std::size_t(std::ceil(q * double(sorted.size()))));
    return sorted[rank - 1];
}

bool withinBucketError(Micros estimate, Micros exact)
{
    // Midpoint of a 1/16-wide bucket: at most 1/32 off, plus rounding of odd widths.
    return std::abs(double(estimate - exact)) <= double(exact) / 32.0 + 1.0;
}
} // namespace

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private slots:
    void emptyHistogramReportsZero()
    {
        LatencyHistogram h;
        QCOMPARE(h.count(), 0u);
        QCOMPARE(h.percentile(0.5), Micros(0));
        QCOMPARE(h.percentile(1.0), Micros(0));
        QCOMPARE(h.max(), Micros(0));
        QCOMPARE(h.mean(), 0.0);
        const auto buckets = h.cumulativeBuckets({0.001, 0.01});
        QCOMPARE(buckets.size(), std::size_t(3));
        for (const auto &b : buckets)
            QCOMPARE(b.second, 0u);
    }

    void smallValuesAreExact()
    {
        LatencyHistogram h;
        for (Micros v = 1; v <= 31; ++v)
            h.record(v);
        QCOMPARE(h.count(), 31u);
        QCOMPARE(h.percentile(0.0), Micros(1));
        QCOMPARE(h.percentile(0.5), Micros(16));
        QCOMPARE(h.percentile(1.0), Micros(31));
        QCOMPARE(h.max(), Micros(31));
        QCOMPARE(h.mean(), 16.0);
    }

    void bucketsTileTheRangeWithoutGaps()
    {
        for (std::size_t i = 0; i + 1 < LatencyHistogram::kBucketCount; ++i) {
            QCOMPARE(LatencyHistogram::bucketLow(i) + LatencyHistogram::bucketWidth(i),
                     LatencyHistogram::bucketLow(i + 1));
            QCOMPARE(LatencyHistogram::bucketIndex(LatencyHistogram::bucketLow(i)), i);
            QCOMPARE(LatencyHistogram::bucketIndex(LatencyHistogram::bucketLow(i + 1) - 1), i);
        }
        // Up to ~100 s has its own buckets.
        QVERIFY(LatencyHistogram::bucketIndex(100 * kSeconds) < LatencyHistogram::kBucketCount - 1);
    }

    void singleValueErrorIsBoundedAcrossTheRange()
    {
        // Every value from 1 µs to 100 s, stepping by ~0.7 %, must come back within 3.2 %.
        for (double v = 1; v <= 100.0 * kSeconds; v *= 1.007) {
            LatencyHistogram h;
            const auto value = Micros(v);
            h.record(value);
            const Micros p = h.percentile(0.5);
            if (!withinBucketError(p, value))
                QFAIL(qPrintable(QStringLiteral("value %1 reported as %2").arg(value).arg(p)));
            QVERIFY(p <= value); // clamped to the observed max
        }
    }

    void percentilesOfUniformDistribution()
    {
        SeededRandom rng(42);
        LatencyHistogram h;
        std::vector<Micros> values;
        for (int i = 0; i < 100000; ++i) {
            const Micros v = 1 + Micros(rng.below(200 * kMillis));
            values.push_back(v);
            h.record(v);
        }
        QCOMPARE(h.count(), 100000u);
        for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
            const Micros exact = exactPercentile(values, q);
            const Micros estimate = h.percentile(q);
            QVERIFY2(withinBucketError(estimate, exact),
                     qPrintable(QStringLiteral("q=%1 exact=%2 got=%3").arg(q).arg(exact).arg(estimate)));
        }
        QCOMPARE(h.max(), *std::max_element(values.begin(), values.end()));
        double sum = 0;
        for (auto v : values)
            sum += double(v);
        QCOMPARE(h.mean(), sum / double(values.size()));
    }

    void percentilesOfLongTailedDistribution()
    {
        // Log-uniform from 50 µs to 5 s: most RPCs fast, a long tail of slow ones.
        SeededRandom rng(7);
        LatencyHistogram h;
        std::vector<Micros> values;
        for (int i = 0; i < 50000; ++i) {
            const Micros v = Micros(50.0 * std::pow(1e5, rng.uniform()));
            values.push_back(v);
            h.record(v);
        }
        for (double q : {0.5, 0.95, 0.99, 0.9999}) {
            const Micros exact = exactPercentile(values, q);
            QVERIFY2(withinBucketError(h.percentile(q), exact),
                     qPrintable(QStringLiteral("q=%1 exact=%2 got=%3").arg(q).arg(exact).arg(h.percentile(q))));
        }
        const double qs[] = {0.5, 0.99};
        Micros out[2] = {};
        h.percentiles(qs, out);
        QCOMPARE(out[0], h.percentile(0.5));
        QCOMPARE(out[1], h.percentile(0.99));
    }

    void outOfRangeValuesKeepAnExactMax()
    {
        LatencyHistogram h;
        h.record(-5); // clock stepped back: counted as 0
        h.record(500 * kSeconds);
        QCOMPARE(h.count(), 2u);
        QCOMPARE(h.percentile(0.0), Micros(0));
        QCOMPARE(h.percentile(1.0), 500 * kSeconds);
        QCOMPARE(h.max(), 500 * kSeconds);
        QCOMPARE(h.sum(), std::uint64_t(500 * kSeconds));
    }

    void quantileArgumentIsClamped()
    {
        LatencyHistogram h;
        h.record(10);
        h.record(20);
        QCOMPARE(h.percentile(-1.0), Micros(10));
        QCOMPARE(h.percentile(2.0), Micros(20));
        QCOMPARE(h.percentile(std::nan("")), Micros(10));
    }

    void mergeAddsCountsSumAndMax()
    {
        LatencyHistogram a, b, total;
        for (Micros v = 100; v < 200; ++v)
            a.record(v);
        for (Micros v = 10000; v < 10050; ++v)
            b.record(v);
        a.mergeInto(total);
        b.mergeInto(total);
        QCOMPARE(total.count(), 150u);
        QCOMPARE(total.max(), Micros(10049));
        QCOMPARE(total.sum(), a.sum() + b.sum());
        QVERIFY(withinBucketError(total.percentile(0.5), 174));
        QVERIFY(withinBucketError(total.percentile(0.9), 10034));
    }

    void resetEmpties()
    {
        LatencyHistogram h;
        h.record(1234);
        h.reset();
        QCOMPARE(h.count(), 0u);
        QCOMPARE(h.max(), Micros(0));
        QCOMPARE(h.sum(), 0u);
        QCOMPARE(h.percentile(0.99), Micros(0));
    }

    void cumulativeBucketsForPrometheus()
    {
        LatencyHistogram h;
        for (int i = 0; i < 10; ++i)
            h.record(100);             // 0.1 ms
        for (int i = 0; i < 5; ++i)
            h.record(10 * kMillis);    // 10 ms
        h.record(3 * kSeconds);
        h.record(1000 * kSeconds);     // beyond the range: only in +Inf
        const auto buckets = h.cumulativeBuckets({0.00005, 0.001, 0.005, 0.05, 1, 5, 200});
        QCOMPARE(buckets.size(), std::size_t(8));
        QCOMPARE(buckets[0].second, 0u);
        QCOMPARE(buckets[1].second, 10u);
        QCOMPARE(buckets[2].second, 10u);
        QCOMPARE(buckets[3].second, 15u);
        QCOMPARE(buckets[4].second, 15u);
        QCOMPARE(buckets[5].second, 16u);
        QCOMPARE(buckets[6].second, 16u);
        QVERIFY(std::isinf(buckets[7].first));
        QCOMPARE(buckets[7].second, 17u);
        QCOMPARE(buckets[3].first, 0.05);
    }

    void concurrentRecordsAreAllCounted()
    {
        LatencyHistogram h;
        constexpr int kPerThread = 200000;
        auto work = [&h](std::uint64_t seed) {
            SeededRandom rng(seed);
            for (int i = 0; i < kPerThread; ++i)
                h.record(Micros(rng.below(kSeconds)));
        };
        std::thread t1(work, 1), t2(work, 2);
        t1.join();
        t2.join();
        QCOMPARE(h.count(), std::uint64_t(2 * kPerThread));
        QVERIFY(h.max() < kSeconds);
    }
};

QTEST_APPLESS_MAIN(TestLatencyHistogram)
#include "tst_latency_histogram.moc"
