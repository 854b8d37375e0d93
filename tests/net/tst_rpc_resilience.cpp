// Tests the mesh's resilience over real sockets: retries, breakers, ejection, balancing, versions, liveness, faults.
#include "RpcTestSupport.h"

#include "net/resilience/FaultInjector.h"
#include "net/telemetry/MetricsRegistry.h"

using namespace dd::net;
using namespace dd::net::test;
using namespace dronedelivery::v1;

class TestRpcResilience : public QObject
{
    Q_OBJECT

    CallOptions idempotent()
    {
        CallOptions options;
        options.idempotent = true;
        return options;
    }

private slots:
    void transientFailuresAreRetriedForIdempotentCalls()
    {
        EchoServer server("retry", uniqueEndpoint("retry"), "r");
        ClientHarness client("retry", tableOf("retry", {{server.endpoint(), "v1"}}));
        const auto retriesBefore = MetricsRegistry::global().route("tester", "retry").retries();
        server.failNext = 2;
        const auto outcome = client.callAndWait("Echo", "x", idempotent());
        QVERIFY2(outcome.status.ok(), outcome.status.toString().c_str());
        QCOMPARE(outcome.attempts, 3u);
        QCOMPARE(MetricsRegistry::global().route("tester", "retry").retries() - retriesBefore, 2ULL);
    }

    void retriesStopAtMaxAttempts()
    {
        EchoServer server("retry", uniqueEndpoint("max"), "r");
        ClientHarness client("retry", tableOf("retry", {{server.endpoint(), "v1"}}));
        server.failNext = 10;
        const auto outcome = client.callAndWait("Echo", "x", idempotent());
        QCOMPARE(int(outcome.status.code), int(TRANSIENT));
        QCOMPARE(outcome.attempts, 3u);
        QCOMPARE(server.failNext.load(), 7);
    }

    void nonIdempotentCallsAreNeverRetried()
    {
        EchoServer server("retry", uniqueEndpoint("nonidem"), "r");
        ClientHarness client("retry", tableOf("retry", {{server.endpoint(), "v1"}}));
        server.failNext = 1;
        const auto outcome = client.callAndWait("Echo", "x"); // idempotent = false
        QCOMPARE(int(outcome.status.code), int(TRANSIENT));
        QCOMPARE(outcome.attempts, 1u);
    }

    void retriesStayInsideTheDeadline()
    {
        EchoServer server("retry", uniqueEndpoint("deadline"), "r");
        ClientOptions options;
        options.retry.baseBackoff = 1 * kSeconds;
        options.retry.maxBackoff = 1 * kSeconds;
        ScriptedRandom random{0.9}; // every backoff draw: 900 ms
        options.random = &random;
        ClientHarness client("retry", tableOf("retry", {{server.endpoint(), "v1"}}), options);
        server.failNext = 5;
        CallOptions call = idempotent();
        call.deadline = 300 * kMillis;
        const auto outcome = client.callAndWait("Echo", "x", call);
        // A 900 ms backoff does not fit in what is left of 300 ms: fail now, don't wait.
        QCOMPARE(int(outcome.status.code), int(TRANSIENT));
        QCOMPARE(outcome.attempts, 1u);
    }

    void breakerOpensAndTrafficMovesToHealthyInstances()
    {
        EchoServer bad("pool", uniqueEndpoint("bad"), "bad");
        EchoServer good1("pool", uniqueEndpoint("good1"), "g1");
        EchoServer good2("pool", uniqueEndpoint("good2"), "g2");
        bad.failNext = 1000;
        ClientOptions options;
        options.lb = LbPolicy::RoundRobin;
        ClientHarness client("pool",
                             tableOf("pool", {{bad.endpoint(), "v1"}, {good1.endpoint(), "v1"}, {good2.endpoint(), "v1"}}),
                             options);
        int failures = 0;
        for (int i = 0; i < 60; ++i)
            if (!client.callAndWait("Echo", "x").status.ok())
                ++failures;
        // Exactly the five consecutive failures that trip the breaker, then none.
        QCOMPARE(failures, 5);
        QCOMPARE(1000 - bad.failNext.load(), 5);
        QCOMPARE(toString(client.loop.invoke([&] { return client.client->pool().at(0).breaker->state(); })),
                 toString(BreakerState::Open));
        QCOMPARE(good1.echoes + good2.echoes, 55);
    }

