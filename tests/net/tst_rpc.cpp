// Tests RPC basics over real inproc sockets: replies, errors, deadlines, de-duplication, tracing, metrics.
#include "RpcTestSupport.h"

#include "net/telemetry/MetricsRegistry.h"

using namespace dd::net;
using namespace dd::net::test;
using namespace dronedelivery::v1;

class TestRpc : public QObject
{
    Q_OBJECT

private slots:
    void echoOverInproc()
    {
        EchoServer server("echo", uniqueEndpoint("echo"), "a");
        ClientHarness client("echo", tableOf("echo", {{server.endpoint(), "v1"}}));
        const auto outcome = client.callAndWait("Echo", "hello");
        QVERIFY2(outcome.status.ok(), outcome.status.toString().c_str());
        QCOMPARE(outcome.payload, std::string("a:hello"));
        QCOMPARE(outcome.attempts, 1u);
    }

    void typedHandlersParseAndReply()
    {
        ServiceLoop loop("typed");
        const std::string endpoint = uniqueEndpoint("typed");
        RpcServer server(loop, "typed", endpoint);
        server.handle<EchoRequest>("Echo", Idempotency::Idempotent,
                                   [](const CallContext &, const EchoRequest &request, Responder r) {
                                       EchoReply reply;
                                       reply.set_payload(request.payload() + "!");
                                       r.reply(reply);
                                   });
        loop.start();
        ClientHarness client("typed", tableOf("typed", {{endpoint, "v1"}}));
        std::promise<RpcResult<EchoReply>> promise;
        client.loop.post([&] {
            EchoRequest request;
            request.set_payload("ping");
            client.client->call<EchoReply>("Echo", request, {},
                                           [&](RpcResult<EchoReply> &&result) { promise.set_value(std::move(result)); });
        });
        auto result = promise.get_future().get();
        QVERIFY(result.ok());
        QCOMPARE(result.value.payload(), std::string("ping!"));
        // A request that is not an EchoRequest is refused with BAD_REQUEST, not a crash.
        const auto bad = client.callAndWait("Echo", std::string("\xff\xff\xff", 3));
        QCOMPARE(int(bad.status.code), int(BAD_REQUEST));
        loop.invoke([] {});
        loop.stop();
    }

    void unknownMethodIsAnErrorReply()
    {
        EchoServer server("echo", uniqueEndpoint("unknown"), "a");
        ClientHarness client("echo", tableOf("echo", {{server.endpoint(), "v1"}}));
        const auto outcome = client.callAndWait("NoSuchMethod", "x");
        QCOMPARE(int(outcome.status.code), int(UNKNOWN_METHOD));
        QVERIFY(outcome.status.message.find("NoSuchMethod") != std::string::npos);
        QCOMPARE(server.server->unknownMethods(), 1ULL);
        QVERIFY(client.callAndWait("Echo", "still").status.ok());
    }

    void unansweredCallEndsAtItsDeadline()
    {
        ServiceLoop loop("hold");
        const std::string endpoint = uniqueEndpoint("hold");
        std::vector<Responder> parked;
        RpcServer server(loop, "hold", endpoint);
        server.handleRaw("Hold", Idempotency::Idempotent,
                         [&](const CallContext &, std::string_view, Responder r) { parked.push_back(std::move(r)); });
        loop.start();
        ClientHarness client("hold", tableOf("hold", {{endpoint, "v1"}}));
        CallOptions options;
        options.deadline = 150 * kMillis;
        const auto outcome = client.callAndWait("Hold", "x", options);
        QCOMPARE(int(outcome.status.code), int(DEADLINE_EXCEEDED));
        QCOMPARE(client.loop.invoke([&] { return client.client->inFlight(); }), size_t(0));
        loop.invoke([&] { parked.clear(); });
        loop.stop();
    }

