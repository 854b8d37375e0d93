// Tests of the sliding latency windows: an old slow period leaves the window, Prometheus stays cumulative.
#include "net/telemetry/LatencyWindow.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace dd::net;

class TestLatencyWindow : public QObject
{
    Q_OBJECT

private slots:
    void slowPeriodLeavesTheOneMinuteWindow()
    {
        // The issue-13 scenario: an 800 ms delay fault, then it is cleared.
        ManualClock clock;
        RouteMetrics route("scheduler", "drone", clock);
        for (int i = 0; i < 100; ++i)
            route.onOutcome(Outcome::Success, 800 * kMillis, 0);
        QVERIFY(std::abs(double(route.snapshot().p99 - 800 * kMillis)) <= 800.0 * kMillis / 32);

        // The fault is gone: fast calls from now on, one batch every 5 s.
        Micros fastSince = clock.now();
        auto fastFor = [&](Micros duration) {
            for (Micros t = 0; t < duration; t += 5 * kSeconds) {
                clock.advance(5 * kSeconds);
                for (int i = 0; i < 20; ++i)
                    route.onOutcome(Outcome::Success, 2 * kMillis, 0);
            }
        };
        fastFor(30 * kSeconds);
        QVERIFY2(route.snapshot().p99 >= 700 * kMillis, "30 s later the slow calls are still in the last minute");

        fastFor(45 * kSeconds); // 75 s after the fault: past the window and its slot
        const auto recent = route.snapshot();
        QVERIFY2(recent.p99 < 3 * kMillis, qPrintable(QString::number(recent.p99)));
        QVERIFY(recent.max < 3 * kMillis);
        QVERIFY(recent.window >= 60 * kSeconds && recent.window <= 70 * kSeconds);
        QVERIFY(recent.latencyCount > 0 && recent.latencyCount < 15 * 20);
        QVERIFY(clock.now() - fastSince >= recent.window);

        // The longer windows still see it, and the cumulative histogram always will.
        QVERIFY(route.snapshot(5 * 60 * kSeconds).p99 >= 700 * kMillis);
        QVERIFY(route.snapshot(15 * 60 * kSeconds).max == 800 * kMillis);
        QCOMPARE(route.latency().max(), 800 * kMillis);
        QCOMPARE(route.latency().count(), std::uint64_t(100 + 15 * 20));

        fastFor(6 * 60 * kSeconds);
        QVERIFY(route.snapshot(5 * 60 * kSeconds).p99 < 3 * kMillis);
        QVERIFY(route.snapshot(15 * 60 * kSeconds).p99 >= 700 * kMillis);
        fastFor(10 * 60 * kSeconds);
        QVERIFY(route.snapshot(15 * 60 * kSeconds).max < 3 * kMillis);
    }

    void windowCoversItsSpanAndNoMore()
    {
        ManualClock clock(0);
        LatencyWindow window(clock, 10 * kSeconds, 7);
        QCOMPARE(window.span(), 60 * kSeconds);
        window.record(5 * kMillis); // slot 0
        clock.set(65 * kSeconds);   // slot 6: slot 0 is still 6 slots back
        window.record(1 * kMillis);
        LatencyHistogram h;
        QCOMPARE(window.mergeInto(h, 60 * kSeconds), 65 * kSeconds);
        QCOMPARE(h.count(), std::uint64_t(2));
        LatencyHistogram shorter;
        window.mergeInto(shorter, 10 * kSeconds); // this slot and the one before
        QCOMPARE(shorter.count(), std::uint64_t(1));
        clock.set(70 * kSeconds); // slot 7 reuses slot 0's place: the old value is gone
        window.record(2 * kMillis);
        LatencyHistogram later;
        window.mergeInto(later, 60 * kSeconds);
        QCOMPARE(later.count(), std::uint64_t(2));
        QCOMPARE(later.max(), 2 * kMillis);
    }

    void idleRouteForgetsEverything()
    {
        ManualClock clock;
        RouteMetrics route("a", "b", clock);
        route.onOutcome(Outcome::Timeout, 2 * kSeconds, 0);
        clock.advance(2 * 60 * kSeconds); // no calls since: the ring was never rotated
        const auto s = route.snapshot();
        QCOMPARE(s.p99, Micros(0));
        QCOMPARE(s.latencyCount, std::uint64_t(0));
        QCOMPARE(route.latency().count(), std::uint64_t(1));
    }