    void ejectionNeverTakesMoreThanHalfThePool()
    {
        EchoServer a("eject", uniqueEndpoint("ej-a"), "a");
        EchoServer b("eject", uniqueEndpoint("ej-b"), "b");
        a.failNext = 1000;
        b.failNext = 1000;
        ClientOptions options;
        options.lb = LbPolicy::RoundRobin;
        ClientHarness client("eject", tableOf("eject", {{a.endpoint(), "v1"}, {b.endpoint(), "v1"}}), options);
        for (int i = 0; i < 30; ++i) {
            const auto outcome = client.callAndWait("Echo", "x");
            // Both tripped, but 100 % > 50 % ejected: calls still reach the servers.
            QCOMPARE(int(outcome.status.code), int(TRANSIENT));
        }
        QVERIFY(1000 - a.failNext.load() > 5);
        QVERIFY(1000 - b.failNext.load() > 5);
    }

    void isolatedInstanceGetsNoTraffic()
    {
        EchoServer a("iso", uniqueEndpoint("iso-a"), "a");
        EchoServer b("iso", uniqueEndpoint("iso-b"), "b");
        ClientHarness client("iso", tableOf("iso", {{a.endpoint(), "v1"}, {b.endpoint(), "v1"}}));
        client.loop.invoke([&] { client.client->isolate(0); });
        for (int i = 0; i < 20; ++i)
            QCOMPARE(client.callAndWait("Echo", "x").payload, std::string("b:x"));
        QCOMPARE(a.echoes.load(), 0);
        client.loop.invoke([&] { client.client->isolate(1); });
        QCOMPARE(int(client.callAndWait("Echo", "x").status.code), int(CIRCUIT_OPEN));
        client.loop.invoke([&] { client.client->resetBreaker(0); });
        QCOMPARE(client.callAndWait("Echo", "x").payload, std::string("a:x"));
    }

    void forcedClosedBreakerNeverTrips()
    {
        EchoServer a("forced", uniqueEndpoint("forced"), "a");
        a.failNext = 1000;
        ClientHarness client("forced", tableOf("forced", {{a.endpoint(), "v1"}}));
        client.loop.invoke([&] { client.client->forceClose(0); });
        for (int i = 0; i < 20; ++i)
            QCOMPARE(int(client.callAndWait("Echo", "x").status.code), int(TRANSIENT));
        QCOMPARE(1000 - a.failNext.load(), 20);
    }

    void versionedRoutingFollowsWeightsAndOverride()
    {
        EchoServer v1("ver", uniqueEndpoint("v1"), "v1");
        EchoServer v2("ver", uniqueEndpoint("v2"), "v2");
        ClientOptions options;
        options.versionWeights = {{"v1", 100}, {"v2", 0}};
        ClientHarness client("ver", tableOf("ver", {{v1.endpoint(), "v1"}, {v2.endpoint(), "v2"}}), options);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(client.callAndWait("Echo", "x").payload, std::string("v1:x"));
        CallOptions header;
        header.version = "v2";
        for (int i = 0; i < 10; ++i)
            QCOMPARE(client.callAndWait("Echo", "x", header).payload, std::string("v2:x"));
        QCOMPARE(v2.echoes.load(), 10);
    }