    void serverDropsRequestsWhoseDeadlinePassed()
    {
        // The server's clock runs an hour ahead: every request arrives expired.
        ManualClock late(Clock::system().now() + 3600 * kSeconds);
        EchoServer server("echo", uniqueEndpoint("expired"), "a", {}, late);
        ClientHarness client("echo", tableOf("echo", {{server.endpoint(), "v1"}}));
        CallOptions options;
        options.deadline = 200 * kMillis;
        const auto outcome = client.callAndWait("Echo", "x", options);
        QCOMPARE(int(outcome.status.code), int(DEADLINE_EXCEEDED));
        QCOMPARE(server.server->droppedExpired(), 1ULL);
        QCOMPARE(server.echoes.load(), 0);
    }

    void nonIdempotentDuplicatesRunOnce()
    {
        ServiceLoop loop("book");
        const std::string endpoint = uniqueEndpoint("book");
        int executions = 0;
        RpcServer server(loop, "book", endpoint);
        server.handleRaw("Book", Idempotency::NonIdempotent,
                         [&](const CallContext &, std::string_view, Responder r) {
                             r.replyBytes(std::to_string(++executions));
                         });
        loop.start();
        ClientHarness client("book", tableOf("book", {{endpoint, "v1"}}));
        CallOptions options;
        options.idempotencyKey = "delivery-1/drone";
        QCOMPARE(client.callAndWait("Book", "x", options).payload, std::string("1"));
        QCOMPARE(client.callAndWait("Book", "x", options).payload, std::string("1"));
        QCOMPARE(server.dedupHits(), 1ULL);
        options.idempotencyKey = "delivery-2/drone";
        QCOMPARE(client.callAndWait("Book", "x", options).payload, std::string("2"));
        QCOMPARE(loop.invoke([&] { return executions; }), 2);
        loop.stop();
    }

    void droppedResponderAnswersFatal()
    {
        ServiceLoop loop("drop");
        const std::string endpoint = uniqueEndpoint("drop");
        RpcServer server(loop, "drop", endpoint);
        server.handleRaw("Forget", Idempotency::Idempotent, [](const CallContext &, std::string_view, Responder) {});
        server.handleRaw("Throw", Idempotency::Idempotent, [](const CallContext &, std::string_view, Responder) {
            throw std::runtime_error("bug");
        });
        loop.start();
        ClientHarness client("drop", tableOf("drop", {{endpoint, "v1"}}));
        const auto forgot = client.callAndWait("Forget", "x");
        QCOMPARE(int(forgot.status.code), int(FATAL));
        QVERIFY(forgot.status.message.find("did not answer") != std::string::npos);
        QCOMPARE(int(client.callAndWait("Throw", "x").status.code), int(FATAL));
        loop.stop();
    }

    void handlersMayAnswerLater()
    {
        ServiceLoop loop("later");
        const std::string endpoint = uniqueEndpoint("later");
        RpcServer server(loop, "later", endpoint);
        server.handleRaw("Later", Idempotency::Idempotent, [&](const CallContext &, std::string_view, Responder r) {
            auto shared = std::make_shared<Responder>(std::move(r));
            loop.after(5 * kMillis, [shared] { shared->replyBytes("late but fine"); });
        });
        loop.start();
        ClientHarness client("later", tableOf("later", {{endpoint, "v1"}}));
        const auto outcome = client.callAndWait("Later", "x");
        QVERIFY(outcome.status.ok());
        QCOMPARE(outcome.payload, std::string("late but fine"));
        loop.stop();
    }

