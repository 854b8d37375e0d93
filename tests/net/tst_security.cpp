// Tests of CURVE keys, the key store, socket security rules and ZAP admit/refuse over real tcp.
#include "mesh.pb.h"
#include "RpcTestSupport.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/security/CurveKeys.h"
#include "net/security/SocketSecurity.h"
#include "net/security/ZapAuthenticator.h"
#include "net/transport/EndpointTable.h"
#include "net/transport/ServiceLoop.h"
#include "net/transport/ZmqContext.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <zmq.h>

#include <atomic>
#include <memory>
#include <mutex>

using namespace dd::net;
using dd::net::test::OnLoop;
using namespace dronedelivery::v1;

namespace {

bool isZ85Key(const std::string &key)
{
    std::uint8_t binary[32];
    return key.size() == 40 && zmq_z85_decode(binary, key.c_str()) != nullptr;
}

std::string readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string("<unreadable>");
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

/// Echo calls and what became of them; callbacks run on the client's loop.
struct Calls
{
    std::atomic<int> inFlight{0};
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::mutex mutex;
    std::vector<StatusCode> failures;
};

void echo(ServiceLoop &loop, RpcClient &client, Calls &calls, int count, Micros deadline = 0,
          bool idempotent = false)
{
    loop.invoke([&] {
        for (int i = 0; i < count; ++i) {
            ++calls.inFlight;
            EchoRequest request;
            const std::string payload = "ping-" + std::to_string(i);
            request.set_payload(payload);
            CallOptions options;
            options.deadline = deadline;
            options.idempotent = idempotent;
            client.call<EchoReply>("Mesh.Echo", request, options, [&calls, payload](RpcResult<EchoReply> &&result) {
                if (result.ok() && result.value.payload() == payload) {
                    ++calls.ok;
                } else {
                    std::lock_guard lock(calls.mutex);
                    calls.failures.push_back(result.status.code);
                    ++calls.failed;
                }
                --calls.inFlight;
            });
        }
    });
}

void serveEcho(ServiceLoop &loop, RpcServer &server)
{
    loop.invoke([&] {
        server.handle<EchoRequest>("Mesh.Echo", Idempotency::Idempotent,
                                   [](const CallContext &, const EchoRequest &request, Responder responder) {
                                       EchoReply reply;
                                       reply.set_payload(request.payload());
                                       responder.reply(reply);
                                   });
    });
}

ServerOptions secured(const std::string &keysDir)
{
    ServerOptions options;
    options.security = SecurityConfig::fromKeysDir(keysDir);
    return options;
}

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT

private slots:
    void generatedKeysAreZ85()
    {
        const CurveKeyPair a = CurveKeyPair::generate();
        const CurveKeyPair b = CurveKeyPair::generate();
        QVERIFY(a.valid());
        QCOMPARE(a.publicKey.size(), std::size_t(40));
        QCOMPARE(a.secretKey.size(), std::size_t(40));
        QVERIFY(isZ85Key(a.publicKey));
        QVERIFY(isZ85Key(a.secretKey));
        QVERIFY(a.publicKey != a.secretKey);
        QVERIFY(a.publicKey != b.publicKey);
        char derived[41] = {};
        QCOMPARE(zmq_curve_public(derived, a.secretKey.c_str()), 0);
        QCOMPARE(std::string(derived), a.publicKey); // a real pair, not two random strings
        QVERIFY(!(CurveKeyPair{"short", "short"}.valid()));
    }

    void keyStoreGeneratesOnceThenLoads()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const CurveKeyStore store(dir.path().toStdString());
        std::string error;
        const auto first = store.keyPair("svc", &error);
        QVERIFY2(first, error.c_str());
        QVERIFY(first->valid());

