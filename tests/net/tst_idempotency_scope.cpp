// Tests of IdempotencyScope and of the RpcServer's de-duplication scoped by caller, operation and target.
#include "RpcTestSupport.h"
#include "mesh.pb.h"
#include "net/rpc/IdempotencyScope.h"
#include "net/security/CurveKeys.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dd::net;
using dd::net::test::ClientHarness;
using dd::net::test::OnLoop;
using namespace dronedelivery::v1;

namespace {

/// A "Decide" handler (non-idempotent) whose target is the request's payload, and a
/// "Plain" one without a subject; both count the executions they really ran.
struct DecideServer
{
    std::atomic<int> executed{0};

    void install(RpcServer &server)
    {
        server.handle<EchoRequest>(
            "Decide", Idempotency::NonIdempotent,
            [this](const CallContext &, const EchoRequest &request, Responder r) {
                ++executed;
                EchoReply reply;
                reply.set_payload("decided " + request.payload());
                r.reply(reply);
            },
            [](const EchoRequest &request) { return IdempotencySubject{"tester", {}, request.payload()}; });
        server.handle<EchoRequest>("Plain", Idempotency::NonIdempotent,
                                   [this](const CallContext &, const EchoRequest &request, Responder r) {
                                       ++executed;
                                       EchoReply reply;
                                       reply.set_payload("plain " + request.payload());
                                       r.reply(reply);
                                   });
    }
};

std::string payloadOf(const std::string &text)
{
    EchoRequest request;
    request.set_payload(text);
    return request.SerializeAsString();
}

std::string answerOf(const ClientHarness::Outcome &outcome)
{
    EchoReply reply;
    reply.ParseFromString(outcome.payload);
    return reply.payload();
}

CallOptions withKey(const std::string &key)
{
    CallOptions options;
    options.idempotencyKey = key;
    options.deadline = 5 * kSeconds;
    return options;
}

} // namespace

class TestIdempotencyScope : public QObject
{
    Q_OBJECT

private slots:
    void keysAreScopedAndUnambiguous()
    {
        QCOMPARE(IdempotencyScope::key("dispatcher/alice", "SCHEDULE", "", "k1"), std::string("dispatcher/alice|SCHEDULE|k1"));
        QCOMPARE(IdempotencyScope::key("dispatcher/alice", "CANCEL", "d-1", "k1"),
                 std::string("dispatcher/alice|CANCEL|d-1|k1"));
        QVERIFY(IdempotencyScope::key("a", "op", "t", "").empty()); // no client key: nothing to replay
        const std::string base = IdempotencyScope::key("alice", "Approve", "tx-1", "1");
        QVERIFY(base != IdempotencyScope::key("bob", "Approve", "tx-1", "1"));
        QVERIFY(base != IdempotencyScope::key("alice", "Reject", "tx-1", "1"));
        QVERIFY(base != IdempotencyScope::key("alice", "Approve", "tx-2", "1"));
        QVERIFY(base != IdempotencyScope::key("alice", "Approve", "", "tx-1|1"));
        // Separators inside a component cannot forge another scope.
        QVERIFY(IdempotencyScope::key("a|Approve", "x", "", "k") != IdempotencyScope::key("a", "Approve|x", "", "k"));
        QVERIFY(IdempotencyScope::key("a\\", "op", "t", "k") != IdempotencyScope::key("a", "\\op", "t", "k"));
        QVERIFY(IdempotencyScope::caller("K1", "alice") != IdempotencyScope::caller("K1|alice", ""));
        QCOMPARE(IdempotencyScope::caller("", "alice"), std::string("alice"));
        QCOMPARE(IdempotencyScope::operation("Accept", "CANCEL"), std::string("Accept.CANCEL"));
        QCOMPARE(IdempotencyScope::operation("Approve", ""), std::string("Approve"));
    }

