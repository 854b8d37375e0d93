// Tests of the circuit breaker state machine: triggers, half-open probes, escalation, manual controls.
#include "net/resilience/CircuitBreaker.h"
#include "net/resilience/Clock.h"

#include <QtTest>

using namespace dd::net;

// Enums are compared by name: on a failed QCOMPARE, QTest finds dd::net::toString by
// ADL and would delete[] the string literal it returns.

namespace {
void fail(CircuitBreaker &b, int n)
{
    for (int i = 0; i < n; ++i) {
        QVERIFY(b.allowRequest());
        b.onFailure();
    }
}
void succeed(CircuitBreaker &b, int n)
{
    for (int i = 0; i < n; ++i) {
        QVERIFY(b.allowRequest());
        b.onSuccess();
    }
}
} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private slots:
    void stateNames()
    {
        QCOMPARE(toString(BreakerState::Closed), "closed");
        QCOMPARE(toString(BreakerState::Open), "open");
        QCOMPARE(toString(BreakerState::HalfOpen), "half-open");
        QCOMPARE(toString(BreakerState::Isolated), "isolated");
        QCOMPARE(toString(BreakerState::ForcedClosed), "forced-closed");
    }

    void opensAtExactlyFifthConsecutiveFailure()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        fail(b, 4);
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        QCOMPARE(b.timesOpened(), 0);
        QVERIFY(b.allowRequest());
        b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QCOMPARE(b.timesOpened(), 1);
        QVERIFY(!b.allowRequest());
        QCOMPARE(b.currentOpenDuration(), 5 * kSeconds);
    }

    void successBreaksTheStreak()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        fail(b, 4);
        succeed(b, 1);
        fail(b, 4);
        // 8 failures of 9 calls, but below the minimum volume and never 5 in a row.
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        fail(b, 1);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
    }

    void ratioNeedsMinimumVolume()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.consecutiveFailures = 1000; // isolate the ratio trigger
        CircuitBreaker b(clock, cfg);
        // S F S F ...: after 19 calls 9 of them failed; the 20th (a failure) makes 10/20.
        for (int i = 0; i < 19; ++i) {
            QVERIFY(b.allowRequest());
            if (i % 2 == 0)
                b.onSuccess();
            else
                b.onFailure();
            QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        }
        QVERIFY(b.allowRequest());
        b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QCOMPARE(b.timesOpened(), 1);
    }

    void ratioBelowThresholdStaysClosed()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        // 2 failures in every 5 calls (40 %) over 100 calls.
        for (int i = 0; i < 100; ++i) {
            QVERIFY(b.allowRequest());
            if (i % 5 < 2)
                b.onFailure();
            else
                b.onSuccess();
        }
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
    }

    void ratioWindowSlides()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.consecutiveFailures = 1000;
        // The same traffic with and without a pause longer than the window.
        for (const bool pause : {false, true}) {
            CircuitBreaker b(clock, cfg);
            for (int i = 0; i < 19; ++i) {
                QVERIFY(b.allowRequest());
                if (i < 9)
                    b.onFailure();
                else
                    b.onSuccess();
            }
            if (pause)
                clock.advance(10 * kSeconds);
            QVERIFY(b.allowRequest());
            b.onFailure();
            QCOMPARE(toString(b.state()), toString(pause ? BreakerState::Closed : BreakerState::Open));
        }
    }

    void halfOpenAfterOpenDurationAndProbeCloses()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        fail(b, 5);
        clock.advance(5 * kSeconds - 1);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QVERIFY(!b.allowRequest());
        clock.advance(1);
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen)); // reported before anyone asks
        QVERIFY(b.allowRequest());                   // the probe
        QVERIFY(!b.allowRequest());                  // only one probe in flight
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        QVERIFY(b.allowRequest());
        b.onSuccess();
        // Counters restarted on close: it takes 5 new failures to open again.
        fail(b, 4);
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        fail(b, 1);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
    }

    void failedProbeReopensForTwiceAsLong()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        fail(b, 5);
        clock.advance(5 * kSeconds);
        QVERIFY(b.allowRequest());
        b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QCOMPARE(b.timesOpened(), 2);
        QCOMPARE(b.currentOpenDuration(), 10 * kSeconds);
        clock.advance(5 * kSeconds);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QVERIFY(!b.allowRequest());
        clock.advance(5 * kSeconds);
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        QVERIFY(b.allowRequest());
    }

    void ejectionTimeIsCapped()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.maxOpenDuration = 12 * kSeconds;
        CircuitBreaker b(clock, cfg);
        fail(b, 5);
        for (int opening = 2; opening <= 4; ++opening) {
            clock.advance(b.currentOpenDuration());
            QVERIFY(b.allowRequest());
            b.onFailure();
            QCOMPARE(b.timesOpened(), opening);
        }
        QCOMPARE(b.currentOpenDuration(), 12 * kSeconds);
    }

    void escalationSurvivesQuickRelapseButFadesWhenHealthy()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        fail(b, 5);
        clock.advance(5 * kSeconds);
        QVERIFY(b.allowRequest());
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        // Relapse soon after recovering: the second ejection lasts twice as long.
        fail(b, 5);
        QCOMPARE(b.timesOpened(), 2);
        QCOMPARE(b.currentOpenDuration(), 10 * kSeconds);

        clock.advance(10 * kSeconds);
        QVERIFY(b.allowRequest());
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        // Healthy for maxOpenDuration: the next ejection starts from the base again.
        clock.advance(60 * kSeconds);
        succeed(b, 1);
        fail(b, 5);
        QCOMPARE(b.timesOpened(), 1);
        QCOMPARE(b.currentOpenDuration(), 5 * kSeconds);
    }

    void lateOutcomesDoNotCloseOrCrash()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        // Eight calls admitted while closed; five fail and trip the breaker.
        for (int i = 0; i < 8; ++i)
            QVERIFY(b.allowRequest());
        for (int i = 0; i < 5; ++i)
            b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        // The other three answer late, while open.
        b.onSuccess();
        b.onSuccess();
        b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QCOMPARE(b.timesOpened(), 1);
        QVERIFY(!b.allowRequest());
        // Open time elapsed but no probe admitted yet: a straggler is still ignored.
        clock.advance(5 * kSeconds);
        b.onSuccess();
        b.onFailure();
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        QCOMPARE(b.timesOpened(), 1);
        QVERIFY(b.allowRequest());
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        // More outcomes than admitted calls do not confuse a closed breaker.
        b.onSuccess();
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
    }

    void severalProbes()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.halfOpenMaxProbes = 3;
        cfg.halfOpenSuccessesToClose = 2;
        CircuitBreaker b(clock, cfg);
        fail(b, 5);
        clock.advance(5 * kSeconds);
        QVERIFY(b.allowRequest());
        QVERIFY(b.allowRequest());
        QVERIFY(b.allowRequest());
        QVERIFY(!b.allowRequest());
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        QVERIFY(b.allowRequest()); // the finished probe freed its slot
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
    }

    void stragglerInHalfOpenIsNotAProbe()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.halfOpenSuccessesToClose = 2;
        CircuitBreaker b(clock, cfg);
        QVERIFY(b.allowRequest()); // admitted while closed, answers much later
        fail(b, 5);
        clock.advance(5 * kSeconds);
        QVERIFY(b.allowRequest());
        b.onSuccess(); // first probe succeeded; one more needed
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        b.onSuccess(); // the straggler: no probe in flight, must not count
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        b.onFailure(); // nor may a straggler's failure reopen it
        QCOMPARE(toString(b.state()), toString(BreakerState::HalfOpen));
        QCOMPARE(b.timesOpened(), 1);
        QVERIFY(b.allowRequest());
        b.onSuccess();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
    }

    void isolateForceCloseAndReset()
    {
        ManualClock clock;
        CircuitBreaker b(clock);
        b.isolate();
        QCOMPARE(toString(b.state()), toString(BreakerState::Isolated));
        QVERIFY(!b.allowRequest());
        b.onSuccess();
        clock.advance(120 * kSeconds);
        QCOMPARE(toString(b.state()), toString(BreakerState::Isolated));
        QVERIFY(!b.allowRequest());

        b.forceClose();
        QCOMPARE(toString(b.state()), toString(BreakerState::ForcedClosed));
        fail(b, 100);
        QCOMPARE(toString(b.state()), toString(BreakerState::ForcedClosed));
        QCOMPARE(b.timesOpened(), 0);

        b.reset();
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        // The failures seen while forced closed were cleared by reset().
        fail(b, 4);
        QCOMPARE(toString(b.state()), toString(BreakerState::Closed));
        fail(b, 1);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));

        // Isolating an open breaker keeps it shut past the open duration.
        b.isolate();
        clock.advance(10 * kSeconds);
        QCOMPARE(toString(b.state()), toString(BreakerState::Isolated));
        QVERIFY(!b.allowRequest());
        b.reset();
        QCOMPARE(b.timesOpened(), 0);
        QVERIFY(b.allowRequest());
    }

    void configIsKept()
    {
        ManualClock clock;
        CircuitBreakerConfig cfg;
        cfg.consecutiveFailures = 2;
        cfg.openDuration = 1 * kSeconds;
        CircuitBreaker b(clock, cfg);
        QCOMPARE(b.config().consecutiveFailures, 2);
        QCOMPARE(b.config().openDuration, 1 * kSeconds);
        fail(b, 2);
        QCOMPARE(toString(b.state()), toString(BreakerState::Open));
        QCOMPARE(b.currentOpenDuration(), 1 * kSeconds);
    }
};

QTEST_APPLESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