    void pipelinedCallsAllComplete()
    {
        EchoServer server("echo", uniqueEndpoint("pipe"), "p");
        ClientHarness client("echo", tableOf("echo", {{server.endpoint(), "v1"}}));
        constexpr int kCalls = 10000;
        std::atomic<int> ok{0}, done{0};
        client.loop.post([&] {
            for (int i = 0; i < kCalls; ++i)
                client.client->callRaw("Echo", std::to_string(i), {}, [&, i](const RpcReply &reply) {
                    if (reply.status.ok() && reply.payload == "p:" + std::to_string(i))
                        ++ok;
                    ++done;
                });
        });
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), kCalls, 30000);
        QCOMPARE(ok.load(), kCalls);
        QCOMPARE(server.echoes.load(), kCalls);
    }

    void tracingLinksSpansAcrossHops()
    {
        // tester -> front -> back: four spans of one trace, each server span a child of its client span.
        EchoServer back("back", uniqueEndpoint("back"), "b");
        ServiceLoop frontLoop("front");
        const std::string frontEndpoint = uniqueEndpoint("front");
        auto backTable = tableOf("back", {{back.endpoint(), "v1"}});
        RpcServer front(frontLoop, "front", frontEndpoint);
        RpcClient toBack(frontLoop, "front", "back", backTable);
        front.handleRaw("Relay", Idempotency::Idempotent, [&](const CallContext &ctx, std::string_view payload, Responder r) {
            CallOptions options;
            options.parent = ctx.trace;
            auto shared = std::make_shared<Responder>(std::move(r));
            toBack.callRaw("Echo", std::string(payload), options,
                           [shared](const RpcReply &reply) { shared->replyBytes(reply.payload); });
        });
        frontLoop.start();
        ClientHarness client("front", tableOf("front", {{frontEndpoint, "v1"}}));
        CallOptions options;
        options.parent = TraceContext::newRoot(Random::threadLocal());
        const auto outcome = client.callAndWait("Relay", "x", options);
        QVERIFY(outcome.status.ok());
        QCOMPARE(outcome.payload, std::string("b:x"));

        const auto spans = SpanStore::global().trace(options.parent.traceIdHi, options.parent.traceIdLo);
        QCOMPARE(spans.size(), size_t(4));
        auto find = [&](SpanKind kind, std::string_view service) -> const Span * {
            for (const auto &span : spans)
                if (span.kind == kind && span.service() == service)
                    return &span;
            return nullptr;
        };
        const Span *c1 = find(SpanKind::Client, "tester");
        const Span *s1 = find(SpanKind::Server, "front");
        const Span *c2 = find(SpanKind::Client, "front");
        const Span *s2 = find(SpanKind::Server, "back");
        QVERIFY(c1 && s1 && c2 && s2);
        QCOMPARE(c1->parentSpanId, options.parent.spanId);
        QCOMPARE(c1->name(), std::string_view("front.Relay"));
        QCOMPARE(s1->parentSpanId, c1->spanId);
        QCOMPARE(c2->parentSpanId, s1->spanId);
        QCOMPARE(s2->parentSpanId, c2->spanId);
        QVERIFY(c1->duration >= s1->duration);
        frontLoop.invoke([] {});
        frontLoop.stop();
    }

    void routeMetricsCountOutcomesAndExport()
    {
        EchoServer server("metricsvc", uniqueEndpoint("metrics"), "m");
        ClientHarness client("metricsvc", tableOf("metricsvc", {{server.endpoint(), "v1"}}));
        auto &route = MetricsRegistry::global().route("tester", "metricsvc");
        const auto before = route.snapshot();
        for (int i = 0; i < 10; ++i)
            QVERIFY(client.callAndWait("Echo", "x").status.ok());
        QCOMPARE(client.callAndWait("Nope", "x").status.code, UNKNOWN_METHOD);
        const auto after = route.snapshot();
        QCOMPARE(after.requests - before.requests, 11ULL);
        QCOMPARE(after.successes - before.successes, 10ULL);
        QCOMPARE(after.outcomes[size_t(Outcome::Fatal)] - before.outcomes[size_t(Outcome::Fatal)], 1ULL);
        QVERIFY(after.p99 > 0);
        const std::string text = MetricsRegistry::global().prometheusText();
        QVERIFY(text.find("dd_route_requests_total{caller=\"tester\",callee=\"metricsvc\"}") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRpc)
#include "tst_rpc.moc"