    /// H1 of the API probe at the RPC layer: one client key on two targets runs both.
    void aReusedKeyOnAnotherTargetRunsAndTheSameTargetReplays()
    {
        DecideServer decide;
        ServiceLoop serverLoop("scope-srv");
        serverLoop.start();
        const std::string endpoint = dd::net::test::uniqueEndpoint("scope");
        OnLoop<RpcServer> server(serverLoop, "scope", endpoint);
        serverLoop.invoke([&] { decide.install(*server); });
        ClientHarness client("scope", dd::net::test::tableOf("scope", {{endpoint, "v1"}}));

        const auto x = client.callAndWait("Decide", payloadOf("tx-X"), withKey("1"));
        QVERIFY2(x.status.ok(), x.status.toString().c_str());
        QCOMPARE(answerOf(x), std::string("decided tx-X"));
        const auto y = client.callAndWait("Decide", payloadOf("tx-Y"), withKey("1"));
        QVERIFY2(y.status.ok(), y.status.toString().c_str());
        QCOMPARE(answerOf(y), std::string("decided tx-Y")); // not X's answer
        QCOMPARE(decide.executed.load(), 2);

        const auto hitsBefore = server->dedupHits();
        const auto again = client.callAndWait("Decide", payloadOf("tx-X"), withKey("1"));
        QCOMPARE(answerOf(again), std::string("decided tx-X"));
        QCOMPARE(decide.executed.load(), 2); // a true retry is still answered from the cache
        QCOMPARE(server->dedupHits(), hitsBefore + 1);

        // Another method with the same key is another operation.
        const auto plain = client.callAndWait("Plain", payloadOf("tx-X"), withKey("1"));
        QCOMPARE(answerOf(plain), std::string("plain tx-X"));
        QCOMPARE(decide.executed.load(), 3);
    }

    /// Across callers: two CURVE clients with their own keys never share a reply.
    void twoAuthenticatedClientsWithOneKeyAreTwoCallers()
    {
        QTemporaryDir dir;
        const std::string keysDir = dir.path().toStdString();
        const CurveKeyStore store(keysDir);
        QVERIFY(store.keyPair("scope"));
        const auto a = store.keyPair("client-a");
        const auto b = store.keyPair("client-b");
        QVERIFY(a && b);
        QVERIFY(store.authorize(a->publicKey));
        QVERIFY(store.authorize(b->publicKey));

        DecideServer decide;
        ServiceLoop serverLoop("scope-curve");
        serverLoop.start();
        ServerOptions serverOptions;
        serverOptions.security = SecurityConfig::fromKeysDir(keysDir);
        OnLoop<RpcServer> server(serverLoop, "scope", "tcp://127.0.0.1:*", serverOptions);
        serverLoop.invoke([&] { decide.install(*server); });
        const EndpointTable table = dd::net::test::tableOf("scope", {{server->endpoint(), "v1"}});

        auto callAs = [&](const std::string &clientName) {
            ClientOptions options;
            options.security = SecurityConfig::fromKeysDir(keysDir, clientName);
            ClientHarness client("scope", table, options);
            // The first send may race the CURVE handshake: a fresh key each round until one lands.
            ClientHarness::Outcome outcome;
            for (int round = 0; round < 20; ++round) {
                CallOptions call = withKey("shared-key");
                call.deadline = 1 * kSeconds;
                outcome = client.callAndWait("Plain", payloadOf(clientName), call);
                if (outcome.status.ok())
                    break;
            }
            return outcome;
        };
        const auto first = callAs("client-a");
        QVERIFY2(first.status.ok(), first.status.toString().c_str());
        QCOMPARE(answerOf(first), std::string("plain client-a"));
        const auto second = callAs("client-b");
        QVERIFY2(second.status.ok(), second.status.toString().c_str());
        QCOMPARE(answerOf(second), std::string("plain client-b")); // not a's answer
        QCOMPARE(decide.executed.load(), 2);
    }
};

QTEST_GUILESS_MAIN(TestIdempotencyScope)
#include "tst_idempotency_scope.moc"
