// The service loop's exception boundary: a throwing task, timer, socket handler, RPC handler or reply callback fails alone.
#include "RpcTestSupport.h"
#include "net/telemetry/MetricsRegistry.h"
#include "net/transport/ServiceLoop.h"

#include <QtTest>

#include <atomic>
#include <stdexcept>

using namespace dd::net;
using namespace dd::net::test;

namespace {
/// What the process exports for this loop: the counter the boundary bumps.
std::uint64_t exportedFailures(const std::string &loopName)
{
    return MetricsRegistry::global().counter("loop_handler_failures_total", loopName).load();
}

const QRegularExpression kFailureLine("failed, the loop serves on:");
} // namespace

class TestLoopBoundary : public QObject
{
    Q_OBJECT

private slots:
    void aThrowingTaskOrTimerFailsAloneAndTheLoopServesOn()
    {
        ManualClock clock;
        ServiceLoop loop("boundary-tasks", clock);
        std::atomic<int> repeats{0};
        loop.every(100 * kMillis, [&] {
            ++repeats;
            throw std::runtime_error("disk I/O error in a timer");
        });
        loop.after(100 * kMillis, [] { throw 42; }); // not even a std::exception
        loop.start();
        for (int i = 0; i < 4; ++i)
            QTest::ignoreMessage(QtCriticalMsg, kFailureLine);
        loop.post([] { throw std::runtime_error("database or disk is full"); });
        clock.advance(100 * kMillis);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(loop.failures(), std::uint64_t(3), 5000);
        // The repeating timer is still scheduled, and the loop still runs what is posted.
        clock.advance(100 * kMillis);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(repeats.load(), 2, 5000);
        QCOMPARE(loop.invoke([] { return 7; }), 7);
        QTRY_COMPARE_WITH_TIMEOUT(loop.failures(), std::uint64_t(4), 5000);
        QCOMPARE(exportedFailures("boundary-tasks"), std::uint64_t(4));
        QVERIFY(MetricsRegistry::global().prometheusText().find(
                    "dd_loop_handler_failures_total{service=\"boundary-tasks\"} 4")
                != std::string::npos);
    }

    void aThrowingSocketHandlerFailsAloneAndReadsTheRestLater()
    {
        ServiceLoop loop("boundary-socket");
        zmq::socket_t pull(loop.context(), zmq::socket_type::pull);
        pull.bind("inproc://tst-boundary-pull");
        std::atomic<int> received{0};
        // One message per call, and every first one throws: the rest is still read on later turns.
        loop.addSocket(pull, [&] {
            zmq::message_t m;
            if (!pull.recv(m, zmq::recv_flags::dontwait))
                return;
            if (++received == 1)
                throw std::runtime_error("a bug in the handler");
        });
        loop.start();
        QTest::ignoreMessage(QtCriticalMsg, kFailureLine);
        zmq::socket_t push(loop.context(), zmq::socket_type::push);
        push.connect("inproc://tst-boundary-pull");
        for (int i = 0; i < 3; ++i)
            push.send(zmq::str_buffer("x"));
        QTRY_COMPARE_WITH_TIMEOUT(received.load(), 3, 5000);
        QCOMPARE(loop.failures(), std::uint64_t(1));
        loop.invoke([&] { loop.removeSocket(pull); });
    }

    void aThrowingRpcHandlerFailsThatCallAndTheNextIsAnswered()
    {
        ServiceLoop serverLoop("boundary-rpc");
        std::unique_ptr<RpcServer> server;
        std::atomic<int> calls{0};
        serverLoop.invoke([&] {
            server = std::make_unique<RpcServer>(serverLoop, "store", uniqueEndpoint("boundary-rpc"));
            server->handleRaw("Write", Idempotency::Idempotent, [&](const CallContext &, std::string_view payload, Responder r) {
                if (++calls == 1)
                    throw std::runtime_error("exec \"COMMIT\": database or disk is full");
                r.replyBytes(payload);
            });
        });
        serverLoop.start();
        ClientHarness client("store", tableOf("store", {{server->endpoint(), "v1"}}));
        const CallOptions once; // not idempotent: never retried, so the first answer is the handler's

        QTest::ignoreMessage(QtCriticalMsg, kFailureLine);
        const auto failed = client.callAndWait("Write", "first", once);
        QCOMPARE(failed.status.code, dronedelivery::v1::FATAL); // an answer, not a timeout
        const auto answered = client.callAndWait("Write", "second", once);
        QVERIFY2(answered.status.ok(), answered.status.toString().c_str());
        QCOMPARE(answered.payload, std::string("second"));
        QCOMPARE(serverLoop.failures(), std::uint64_t(1));
        QCOMPARE(exportedFailures("boundary-rpc"), std::uint64_t(1));
        serverLoop.invoke([&] { server.reset(); });
    }

    void aThrowingReplyCallbackFailsAloneAndTheClientCallsOn()
    {
        EchoServer echo("echo", uniqueEndpoint("boundary-echo"), "e");
        ClientHarness client("echo", tableOf("echo", {{echo.endpoint(), "v1"}}));
        std::atomic<int> callbacks{0};
        QTest::ignoreMessage(QtCriticalMsg, kFailureLine);
        client.loop.post([&] {
            // A Supervisor-like callback whose store write throws.
            client.client->callRaw("Echo", "x", {}, [&](const RpcReply &) {
                ++callbacks;
                throw std::runtime_error("disk I/O error");
            });
        });
        QTRY_COMPARE_WITH_TIMEOUT(client.loop.failures(), std::uint64_t(1), 10000);
        QCOMPARE(callbacks.load(), 1);
        const auto next = client.callAndWait("Echo", "y");
        QVERIFY2(next.status.ok(), next.status.toString().c_str());
        QCOMPARE(next.payload, std::string("e:y"));
    }
};

QTEST_GUILESS_MAIN(TestLoopBoundary)
#include "tst_loop_boundary.moc"
