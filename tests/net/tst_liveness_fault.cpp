// Tests of heartbeat liveness and of fault spec parsing, fault decisions and their thread safety.
#include "net/resilience/Clock.h"
#include "net/resilience/FaultInjector.h"
#include "net/resilience/LivenessTracker.h"
#include "net/resilience/Random.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace dd::net;

// Enums are compared by name: on a failed QCOMPARE, QTest finds dd::net::toString by
// ADL and would delete[] the string literal it returns.

using Strings = std::vector<std::string>;

class TestLivenessFault : public QObject
{
    Q_OBJECT

private slots:
    void peerDiesAfterThreeMissedHeartbeats()
    {
        ManualClock clock;
        LivenessTracker t(clock);
        QCOMPARE(t.interval(), 1 * kSeconds);
        QVERIFY(!t.alive("a")); // never heard
        t.heard("a");
        QVERIFY(t.alive("a"));
        clock.advance(3 * kSeconds - 1);
        QVERIFY(t.alive("a"));
        QCOMPARE(t.expire(), Strings{});
        clock.advance(1);
        QVERIFY(!t.alive("a"));
        QCOMPARE(t.expire(), Strings{"a"});
        QCOMPARE(t.expire(), Strings{}); // reported once
        clock.advance(10 * kSeconds);
        QCOMPARE(t.expire(), Strings{});
        QCOMPARE(t.peers(), Strings{"a"}); // still known

        t.heard("a"); // back from the dead, reportable again
        QVERIFY(t.alive("a"));
        clock.advance(3 * kSeconds);
        QCOMPARE(t.expire(), Strings{"a"});
    }

    void peersExpireIndependently()
    {
        ManualClock clock;
        LivenessTracker t(clock, 500 * kMillis, 2); // dead after 1 s
        t.heard("b");
        t.heard("a");
        clock.advance(600 * kMillis);
        t.heard("c");
        clock.advance(400 * kMillis);
        QCOMPARE(t.expire(), (Strings{"a", "b"}));
        QVERIFY(t.alive("c"));
        clock.advance(500 * kMillis);
        t.heard("b"); // keeps b alive, c goes quiet
        clock.advance(100 * kMillis);
        QCOMPARE(t.expire(), Strings{"c"});
        QCOMPARE(t.peers(), (Strings{"a", "b", "c"}));
        t.forget("a");
        QCOMPARE(t.peers(), (Strings{"b", "c"}));
        QVERIFY(!t.alive("a"));
    }

    void parsesValidSpecs()
    {
        std::string error;
        auto r = parseFaultSpec("delivery.Create=fatal:100", &error);
        QVERIFY2(r.has_value(), error.c_str());
        QCOMPARE(r->service, std::string("delivery"));
        QCOMPARE(r->method, std::string("Create"));
        QCOMPARE(toString(r->kind), toString(FaultKind::Fatal));
        QCOMPARE(r->percent, 100.0);
        QCOMPARE(r->delay, Micros(0));

        r = parseFaultSpec("drone=delay:50:200", &error);
        QVERIFY2(r.has_value(), error.c_str());
        QCOMPARE(r->service, std::string("drone"));
        QVERIFY(r->method.empty());
        QCOMPARE(toString(r->kind), toString(FaultKind::Delay));
        QCOMPARE(r->percent, 50.0);
        QCOMPARE(r->delay, 200 * kMillis);

        // Service case-insensitive (stored lower-case), method case kept, kind any case.
        r = parseFaultSpec("  Drone.moveTo = Transient:12.5%  ", &error);
        QVERIFY2(r.has_value(), error.c_str());
        QCOMPARE(r->service, std::string("drone"));
        QCOMPARE(r->method, std::string("moveTo"));
        QCOMPARE(toString(r->kind), toString(FaultKind::Transient));
        QCOMPARE(r->percent, 12.5);

        r = parseFaultSpec("package-store=crash:0", &error);
        QVERIFY2(r.has_value(), error.c_str());
        QCOMPARE(toString(r->kind), toString(FaultKind::Crash));
        QCOMPARE(r->percent, 0.0);

        r = parseFaultSpec("drone=delay:100:0.5", &error);
        QVERIFY2(r.has_value(), error.c_str());
        QCOMPARE(r->delay, Micros(500));
    }

