// Tests the service loop: timers on an injected clock (and its steps), posted tasks, invoke, cancel, clean stop.
#include "net/transport/ServiceLoop.h"

#include <QtTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace dd::net;

class TestServiceLoop : public QObject
{
    Q_OBJECT

private slots:
    void timersFireInDueOrderOnTheInjectedClock()
    {
        ManualClock clock;
        ServiceLoop loop("timers", clock);
        std::mutex mutex;
        std::vector<int> fired;
        auto note = [&](int n) { std::lock_guard lock(mutex); fired.push_back(n); };
        loop.after(300 * kMillis, [&] { note(3); });
        loop.after(100 * kMillis, [&] { note(1); });
        loop.after(200 * kMillis, [&] { note(2); });
        loop.start();
        clock.advance(150 * kMillis);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(loop.invoke([&] { std::lock_guard lock(mutex); return fired.size(); }), size_t(1), 5000);
        clock.advance(1 * kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(loop.invoke([&] { std::lock_guard lock(mutex); return fired.size(); }), size_t(3), 5000);
        std::lock_guard lock(mutex);
        QCOMPARE(fired, (std::vector<int>{1, 2, 3}));
    }

    void timerDoesNotFireBeforeItsTime()
    {
        ManualClock clock;
        ServiceLoop loop("early", clock);
        std::atomic<int> fired{0};
        loop.after(500 * kMillis, [&] { ++fired; });
        loop.start();
        clock.advance(499 * kMillis);
        // A round trip through the loop proves it has looked at the clock since.
        loop.wake();
        loop.invoke([] {});
        loop.invoke([] {});
        QCOMPARE(fired.load(), 0);
        clock.advance(1 * kMillis);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 1, 5000);
    }

    void cancelledTimerNeverRuns()
    {
        ManualClock clock;
        ServiceLoop loop("cancel", clock);
        std::atomic<int> fired{0};
        const auto id = loop.after(100 * kMillis, [&] { fired += 1; });
        loop.after(200 * kMillis, [&] { fired += 10; });
        loop.cancel(id);
        loop.start();
        clock.advance(1 * kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 10, 5000);
    }

    void repeatingTimerRunsEachIntervalAndCanCancelItself()
    {
        ManualClock clock;
        ServiceLoop loop("every", clock);
        std::atomic<int> runs{0};
        ServiceLoop::TimerId id = 0;
        id = loop.every(100 * kMillis, [&] {
            if (++runs == 3)
                loop.cancel(id);
        });
        loop.start();
        for (int i = 0; i < 5; ++i) {
            clock.advance(100 * kMillis);
            loop.wake();
            const int expected = std::min(i + 1, 3);
            QTRY_COMPARE_WITH_TIMEOUT(runs.load(), expected, 5000);
        }
        loop.invoke([] {});
        QCOMPARE(runs.load(), 3);
    }

    void aWallClockStepBackDoesNotStallTimers()
    {
        ManualClock clock;
        ServiceLoop loop("step-back", clock);
        std::atomic<int> runs{0};
        loop.every(1 * kSeconds, [&] { ++runs; });
        loop.start();
        clock.advance(1 * kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(runs.load(), 1, 5000);
        // NTP steps the wall clock an hour back: a second later the timer runs again, not an hour later.
        clock.jump(-3600 * kSeconds);
        clock.advance(1 * kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(runs.load(), 2, 5000);
    }

    void aWallClockStepForwardFiresNoTimerEarly()
    {
        ManualClock clock;
        ServiceLoop loop("step-forward", clock);
        std::atomic<int> fired{0};
        loop.after(10 * kSeconds, [&] { ++fired; });
        loop.start();
        clock.jump(3600 * kSeconds);
        loop.wake();
        loop.invoke([] {});
        loop.invoke([] {});
        QCOMPARE(fired.load(), 0);
        QCOMPARE(loop.invoke([&] { return loop.iterationClock().now(); }), clock.now()); // the wall time is the new one
        clock.advance(10 * kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 1, 5000);
    }

    void postedTasksRunOnTheLoopThreadInOrder()
    {
        ServiceLoop loop("post");
        loop.start();
        std::vector<int> order;
        std::thread::id seen;
        std::atomic<int> done{0};
        std::thread poster([&] {
            for (int i = 0; i < 1000; ++i)
                loop.post([&, i] {
                    order.push_back(i);
                    seen = std::this_thread::get_id();
                    ++done;
                });
        });
        poster.join();
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), 1000, 5000);
        const auto result = loop.invoke([&] { return std::make_pair(order, seen == std::this_thread::get_id()); });
        QVERIFY(result.second);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(result.first[size_t(i)], i);
    }

    void invokeReturnsTheValueComputedOnTheLoop()
    {
        ServiceLoop loop("invoke");
        loop.start();
        const auto callerThread = std::this_thread::get_id();
        const bool onOtherThread = loop.invoke([&] { return std::this_thread::get_id() != callerThread; });
        QVERIFY(onOtherThread);
        QVERIFY(loop.invoke([&] { return loop.inLoopThread(); }));
        QCOMPARE(loop.invoke([] { return 42; }), 42);
    }

    void socketHandlerRunsWhenReadable()
    {
        ServiceLoop loop("sockets");
        zmq::socket_t pull(loop.context(), zmq::socket_type::pull);
        pull.bind("inproc://tst-loop-pull");
        std::atomic<int> received{0};
        loop.addSocket(pull, [&] {
            zmq::message_t m;
            while (pull.recv(m, zmq::recv_flags::dontwait))
                ++received;
        });
        loop.start();
        zmq::socket_t push(loop.context(), zmq::socket_type::push);
        push.connect("inproc://tst-loop-pull");
        for (int i = 0; i < 100; ++i)
            push.send(zmq::str_buffer("x"));
        QTRY_COMPARE_WITH_TIMEOUT(received.load(), 100, 5000);
        loop.invoke([&] { loop.removeSocket(pull); });
        push.send(zmq::str_buffer("x"));
        loop.invoke([] {});
        loop.invoke([] {});
        QCOMPARE(received.load(), 100);
    }

    void stopIsIdempotentAndRunsPendingTasks()
    {
        auto loop = std::make_unique<ServiceLoop>("stop");
        loop->start();
        std::atomic<int> ran{0};
        loop->post([&] { ++ran; });
        loop->stop();
        QCOMPARE(ran.load(), 1);
        QVERIFY(!loop->running());
        loop->stop();
        loop.reset();
    }
};

QTEST_GUILESS_MAIN(TestServiceLoop)
#include "tst_service_loop.moc"
