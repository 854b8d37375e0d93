// Tests of full-jitter backoff and the sliding-window retry budget.
#include "net/resilience/Backoff.h"
#include "net/resilience/Clock.h"
#include "net/resilience/Random.h"
#include "net/resilience/RetryBudget.h"

#include <QtTest>

#include <climits>

using namespace dd::net;

class TestBackoffBudget : public QObject
{
    Q_OBJECT

private slots:
    void defaultsMatchDesign()
    {
        const RetryConfig c;
        QCOMPARE(c.maxAttempts, 3);
        QCOMPARE(c.baseBackoff, 25 * kMillis);
        QCOMPARE(c.maxBackoff, 250 * kMillis);
    }

    void backoffCeilingDoublesThenCaps()
    {
        const RetryConfig c;
        // A draw just below 1 lands on the inclusive upper bound of the range.
        ScriptedRandom top{0.99999999};
        QCOMPARE(fullJitterBackoff(c, 1, top), 25 * kMillis);
        QCOMPARE(fullJitterBackoff(c, 2, top), 50 * kMillis);
        QCOMPARE(fullJitterBackoff(c, 3, top), 100 * kMillis);
        QCOMPARE(fullJitterBackoff(c, 4, top), 200 * kMillis);
        QCOMPARE(fullJitterBackoff(c, 5, top), 250 * kMillis);
        QCOMPARE(fullJitterBackoff(c, 40, top), 250 * kMillis);
        QCOMPARE(fullJitterBackoff(c, INT_MAX, top), 250 * kMillis);
        // Retry numbers below 1 behave as the first retry.
        QCOMPARE(fullJitterBackoff(c, 0, top), 25 * kMillis);

        ScriptedRandom bottom{0.0};
        QCOMPARE(fullJitterBackoff(c, 3, bottom), Micros(0));
        ScriptedRandom half{0.5};
        QCOMPARE(fullJitterBackoff(c, 2, half), Micros(25 * kMillis));
    }

    void backoffIsUniformOverTheRange()
    {
        const RetryConfig c;
        SeededRandom rng(42);
        const int n = 10000;
        double sum = 0;
        Micros lo = LLONG_MAX, hi = 0;
        for (int i = 0; i < n; ++i) {
            const Micros b = fullJitterBackoff(c, 3, rng); // range [0, 100 ms]
            QVERIFY(b >= 0 && b <= 100 * kMillis);
            lo = std::min(lo, b);
            hi = std::max(hi, b);
            sum += double(b);
        }
        // Full jitter: the mean is half the ceiling and the draws cover the range.
        QVERIFY(std::abs(sum / n - 50.0 * kMillis) < 2.5 * kMillis);
        QVERIFY(lo < 2 * kMillis);
        QVERIFY(hi > 98 * kMillis);
    }

    void budgetFloorAllowsRetriesWithoutRequests()
    {
        ManualClock clock;
        RetryBudget budget(clock); // 20 %, floor 10/s over 10 s = 100
        for (int i = 0; i < 100; ++i)
            QVERIFY2(budget.tryAcquireRetry(), qPrintable(QString::number(i)));
        QVERIFY(!budget.tryAcquireRetry());
        QCOMPARE(budget.rejected(), std::uint64_t(1));
        QCOMPARE(budget.retriesInWindow(), std::uint64_t(100));
    }

    void budgetRefusesBeyondRatioPlusFloor()
    {
        ManualClock clock;
        RetryBudget budget(clock);
        for (int i = 0; i < 1000; ++i)
            budget.onRequest();
        // 20 % of 1000 + 10/s * 10 s = 300.
        int granted = 0;
        for (int i = 0; i < 400; ++i)
            granted += budget.tryAcquireRetry() ? 1 : 0;
        QCOMPARE(granted, 300);
        QCOMPARE(budget.rejected(), std::uint64_t(100));
    }

    void budgetRatioWithoutFloor()
    {
        ManualClock clock;
        RetryBudget budget(clock, 0.2, 0);
        QVERIFY(!budget.tryAcquireRetry()); // no requests, no floor: nothing to spend
        for (int i = 0; i < 100; ++i)
            budget.onRequest();
        for (int i = 0; i < 20; ++i)
            QVERIFY(budget.tryAcquireRetry());
        QVERIFY(!budget.tryAcquireRetry());
        for (int i = 0; i < 5; ++i)
            budget.onRequest();
        QVERIFY(budget.tryAcquireRetry()); // 20 spent < 0.2 * 105 = 21
        QVERIFY(!budget.tryAcquireRetry());
        QCOMPARE(budget.rejected(), std::uint64_t(3));
    }

    void budgetWindowSlidesPerSecond()
    {
        ManualClock clock;
        RetryBudget budget(clock, 0.2, 0, 10 * kSeconds);
        for (int i = 0; i < 100; ++i)
            budget.onRequest();
        for (int i = 0; i < 20; ++i)
            QVERIFY(budget.tryAcquireRetry());

        // Still inside the 10 one-second buckets: the spent retries still count.
        clock.advance(9 * kSeconds + 999 * kMillis);
        QCOMPARE(budget.requestsInWindow(), std::uint64_t(100));
        QVERIFY(!budget.tryAcquireRetry());

        // Those buckets have now left the window: no requests, no allowance.
        clock.advance(1 * kMillis);
        QCOMPARE(budget.requestsInWindow(), std::uint64_t(0));
        QCOMPARE(budget.retriesInWindow(), std::uint64_t(0));
        QVERIFY(!budget.tryAcquireRetry());

        // Fresh traffic earns a fresh allowance.
        for (int i = 0; i < 10; ++i)
            budget.onRequest();
        QVERIFY(budget.tryAcquireRetry());
        QVERIFY(budget.tryAcquireRetry());
        QVERIFY(!budget.tryAcquireRetry());
    }

    void budgetPartialExpiry()
    {
        ManualClock clock;
        RetryBudget budget(clock, 0.5, 0, 3 * kSeconds);
        for (int i = 0; i < 10; ++i)
            budget.onRequest(); // second 0
        clock.advance(1 * kSeconds);
        for (int i = 0; i < 4; ++i)
            budget.onRequest(); // second 1
        QCOMPARE(budget.requestsInWindow(), std::uint64_t(14));
        clock.advance(2 * kSeconds); // second 3: second 0 is gone, second 1 stays
        QCOMPARE(budget.requestsInWindow(), std::uint64_t(4));
        QVERIFY(budget.tryAcquireRetry());
        QVERIFY(budget.tryAcquireRetry());
        QVERIFY(!budget.tryAcquireRetry());
        // A long silence empties the whole ring at once.
        clock.advance(1000 * kSeconds);
        QCOMPARE(budget.requestsInWindow(), std::uint64_t(0));
        QVERIFY(!budget.tryAcquireRetry());
    }
};

QTEST_APPLESS_MAIN(TestBackoffBudget)
#include "tst_backoff_budget.moc"