    void aLateRecordDoesNotWipeANewerSlot()
    {
        ManualClock clock(0);
        LatencyWindow window(clock, 10 * kSeconds, 3);
        window.record(1 * kMillis, 35 * kSeconds); // slot 3, stored where slot 0 was
        window.record(9 * kMillis, 5 * kSeconds);  // slot 0, older than what that place holds
        LatencyHistogram h;
        window.mergeInto(h, 20 * kSeconds, 35 * kSeconds);
        QCOMPARE(h.count(), std::uint64_t(1));
        QCOMPARE(h.max(), 1 * kMillis);
    }

    void registrySnapshotsUseItsClock()
    {
        ManualClock clock;
        MetricsRegistry registry(clock);
        registry.route("gateway", "scheduler").onOutcome(Outcome::Success, 300 * kMillis, 0);
        QVERIFY(registry.routes().at(0).p99 > 250 * kMillis);
        clock.advance(71 * kSeconds);
        QCOMPARE(registry.routes().at(0).p99, Micros(0));
        QVERIFY(registry.routes(5 * 60 * kSeconds).at(0).p99 > 250 * kMillis);
        // Prometheus is cumulative: the _count and the slow bucket stay.
        const std::string text = registry.prometheusText();
        QVERIFY(text.find("dd_route_latency_seconds_count{caller=\"gateway\",callee=\"scheduler\"} 1\n")
                != std::string::npos);
        QVERIFY(text.find("dd_route_latency_seconds_bucket{caller=\"gateway\",callee=\"scheduler\",le=\"0.5\"} 1\n")
                != std::string::npos);
    }

    void concurrentRecordsAcrossRotationsAreCounted()
    {
        // Threads recording while the clock crosses slot boundaries: every value lands in
        // some slot, none is lost to a rotation (the window is longer than the run).
        ManualClock clock(0);
        RouteMetrics route("a", "b", clock);
        constexpr int kPerThread = 50000;
        std::atomic<bool> go{false};
        auto work = [&] {
            while (!go.load())
                std::this_thread::yield();
            for (int i = 0; i < kPerThread; ++i)
                route.onOutcome(Outcome::Success, 1000, 0);
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < 3; ++i)
            threads.emplace_back(work);
        go = true;
        for (int i = 0; i < 5; ++i) {
            std::this_thread::yield();
            clock.advance(10 * kSeconds);
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(route.snapshot().latencyCount, std::uint64_t(3 * kPerThread));
        QCOMPARE(route.latency().count(), std::uint64_t(3 * kPerThread));
    }

    void callbackMetricsAreExportedUntilReleased()
    {
        MetricsRegistry registry;
        double backlog = 7;
        auto gauge = registry.addCallback(MetricsRegistry::Type::Gauge, "ingestion_backlog", "ingestion",
                                          "Requests not yet acknowledged.", [&backlog] { return backlog; });
        auto a = registry.addCallback(MetricsRegistry::Type::Counter, "things_total", "gateway", "Things.",
                                      [] { return 2.0; });
        auto b = registry.addCallback(MetricsRegistry::Type::Counter, "things_total", "gateway", "Things.",
                                      [] { return 3.0; });
        std::string text = registry.prometheusText();
        QVERIFY(text.find("# TYPE dd_ingestion_backlog gauge\n") != std::string::npos);
        QVERIFY(text.find("dd_ingestion_backlog{service=\"ingestion\"} 7\n") != std::string::npos);
        QVERIFY(text.find("dd_things_total{service=\"gateway\"} 5\n") != std::string::npos); // summed, one sample
        QCOMPARE(std::count(text.begin(), text.end(), '#'), std::ptrdiff_t(2 * 2 + 2 * 7)); // 2 + 7 families
        backlog = 0.5;
        QVERIFY(registry.prometheusText().find("dd_ingestion_backlog{service=\"ingestion\"} 0.5\n") != std::string::npos);
        gauge.release();
        QVERIFY(!gauge.active());
        QVERIFY(registry.prometheusText().find("dd_ingestion_backlog") == std::string::npos);
        MetricsRegistry::Registration moved = std::move(a);
        QVERIFY(moved.active() && !a.active());
        moved = {};
        QVERIFY(registry.prometheusText().find("dd_things_total{service=\"gateway\"} 3\n") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestLatencyWindow)
#include "tst_latency_window.moc"