        struct stat st{};
        QCOMPARE(::stat(dir.filePath("svc.key").toLocal8Bit().constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        QCOMPARE(readFile(dir.filePath("svc.pub")), first->publicKey + "\n");
        QCOMPARE(readFile(dir.filePath("svc.key")), first->publicKey + " " + first->secretKey + "\n");

        const auto again = store.keyPair("svc");
        QVERIFY(again);
        QCOMPARE(again->publicKey, first->publicKey);
        QCOMPARE(again->secretKey, first->secretKey);
        const auto fromOtherStore = CurveKeyStore(dir.path().toStdString()).keyPair("svc");
        QVERIFY(fromOtherStore);
        QCOMPARE(fromOtherStore->secretKey, first->secretKey);
        QCOMPARE(store.publicKey("svc").value_or(""), first->publicKey);

        const auto other = store.keyPair("other");
        QVERIFY(other);
        QVERIFY(other->publicKey != first->publicKey);
        QVERIFY(!store.publicKey("missing"));

        // Generated into a directory that does not exist yet.
        const CurveKeyStore nested(dir.filePath("a/b").toStdString());
        QVERIFY(nested.keyPair("deep"));
        QVERIFY(QFile::exists(dir.filePath("a/b/deep.pub")));
    }

    void keyFilesAreOwnerOnlyAndLoadingNeverCreates()
    {
        QTemporaryDir dir;
        const QString keysDir = dir.filePath("keys");
        const CurveKeyStore store(keysDir.toStdString());
        std::string error;
        QVERIFY(!store.loadKeyPair("svc", &error)); // load only: nothing there, nothing made
        QVERIFY2(error.find("svc") != std::string::npos, error.c_str());
        QVERIFY(!QFile::exists(keysDir));
        const auto pair = store.keyPair("svc");
        QVERIFY(pair);
        QVERIFY(store.authorize(pair->publicKey));
        auto modeOf = [](const QString &path) {
            struct stat st{};
            return ::stat(path.toLocal8Bit().constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
        };
        QCOMPARE(modeOf(keysDir), 0700);
        QCOMPARE(modeOf(keysDir + "/svc.key"), 0600);
        QCOMPARE(modeOf(keysDir + "/svc.pub"), 0644); // public, inside the 0700 directory
        QCOMPARE(modeOf(keysDir + "/authorized_clients"), 0600);
        QVERIFY(!store.looseDirectoryWarning());
        const auto loaded = store.loadKeyPair("svc", &error);
        QVERIFY2(loaded, error.c_str());
        QCOMPARE(loaded->secretKey, pair->secretKey);

        // A secret others can read is refused, as ssh does; a loose directory is reported.
        QVERIFY(::chmod((keysDir + "/svc.key").toLocal8Bit().constData(), 0644) == 0);
        QVERIFY(!store.loadKeyPair("svc", &error));
        QVERIFY2(error.find("chmod 600") != std::string::npos, error.c_str());
        QVERIFY(::chmod(keysDir.toLocal8Bit().constData(), 0755) == 0);
        QVERIFY(store.looseDirectoryWarning());
        QVERIFY(store.secureDirectory());
        QCOMPARE(modeOf(keysDir), 0700);
    }

    void startingAClientNeverChangesTheAllowList()
    {
        QTemporaryDir dir;
        const CurveKeyStore store(dir.path().toStdString());
        QVERIFY(store.keyPair("echo"));
        QVERIFY(store.keyPair("stranger")); // its pair exists, it was never admitted
        const std::string before = readFile(dir.filePath("authorized_clients"));
        zmq::socket_t dealer(ZmqContext::instance(), zmq::socket_type::dealer);
        secureClientSocket(dealer, "tcp://127.0.0.1:5555", "echo",
                           SecurityConfig::fromKeysDir(dir.path().toStdString(), "stranger"));
        QCOMPARE(readFile(dir.filePath("authorized_clients")), before);
        QVERIFY(store.authorizedClients().empty());
    }

    void corruptKeyFileIsAnError()
    {
        QTemporaryDir dir;
        const CurveKeyStore store(dir.path().toStdString());
        const CurveKeyPair valid = CurveKeyPair::generate();
        const QList<QByteArray> corrupt{
            "garbage",
            "",
            QByteArray::fromStdString(valid.publicKey),                                  // half a pair
            QByteArray::fromStdString(valid.publicKey + " " + valid.secretKey.substr(1)), // truncated
            QByteArray::fromStdString(valid.publicKey + " " + std::string(40, '~')),      // not Z85
            QByteArray::fromStdString(valid.publicKey + " " + valid.secretKey + " extra"),
            QByteArray(100, '\0'),
            // 40 characters with a NUL: zmq_z85_decode stops there (found by fuzz_curve_keys)
            QByteArray::fromStdString(valid.publicKey.substr(0, 10) + '\0' + valid.publicKey.substr(11) + " "
                                      + valid.secretKey),
        };
        for (int i = 0; i < corrupt.size(); ++i) {
            const std::string name = "bad" + std::to_string(i);
            writeFile(dir.filePath(QString::fromStdString(name + ".key")), corrupt[i]);
            std::string error;
            QVERIFY2(!store.keyPair(name, &error), name.c_str());
            QVERIFY2(!error.empty(), name.c_str());
            QVERIFY(!store.keyPair(name)); // no error pointer: still no crash
            // The broken file is left for a human, not silently replaced by a new identity.
            QCOMPARE(readFile(dir.filePath(QString::fromStdString(name + ".key"))), corrupt[i].toStdString());
        }
        writeFile(dir.filePath("badpub.pub"), "not a key\n");
        QVERIFY(!store.publicKey("badpub"));
        writeFile(dir.filePath("nulpub.pub"), QByteArray::fromStdString(valid.publicKey).replace(10, 1, "\0", 1));
        QVERIFY(!store.publicKey("nulpub"));
    }

    void authorizeRejectsNonKeysAndDeduplicates()
    {
        QTemporaryDir dir;
        const CurveKeyStore store(dir.path().toStdString());
        QVERIFY(store.authorizedClients().empty());
        std::string error;
        QVERIFY(!store.authorize("not-a-key", &error));
        QVERIFY(!error.empty());
        QVERIFY(!store.authorize(std::string(40, '~')));
        QVERIFY(!store.authorize(""));
        const CurveKeyPair a = CurveKeyPair::generate();
        const CurveKeyPair b = CurveKeyPair::generate();
        QVERIFY(!store.authorize(a.publicKey.substr(0, 39)));
        QVERIFY(store.authorizedClients().empty());

        QVERIFY(store.authorize(a.publicKey));
        QVERIFY(store.authorize(a.publicKey));
        QCOMPARE(store.authorizedClients(), std::vector<std::string>{a.publicKey});
        QVERIFY(store.authorize(b.publicKey));
        QVERIFY(store.authorize(a.publicKey));
        QCOMPARE(store.authorizedClients(), (std::vector<std::string>{a.publicKey, b.publicKey}));
        QCOMPARE(readFile(dir.filePath("authorized_clients")), a.publicKey + "\n" + b.publicKey + "\n");
    }

    void tcpNeedsKeysInprocStaysPlain()
    {
        zmq::context_t &context = ZmqContext::instance();
        const SecurityConfig none;
        const SecurityConfig emptyDir = SecurityConfig::fromKeysDir("");
        QVERIFY(!emptyDir.keys);
        for (const SecurityConfig *config : {&none, &emptyDir}) {
            zmq::socket_t router(context, zmq::socket_type::router);
            zmq::socket_t dealer(context, zmq::socket_type::dealer);
            QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                     secureServerSocket(router, "tcp://127.0.0.1:*", "echo", *config));
            QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                     secureClientSocket(dealer, "tcp://127.0.0.1:5555", "echo", *config));
            secureServerSocket(router, "inproc://tst-security-plain", "echo", *config);
            secureClientSocket(dealer, "inproc://tst-security-plain", "echo", *config);
            QCOMPARE(router.get(zmq::sockopt::mechanism), ZMQ_NULL);
            QCOMPARE(dealer.get(zmq::sockopt::mechanism), ZMQ_NULL);
        }
        // The rule holds where sockets are made, too.
        ServiceLoop loop("plain");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, RpcServer(loop, "plain", "tcp://127.0.0.1:*"));