    void leastOutstandingAvoidsTheBusyInstance()
    {
        // A parks every call it gets; B answers at once. Two-choices on outstanding
        // calls sends A at most the first call.
        ServiceLoop slowLoop("slow");
        const std::string slowEndpoint = uniqueEndpoint("slow");
        std::vector<Responder> parked;
        std::atomic<int> parkedCount{0};
        RpcServer slow(slowLoop, "lb", slowEndpoint);
        slow.handleRaw("Echo", Idempotency::Idempotent, [&](const CallContext &, std::string_view, Responder r) {
            parked.push_back(std::move(r));
            ++parkedCount;
        });
        slowLoop.start();
        EchoServer fast("lb", uniqueEndpoint("fast"), "fast");
        ClientOptions options;
        options.lb = LbPolicy::LeastOutstanding;
        ClientHarness client("lb", tableOf("lb", {{slowEndpoint, "v1"}, {fast.endpoint(), "v1"}}), options);
        std::vector<std::future<ClientHarness::Outcome>> futures;
        for (int i = 1; i <= 20; ++i) {
            futures.push_back(client.call("Echo", "x"));
            QTRY_COMPARE_WITH_TIMEOUT(parkedCount.load() + fast.echoes.load(), i, 5000);
        }
        QVERIFY(parkedCount.load() <= 1);
        QVERIFY(fast.echoes.load() >= 19);
        slowLoop.invoke([&] { parked.clear(); });
        for (auto &f : futures)
            f.wait();
        slowLoop.stop();
    }

    void silentInstanceIsDeclaredDeadAndAvoided()
    {
        // Starts at the real time: the servers (real clock) judge request deadlines by it.
        ManualClock clock(Clock::system().now());
        EchoServer mute("live", uniqueEndpoint("mute"), "mute");
        EchoServer chatty("live", uniqueEndpoint("chatty"), "chatty");
        mute.server->setPaused(true); // reads and drops everything, heartbeats included
        ClientHarness client("live", tableOf("live", {{mute.endpoint(), "v1"}, {chatty.endpoint(), "v1"}}), {}, clock);
        auto alive = [&](size_t i) { return client.loop.invoke([&] { return client.client->pool().alive(i, clock.now()); }); };
        QVERIFY(alive(0) && alive(1));
        // Heartbeats go out each second of silence; three missed and the peer is dead.
        for (int second = 0; second < 4; ++second) {
            clock.advance(1 * kSeconds + 1);
            client.loop.wake();
            client.loop.invoke([] {});
        }
        QTRY_VERIFY_WITH_TIMEOUT(!alive(0) && alive(1), 5000);
        for (int i = 0; i < 10; ++i) {
            CallOptions options;
            options.deadline = 1 * kSeconds;
            auto future = client.call("Echo", "x", options);
            QTRY_VERIFY_WITH_TIMEOUT(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 5000);
            const auto outcome = future.get();
            QVERIFY2(outcome.status.ok(), outcome.status.toString().c_str());
            QCOMPARE(outcome.payload, std::string("chatty:x"));
        }
    }

    void injectedFaultsPerServiceAndMethod()
    {
        FaultInjector faults;
        ServerOptions serverOptions;
        serverOptions.faults = &faults;
        EchoServer server("faulty", uniqueEndpoint("faulty"), "f", serverOptions);
        ClientHarness client("faulty", tableOf("faulty", {{server.endpoint(), "v1"}}));
        std::string error;
        auto rule = parseFaultSpec("faulty.Echo=fatal:100", &error);
        QVERIFY2(rule, error.c_str());
        faults.add(*rule);
        const auto failed = client.callAndWait("Echo", "x", idempotent());
        QCOMPARE(int(failed.status.code), int(FATAL));
        QCOMPARE(failed.attempts, 1u); // fatal is not retried
        QCOMPARE(server.echoes.load(), 0);

        faults.clear();
        faults.add(*parseFaultSpec("faulty=transient:100"));
        const auto transient = client.callAndWait("Echo", "x", idempotent());
        QCOMPARE(int(transient.status.code), int(TRANSIENT));
        QCOMPARE(transient.attempts, 3u);

        faults.clear();
        faults.add(*parseFaultSpec("faulty=delay:100:60"));
        const auto t0 = std::chrono::steady_clock::now();
        QVERIFY(client.callAndWait("Echo", "x").status.ok());
        QVERIFY(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(60));

        faults.clear();
        faults.add(*parseFaultSpec("faulty=crash:100"));
        CallOptions shortCall;
        shortCall.deadline = 150 * kMillis;
        QCOMPARE(int(client.callAndWait("Echo", "x", shortCall).status.code), int(DEADLINE_EXCEEDED));
        faults.clear();
        QVERIFY(client.callAndWait("Echo", "x").status.ok());
    }

