// Unit tests of the workflow's transient retry window: capped doubling delays, then failure.
#include "backend/scheduler/TransientRetry.h"

#include <QtTest>

using namespace dd::backend;
using dd::net::kMillis;
using dd::net::kSeconds;

class TestTransientRetry : public QObject
{
    Q_OBJECT
private slots:
    void delaysDoubleUpToTheCap()
    {
        TransientRetry retry;
        retry.window = 60 * kSeconds;
        retry.base = 100 * kMillis;
        retry.cap = 1 * kSeconds;
        Workflow w;
        dd::net::Micros now = 1'000'000;
        std::vector<dd::net::Micros> delays;
        for (int i = 0; i < 6; ++i) {
            const auto delay = retry.next(w, now);
            QVERIFY(delay);
            delays.push_back(*delay);
            QCOMPARE(w.nextAttemptAt, now + *delay);
            now += *delay;
        }
        const std::vector<dd::net::Micros> expected{100 * kMillis, 200 * kMillis, 400 * kMillis,
                                                    800 * kMillis, 1 * kSeconds,  1 * kSeconds};
        QCOMPARE(delays, expected);
        QCOMPARE(w.transientSince, dd::net::Micros(1'000'000));
    }

    void theLastAttemptIsAtTheWindowsEndThenItFails()
    {
        TransientRetry retry;
        retry.window = 1 * kSeconds;
        retry.base = 400 * kMillis;
        retry.cap = 10 * kSeconds;
        Workflow w;
        dd::net::Micros now = 0 + 1;
        QCOMPARE(*retry.next(w, now), 400 * kMillis);
        now += 400 * kMillis;
        QCOMPARE(*retry.next(w, now), 600 * kMillis); // clipped to the window's end, not 800 ms
        now += 600 * kMillis;
        QVERIFY(!retry.next(w, now)); // the window is spent: the workflow fails
    }

    void aSucceededStepStartsAfresh()
    {
        TransientRetry retry;
        retry.window = 10 * kSeconds;
        Workflow w;
        w.waiting = "account check failed";
        QVERIFY(retry.next(w, 5));
        QVERIFY(retry.next(w, 10));
        TransientRetry::reset(w);
        QCOMPARE(w.transientRounds, 0);
        QCOMPARE(w.transientSince, dd::net::Micros(0));
        QVERIFY(w.waiting.empty());
        QCOMPARE(*retry.next(w, 100 * kSeconds), retry.base); // a new window from now
    }
};

QTEST_GUILESS_MAIN(TestTransientRetry)
#include "tst_transient_retry.moc"
