// Tests that refused mesh connections are counted and logged: plain ZeroMQ, a wrong server key, garbage, ZAP denials.
#include "RpcTestSupport.h"
#include "net/security/CurveKeys.h"
#include "net/security/HandshakeMonitor.h"
#include "net/security/RefusalLog.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace dd::net;
using dd::net::test::OnLoop;

namespace {
std::uint64_t refusals(const std::string &service, const char *reason)
{
    return MetricsRegistry::global().counter("mesh_refused_total", service, "reason", reason).load();
}

int portOf(const std::string &endpoint)
{
    return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

/// A DEALER that connects and sends one frame, so libzmq starts the handshake.
void knock(zmq::socket_t &dealer, const std::string &endpoint)
{
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(endpoint);
    (void)dealer.send(zmq::str_buffer("hello"), zmq::send_flags::dontwait);
}
} // namespace

class TestMeshRefusals : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_keys;
    std::unique_ptr<ServiceLoop> m_loop;
    std::unique_ptr<OnLoop<RpcServer>> m_server;
    const std::string m_service = "refusal-echo";

private slots:
    void initTestCase()
    {
        m_keys = m_dir.path().toStdString();
        const CurveKeyStore store(m_keys);
        QVERIFY(store.keyPair(m_service));
        const auto admitted = store.keyPair("admitted");
        QVERIFY(admitted);
        QVERIFY(store.authorize(admitted->publicKey));
        QVERIFY(store.keyPair("stranger"));
        m_loop = std::make_unique<ServiceLoop>("refusal-srv");
        m_loop->start();
        ServerOptions options;
        options.security = SecurityConfig::fromKeysDir(m_keys);
        const auto watchedBefore = HandshakeMonitor::instance().watching();
        m_server = std::make_unique<OnLoop<RpcServer>>(*m_loop, m_service, "tcp://127.0.0.1:*", options);
        QCOMPARE(HandshakeMonitor::instance().watching(), watchedBefore + 1);
        // Every reason is exported at 0 from the start, so rate() works before the first refusal.
        const std::string text = MetricsRegistry::global().prometheusText();
        QVERIFY(text.find("dd_mesh_refused_total{service=\"refusal-echo\",reason=\"plaintext\"} 0") != std::string::npos);
    }
    void cleanupTestCase()
    {
        const auto watched = HandshakeMonitor::instance().watching();
        m_server.reset();
        // The socket closed: its monitor goes away by itself (MONITOR_STOPPED).
        QTRY_COMPARE_WITH_TIMEOUT(HandshakeMonitor::instance().watching(), watched - 1, 10000);
        m_loop->stop();
    }

    void aPlainZeroMqClientIsCounted()
    {
        const auto before = refusals(m_service, "plaintext");
        zmq::socket_t plain(ZmqContext::instance(), zmq::socket_type::dealer);
        knock(plain, (*m_server)->endpoint());
        QTRY_VERIFY_WITH_TIMEOUT(refusals(m_service, "plaintext") > before, 10000);
        QCOMPARE((*m_server)->served(), std::uint64_t(0));
    }

    void aClientWithAWrongServerKeyIsCounted()
    {
        const auto before = refusals(m_service, "bad_key");
        const CurveKeyStore store(m_keys);
        zmq::socket_t dealer(ZmqContext::instance(), zmq::socket_type::dealer);
        // An admitted client, but the server key it trusts is someone else's.
        makeCurveClient(dealer, *store.keyPair("admitted"), CurveKeyPair::generate().publicKey);
        knock(dealer, (*m_server)->endpoint());
        QTRY_VERIFY_WITH_TIMEOUT(refusals(m_service, "bad_key") > before, 10000);
    }

    void aClientNotOnTheAllowListIsCounted()
    {
        const auto before = refusals(m_service, "not_allowed");
        const CurveKeyStore store(m_keys);
        zmq::socket_t dealer(ZmqContext::instance(), zmq::socket_type::dealer);
        makeCurveClient(dealer, *store.keyPair("stranger"), *store.publicKey(m_service));
        knock(dealer, (*m_server)->endpoint());
        QTRY_VERIFY_WITH_TIMEOUT(refusals(m_service, "not_allowed") > before, 10000);
    }

    void garbageBytesAreCounted()
    {
        const auto before = HandshakeMonitor::instance().refused();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(portOf((*m_server)->endpoint())));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") + QByteArray(600, '\x7f'));
        QVERIFY(socket.waitForBytesWritten(5000));
        QTRY_VERIFY_WITH_TIMEOUT(HandshakeMonitor::instance().refused() > before, 10000);
        socket.abort();
    }

    void refusalLinesAreRateLimited()
    {
        ManualClock clock;
        RefusalLog log(clock, 3, 10 * kSeconds);
        std::uint64_t suppressed = 99;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(log.admit(&suppressed));
            QCOMPARE(suppressed, std::uint64_t(0));
        }
        for (int i = 0; i < 5; ++i)
            QVERIFY(!log.admit(&suppressed));
        clock.advance(10 * kSeconds);
        QVERIFY(log.admit(&suppressed));
        QCOMPARE(suppressed, std::uint64_t(5)); // the next line says how many were left out
        QVERIFY(log.admit(&suppressed));
        QCOMPARE(suppressed, std::uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestMeshRefusals)
#include "tst_mesh_refusals.moc"