        // With a key directory: CURVE on tcp, still plain on inproc.
        QTemporaryDir dir;
        const SecurityConfig keys = SecurityConfig::fromKeysDir(dir.path().toStdString(), "me");
        // A process never makes its own secret: without echo's pair it cannot serve echo.
        zmq::socket_t noSecret(context, zmq::socket_type::router);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, secureServerSocket(noSecret, "tcp://127.0.0.1:*", "echo", keys));
        QVERIFY(!QFile::exists(dir.filePath("echo.key")));
        QVERIFY(keys.keys->keyPair("echo"));
        zmq::socket_t noIdentity(context, zmq::socket_type::dealer);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 secureClientSocket(noIdentity, "tcp://127.0.0.1:5555", "echo", keys));
        QVERIFY(!QFile::exists(dir.filePath("me.key")));
        QVERIFY(keys.keys->keyPair("me"));
        zmq::socket_t server(context, zmq::socket_type::router);
        secureServerSocket(server, "tcp://127.0.0.1:*", "echo", keys);
        QCOMPARE(server.get(zmq::sockopt::mechanism), ZMQ_CURVE);
        QCOMPARE(server.get(zmq::sockopt::curve_server), 1);
        QVERIFY(ZapAuthenticator::instance().running());
        zmq::socket_t client(context, zmq::socket_type::dealer);
        secureClientSocket(client, "tcp://127.0.0.1:5555", "echo", keys);
        QCOMPARE(client.get(zmq::sockopt::mechanism), ZMQ_CURVE);
        zmq::socket_t unknown(context, zmq::socket_type::dealer);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 secureClientSocket(unknown, "tcp://127.0.0.1:5555", "no-such-service", keys));
        zmq::socket_t local(context, zmq::socket_type::dealer);
        secureClientSocket(local, "inproc://tst-security-plain", "echo", keys);
        QCOMPARE(local.get(zmq::sockopt::mechanism), ZMQ_NULL);
    }

    void curveAdmitsAuthorizedAndRefusesOthers()
    {
        QTemporaryDir dir;
        const std::string keysDir = dir.path().toStdString();
        const CurveKeyStore store(keysDir);
        QVERIFY(store.keyPair("echo"));
        const auto a = store.keyPair("clientA");
        const auto b = store.keyPair("clientB");
        QVERIFY(a && b);
        QVERIFY(store.authorize(a->publicKey)); // before the server loads the allow-list

        ZapAuthenticator &zap = ZapAuthenticator::instance();
        ServiceLoop serverLoop("curve-srv");
        serverLoop.start();
        OnLoop<RpcServer> server(serverLoop, "echo", "tcp://127.0.0.1:*", secured(keysDir));
        serveEcho(serverLoop, *server);
        QVERIFY2(server->endpoint().rfind("tcp://127.0.0.1:", 0) == 0 && server->endpoint().back() != '*',
                 server->endpoint().c_str());
        QVERIFY(zap.running());
        QVERIFY(zap.allowed(a->publicKey));
        QVERIFY(!zap.allowed(b->publicKey));

        EndpointTable table;
        table.add({"echo", server->endpoint()});
        ServiceLoop clientLoop("curve-cli");
        clientLoop.start();

        const auto admittedBefore = zap.admitted();
        ClientOptions optionsA;
        optionsA.security = SecurityConfig::fromKeysDir(keysDir, "clientA");
        OnLoop<RpcClient> clientA(clientLoop, "clientA", "echo", table, optionsA);
        Calls callsA;
        // The first sends may find the CURVE handshake unfinished: call until one is answered.
        QTRY_VERIFY_WITH_TIMEOUT(
            (callsA.inFlight == 0 ? echo(clientLoop, *clientA, callsA, 1, 500 * kMillis) : void(), callsA.ok > 0),
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(callsA.inFlight.load(), 0, 10000); // no A call left to reach the server later
        QVERIFY(zap.admitted() > admittedBefore);

        const auto refusedBefore = zap.refused();
        const auto servedBefore = server->served();
        ClientOptions optionsB;
        optionsB.security = SecurityConfig::fromKeysDir(keysDir, "clientB");
        OnLoop<RpcClient> clientB(clientLoop, "clientB", "echo", table, optionsB);
        Calls callsB;
        echo(clientLoop, *clientB, callsB, 1, 500 * kMillis);
        QTRY_COMPARE_WITH_TIMEOUT(callsB.inFlight.load(), 0, 10000);
        QCOMPARE(callsB.ok.load(), 0);
        QCOMPARE(callsB.failed.load(), 1);
        const StatusCode code = callsB.failures.front();
        // Never connected, B's send fails at once (OVERLOADED) or waits out the deadline.
        QVERIFY2(code == DEADLINE_EXCEEDED || code == CIRCUIT_OPEN || code == OVERLOADED, statusName(code));
        qInfo("unauthorized call ended with %s", statusName(code));
        QTRY_VERIFY_WITH_TIMEOUT(zap.refused() > refusedBefore, 10000);
        QCOMPARE(server->served(), servedBefore); // B's request never reached the handler

        // A is unaffected by B's refusal.
        const int okBefore = callsA.ok;
        echo(clientLoop, *clientA, callsA, 5, 2 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(callsA.inFlight.load(), 0, 10000);
        QCOMPARE(callsA.ok.load(), okBefore + 5);
    }

    void roundRobinOverSeveralCurveInstances()
    {
        QTemporaryDir dir;
        const std::string keysDir = dir.path().toStdString();
        const CurveKeyStore store(keysDir);
        const auto client = store.keyPair("lbclient");
        QVERIFY(client);
        QVERIFY(store.keyPair("lb-echo"));
        QVERIFY(store.authorize(client->publicKey));

        ServiceLoop serverLoop("lb-srv");
        serverLoop.start();
        std::vector<std::unique_ptr<OnLoop<RpcServer>>> servers;
        EndpointTable table;
        for (int i = 0; i < 3; ++i) {
            servers.push_back(std::make_unique<OnLoop<RpcServer>>(serverLoop, "lb-echo", "tcp://127.0.0.1:*",
                                                                  secured(keysDir)));
            serveEcho(serverLoop, **servers.back());
            table.add({"lb-echo", (*servers.back())->endpoint()});
        }
        QCOMPARE(table.instances("lb-echo").size(), std::size_t(3));

        ServiceLoop clientLoop("lb-cli");
        clientLoop.start();
        ClientOptions options;
        options.lb = LbPolicy::RoundRobin;
        options.security = SecurityConfig::fromKeysDir(keysDir, "lbclient");
        OnLoop<RpcClient> rpc(clientLoop, "lb-caller", "lb-echo", table, options);

        auto allServed = [&] {
            for (auto &server : servers)
                if ((*server)->served() == 0)
                    return false;
            return true;
        };
        // Until every instance's handshake is done: idempotent calls, retried elsewhere.
        Calls warmup;
        QTRY_VERIFY_WITH_TIMEOUT(
            (warmup.inFlight == 0 ? echo(clientLoop, *rpc, warmup, 6, 1 * kSeconds, true) : void(), allServed()),
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(warmup.inFlight.load(), 0, 10000);
        // Sends that raced the handshakes count as failures: start the real run with clean breakers.
        clientLoop.invoke([&] {
            for (std::size_t i = 0; i < 3; ++i)
                rpc->resetBreaker(i);
        });

        std::vector<std::uint64_t> before;
        for (auto &server : servers)
            before.push_back((*server)->served());
        Calls calls;
        echo(clientLoop, *rpc, calls, 300, 5 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(calls.inFlight.load(), 0, 20000);
        QCOMPARE(calls.ok.load(), 300);
        QCOMPARE(calls.failed.load(), 0);
        std::uint64_t total = 0;
        QString spread;
        for (std::size_t i = 0; i < servers.size(); ++i) {
            const std::uint64_t served = (*servers[i])->served() - before[i];
            QVERIFY2(served > 0, qPrintable(QString("instance %1 served nothing").arg(i)));
            total += served;
            spread += QString::number(served) + " ";
        }
        QCOMPARE(total, std::uint64_t(300));
        qInfo("round robin spread: %s", qPrintable(spread));
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