    void specRoundTrip_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("method fatal") << "delivery.Create=fatal:100";
        QTest::newRow("delay") << "drone=delay:50:200";
        QTest::newRow("fraction") << "drone.Move=transient:12.5";
        QTest::newRow("crash") << "scheduler=crash:1";
        QTest::newRow("sub-ms delay") << "drone=delay:100:0.25";
    }

    void specRoundTrip()
    {
        QFETCH(QString, spec);
        const auto r = parseFaultSpec(spec.toStdString(), nullptr);
        QVERIFY(r.has_value());
        QCOMPARE(QString::fromStdString(r->toSpec()), spec);
    }

    void rejectsBadSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected"); // fragment of the error message
        QTest::newRow("empty") << "" << "expected SERVICE";
        QTest::newRow("no equals") << "delivery fatal:100" << "missing '='";
        QTest::newRow("no service") << "=fatal:100" << "missing service";
        QTest::newRow("no method") << "delivery.=fatal:100" << "missing method";
        QTest::newRow("bad service") << "deli very=fatal:100" << "invalid service";
        QTest::newRow("two dots") << "a.b.c=fatal:100" << "invalid method";
        QTest::newRow("no kind") << "delivery=" << "missing fault kind";
        QTest::newRow("unknown kind") << "delivery=explode:10" << "unknown fault kind 'explode'";
        QTest::newRow("no percent") << "delivery=fatal" << "missing percentage";
        QTest::newRow("empty percent") << "delivery=fatal:" << "missing percentage";
        QTest::newRow("percent garbage") << "delivery=fatal:lots" << "not a number";
        QTest::newRow("percent trailing") << "delivery=fatal:10x" << "not a number";
        QTest::newRow("percent high") << "delivery=fatal:150" << "outside 0..100";
        QTest::newRow("percent negative") << "delivery=fatal:-1" << "outside 0..100";
        QTest::newRow("delay no ms") << "drone=delay:50" << "delay needs a duration";
        QTest::newRow("delay bad ms") << "drone=delay:50:soon" << "not a number of milliseconds";
        QTest::newRow("delay negative") << "drone=delay:50:-5" << "negative";
        QTest::newRow("fatal with ms") << "drone=fatal:50:5" << "takes no duration";
        QTest::newRow("trailing field") << "drone=delay:50:5:1" << "unexpected text";
    }

    void rejectsBadSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        std::string error;
        QVERIFY(!parseFaultSpec(spec.toStdString(), &error).has_value());
        QVERIFY2(QString::fromStdString(error).contains(expected), error.c_str());
        QVERIFY(QString::fromStdString(error).contains("fault spec"));
        QVERIFY(!parseFaultSpec(spec.toStdString(), nullptr).has_value()); // null error is fine
    }

    void noRulesMeansNoFault()
    {
        FaultInjector f;
        QVERIFY(f.empty());
        SeededRandom rng(1);
        const FaultDecision d = f.decide("delivery", "Create", rng);
        QCOMPARE(toString(d.kind), toString(FaultKind::None));
        QCOMPARE(d.delay, Micros(0));
    }

    void abortsMatchServiceCaseInsensitively()
    {
        FaultInjector f;
        f.add(*parseFaultSpec("delivery=fatal:100", nullptr));
        QVERIFY(!f.empty());
        SeededRandom rng(2);
        QCOMPARE(toString(f.decide("delivery", "Create", rng).kind), toString(FaultKind::Fatal));
        QCOMPARE(toString(f.decide("DELIVERY", "Get", rng).kind), toString(FaultKind::Fatal));
        QCOMPARE(toString(f.decide("drone", "Create", rng).kind), toString(FaultKind::None));
        QCOMPARE(toString(f.decide("deliveryx", "Create", rng).kind), toString(FaultKind::None));

        // Rules added directly (not parsed) are normalized too.
        f.clear();
        f.add(FaultRule{"Drone", "Move", FaultKind::Transient, 100, 0});
        QCOMPARE(f.rules().front().service, std::string("drone"));
        QCOMPARE(toString(f.decide("drone", "Move", rng).kind), toString(FaultKind::Transient));
        QCOMPARE(toString(f.decide("drone", "move", rng).kind), toString(FaultKind::None)); // method is case-sensitive
    }

    void methodRuleBeatsServiceRule()
    {
        FaultInjector f;
        f.add(*parseFaultSpec("delivery=fatal:100", nullptr));
        f.add(*parseFaultSpec("delivery.Get=fatal:0", nullptr));
        f.add(*parseFaultSpec("delivery.Cancel=transient:100", nullptr));
        SeededRandom rng(3);
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(toString(f.decide("delivery", "Get", rng).kind), toString(FaultKind::None));
            QCOMPARE(toString(f.decide("delivery", "Cancel", rng).kind), toString(FaultKind::Transient));
            QCOMPARE(toString(f.decide("delivery", "Create", rng).kind), toString(FaultKind::Fatal));
        }
        // Delays resolve separately: a method delay overrides the service delay.
        f.add(*parseFaultSpec("delivery=delay:100:50", nullptr));
        f.add(*parseFaultSpec("delivery.Get=delay:100:7", nullptr));
        QCOMPARE(f.decide("delivery", "Get", rng).delay, 7 * kMillis);
        QCOMPARE(f.decide("delivery", "Create", rng).delay, 50 * kMillis);
    }

    void delayAndAbortCombine()
    {
        FaultInjector f;
        f.add(*parseFaultSpec("drone=delay:100:200", nullptr));
        SeededRandom rng(4);
        FaultDecision d = f.decide("drone", "Move", rng);
        QCOMPARE(toString(d.kind), toString(FaultKind::Delay));
        QCOMPARE(d.delay, 200 * kMillis);
        f.add(*parseFaultSpec("drone=fatal:100", nullptr));
        d = f.decide("drone", "Move", rng);
        QCOMPARE(toString(d.kind), toString(FaultKind::Fatal)); // the abort kind, after the delay
        QCOMPARE(d.delay, 200 * kMillis);
    }

    void percentagesAreHonoured()
    {
        FaultInjector f;
        f.add(*parseFaultSpec("drone=delay:50:200", nullptr));
        // Exact draws: the delay rule uses the first uniform.
        ScriptedRandom below{0.49};
        ScriptedRandom above{0.51};
        QCOMPARE(toString(f.decide("drone", "", below).kind), toString(FaultKind::Delay));
        QCOMPARE(toString(f.decide("drone", "", above).kind), toString(FaultKind::None));

        f.clear();
        f.add(*parseFaultSpec("drone=transient:30", nullptr));
        f.add(*parseFaultSpec("drone=fatal:10", nullptr));
        SeededRandom rng(5);
        int transient = 0, fatal = 0;
        const int n = 10000;
        for (int i = 0; i < n; ++i) {
            const FaultKind k = f.decide("drone", "Move", rng).kind;
            transient += k == FaultKind::Transient;
            fatal += k == FaultKind::Fatal;
        }
        // Each kind keeps its own share of one draw (sd ~46 and ~30).
        QVERIFY2(std::abs(transient - 3000) < 200, qPrintable(QString::number(transient)));
        QVERIFY2(std::abs(fatal - 1000) < 120, qPrintable(QString::number(fatal)));
    }

    void addReplacesAndClearServiceRemoves()
    {
        FaultInjector f;
        f.add(*parseFaultSpec("drone=fatal:100", nullptr));
        f.add(*parseFaultSpec("DRONE=fatal:0", nullptr)); // same service, method and kind
        QCOMPARE(int(f.rules().size()), 1);
        QCOMPARE(f.rules().front().percent, 0.0);
        f.add(*parseFaultSpec("drone=transient:5", nullptr));
        f.add(*parseFaultSpec("drone.Move=fatal:5", nullptr));
        f.add(*parseFaultSpec("delivery=crash:1", nullptr));
        QCOMPARE(int(f.rules().size()), 4);
        f.add(FaultRule{"drone", "", FaultKind::None, 100, 0}); // meaningless, ignored
        QCOMPARE(int(f.rules().size()), 4);

        f.clearService("Drone");
        const auto left = f.rules();
        QCOMPARE(int(left.size()), 1);
        QCOMPARE(QString::fromStdString(left.front().toSpec()), QString("delivery=crash:1"));
        f.clear();
        QVERIFY(f.empty());
        QVERIFY(f.rules().empty());
        SeededRandom rng(6);
        QCOMPARE(toString(f.decide("delivery", "", rng).kind), toString(FaultKind::None));
    }

    void globalIsOneInstance()
    {
        QCOMPARE(&FaultInjector::global(), &FaultInjector::global());
    }

    void decideIsSafeWhileRulesChange()
    {
        FaultInjector f;
        std::atomic<bool> stop{false};
        std::atomic<int> bad{0};
        std::atomic<long> decisions{0};
        // Readers only ever see a complete rule set: one of {}, {fatal}, {fatal, delay}.
        std::atomic<int> started{0};
        auto reader = [&](std::uint64_t seed) {
            SeededRandom rng(seed);
            started++;
            while (!stop.load(std::memory_order_relaxed)) {
                const FaultDecision d = f.decide("Svc", "Call", rng);
                const bool ok = (d.kind == FaultKind::None && d.delay == 0)
                    || (d.kind == FaultKind::Fatal && (d.delay == 0 || d.delay == 5 * kMillis));
                if (!ok)
                    bad++;
                decisions.fetch_add(1, std::memory_order_relaxed);
            }
        };
        std::thread r1(reader, 11);
        std::thread r2(reader, 12);
        // Change the rules only while both readers are running, and keep changing
        // them until they have made plenty of decisions against the churn.
        while (started.load() < 2)
            std::this_thread::yield();
        for (int i = 0; i < 3000 || decisions.load(std::memory_order_relaxed) < 200000; ++i) {
            f.add(FaultRule{"svc", "", FaultKind::Fatal, 100, 0});
            f.add(FaultRule{"svc", "Call", FaultKind::Delay, 100, 5 * kMillis});
            (void)f.rules();
            if (i % 2)
                f.clear();
            else
                f.clearService("SVC");
        }
        stop = true;
        r1.join();
        r2.join();
        QCOMPARE(bad.load(), 0);
        QVERIFY(decisions.load() >= 200000);
        QVERIFY(f.empty());
    }
};

QTEST_APPLESS_MAIN(TestLivenessFault)
#include "tst_liveness_fault.moc"