    void garbageFramesDoNotStopTheServer()
    {
        EchoServer server("garbage", uniqueEndpoint("garbage"), "g");
        zmq::socket_t raw(ZmqContext::instance(), zmq::socket_type::dealer);
        raw.set(zmq::sockopt::sndhwm, 0);
        raw.connect(server.endpoint());
        SeededRandom random(2026);
        Envelope valid;
        valid.set_kind(REQUEST);
        valid.set_method("Echo");
        valid.set_message_id(1);
        const std::string validFrame(view(frame(valid, "payload")));
        constexpr int kGarbage = 100000;
        for (int i = 0; i < kGarbage; ++i) {
            const int shape = int(random.below(4));
            if (shape == 0) { // random bytes
                std::string bytes(random.below(64), '\0');
                for (auto &c : bytes)
                    c = char(random.next());
                raw.send(zmq::buffer(bytes), zmq::send_flags::none);
            } else if (shape == 1) { // a valid frame cut inside its envelope
                raw.send(zmq::buffer(validFrame.data(), random.below(validFrame.size() - 7)), zmq::send_flags::none);
            } else if (shape == 2) { // several frames where one is expected
                raw.send(zmq::buffer(validFrame), zmq::send_flags::sndmore);
                raw.send(zmq::str_buffer("extra"), zmq::send_flags::none);
            } else { // a well-formed envelope of the wrong kind
                Envelope wrong = valid;
                wrong.set_kind(REPLY);
                raw.send(frame(wrong, "x"), zmq::send_flags::none);
            }
        }
        // The same connection's last message is valid: once answered, all garbage was read.
        Envelope sentinel = valid;
        sentinel.set_message_id(99);
        raw.send(frame(sentinel, "done"), zmq::send_flags::none);
        zmq::message_t reply;
        raw.set(zmq::sockopt::rcvtimeo, 30000);
        QVERIFY(raw.recv(reply));
        Envelope answer;
        std::string_view payload;
        QVERIFY(unframe(reply, answer, payload));
        QCOMPARE(answer.correlation_id(), 99ULL);
        QCOMPARE(payload, std::string_view("g:done"));
        QVERIFY(server.server->badFrames() >= kGarbage * 99 / 100);
        // And ordinary clients are still served.
        ClientHarness client("garbage", tableOf("garbage", {{server.endpoint(), "v1"}}));
        QVERIFY(client.callAndWait("Echo", "after").status.ok());
    }

    void oversizedMessagesAreCutOff()
    {
        EchoServer server("big", uniqueEndpoint("big"), "big");
        ClientHarness client("big", tableOf("big", {{server.endpoint(), "v1"}}));
        {
            zmq::socket_t raw(ZmqContext::instance(), zmq::socket_type::dealer);
            raw.connect(server.endpoint());
            const std::string huge(size_t(kMaxMessageBytes) + 1024, 'z');
            raw.send(zmq::buffer(huge), zmq::send_flags::none);
        }
        CallOptions options;
        options.deadline = 5 * kSeconds;
        const auto small = client.callAndWait("Echo", "fine", options);
        QVERIFY(small.status.ok());
        QCOMPARE(server.echoes.load(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRpcResilience)
#include "tst_rpc_resilience.moc"
