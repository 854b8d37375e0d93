// The HTTP edge against a real gateway: the probe's attacks over real sockets, each refused and bounded in time.
#include "GatewayTestSupport.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;

namespace {

/// A raw client: what it received so far, and whether the server has closed.
struct RawClient
{
    QTcpSocket socket;
    QByteArray received;

    explicit RawClient(quint16 port)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, [this] { received += socket.readAll(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(5000))
            qFatal("cannot connect to the gateway");
    }
    void send(const QByteArray &bytes) { socket.write(bytes); }
    bool closed() const { return socket.state() == QAbstractSocket::UnconnectedState; }
    int responses() const { return int(received.count("HTTP/1.1 ")); }
};

void tuneShort(GatewayOptions &options)
{
    options.edge.headerTimeout = 300 * dd::net::kMillis;
    options.edge.bodyTimeout = 300 * dd::net::kMillis;
    options.edge.idleTimeout = 300 * dd::net::kMillis;
    options.edge.lingerTimeout = 500 * dd::net::kMillis;
    options.edge.limits.maxHeaderBytes = 16 * 1024;
    options.edge.limits.maxRequestLineBytes = 4 * 1024;
    options.maxWebSocketClients = 2;
}

/// The edge's refusals of `reason` as /metrics exports them (-1: no such sample), so the
/// exposition is checked too: one family, the reason a label.
qint64 refused(const char *reason)
{
    const QByteArray text = QByteArray::fromStdString(dd::net::MetricsRegistry::global().prometheusText());
    const QByteArray sample = QByteArray("\ndd_http_edge_refused_total{service=\"gateway\",reason=\"") + reason + "\"} ";
    const qsizetype at = text.indexOf(sample);
    if (at < 0)
        return -1;
    const qsizetype from = at + sample.size();
    return text.mid(from, text.indexOf('\n', from) - from).toLongLong();
}

QByteArray scheduleRequest(const QByteArray &extraHeaders, const QByteArray &body)
{
    return "POST /api/deliveryrequests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extraHeaders
        + "\r\n" + body;
}

} // namespace

class HttpEdgeTest : public QObject
{
    Q_OBJECT

private slots:
    void refusalsAreOneFamilyLabelledByReasonFromZero()
    {
        Fixture f(true, 1000, {}, tuneShort);
        const std::string text = dd::net::MetricsRegistry::global().prometheusText();
        // Every reason is exported before its first refusal, so rate() has a series to work on.
        for (const QByteArray &reason : HttpEdgeGuard::reasons())
            QVERIFY2(refused(reason.constData()) >= 0, reason.constData());
        QCOMPARE(QByteArray::fromStdString(text).count("# TYPE dd_http_edge_refused_total counter\n"), 1);
        // The old per-reason families are gone.
        QVERIFY(text.find("dd_http_edge_header_too_large_total") == std::string::npos);
        QVERIFY(text.find("dd_http_edge_rejected_total") == std::string::npos);
    }

    void unfinishedHugeHeadersAre431BeforeAuthentication()
    {
        Fixture f(true, 1000, "tok-d dispatcher alice\n", tuneShort);
        const qint64 before = refused("header_too_large");
        // The probe's attack: 4 connections, 32 MiB of one header that never ends, no token.
        std::vector<std::unique_ptr<RawClient>> clients;
        const QByteArray huge(32 * 1024 * 1024, 'a');
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<RawClient>(f.port));
            clients.back()->send("GET /api/deliveries HTTP/1.1\r\nHost: x\r\nX-Big: " + huge);
        }
        for (auto &client : clients) {
            QTRY_VERIFY_WITH_TIMEOUT(client->closed(), 10000);
            QVERIFY2(client->received.startsWith("HTTP/1.1 431 "), client->received.left(200).constData());
            QVERIFY(client->received.contains("Connection: close"));
            QVERIFY(client->received.contains("\"HEADER_TOO_LARGE\""));
        }
        QCOMPARE(refused("header_too_large") - before, qint64(4));
    }

    void longUrlsAre414AndManyHeaders431()
    {
        Fixture f(true, 1000, {}, tuneShort);
        const qint64 urlBefore = refused("url_too_long");
        RawClient url(f.port);
        url.send("GET /healthz?" + QByteArray(64 * 1024, 'q'));
        QTRY_VERIFY_WITH_TIMEOUT(url.closed(), 5000);
        QVERIFY2(url.received.startsWith("HTTP/1.1 414 "), url.received.constData());
        QCOMPARE(refused("url_too_long") - urlBefore, qint64(1));

        QByteArray many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 200; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        RawClient headers(f.port);
        headers.send(many + "\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(headers.closed(), 5000);
        QVERIFY2(headers.received.startsWith("HTTP/1.1 431 "), headers.received.constData());
        QCOMPARE(f.gateway->port(), f.port); // still serving
        QCOMPARE(f.send("GET", "/healthz").status, 200);
    }

    void slowHeadersAndMissingBodiesAre408()
    {
        Fixture f(true, 1000, {}, tuneShort);
        const qint64 before = refused("header_timeout");
        const qint64 bodyBefore = refused("body_timeout");
        // Slowloris: header lines that never end the block, and a body that never comes.
        RawClient trickle(f.port);
        trickle.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n");
        RawClient noBody(f.port);
        noBody.send(scheduleRequest("Content-Length: 1000\r\n", "{"));
        QElapsedTimer elapsed;
        elapsed.start();
        QTRY_VERIFY_WITH_TIMEOUT(trickle.closed() && noBody.closed(), 5000);
        QVERIFY2(trickle.received.startsWith("HTTP/1.1 408 "), trickle.received.constData());
        QVERIFY2(noBody.received.startsWith("HTTP/1.1 408 "), noBody.received.constData());
        QVERIFY(elapsed.elapsed() >= 250); // the timeout, not something else, closed them
        QCOMPARE(refused("header_timeout") - before, qint64(1));
        QCOMPARE(refused("body_timeout") - bodyBefore, qint64(1));
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(0));
    }

    void silentAndIdleConnectionsAreClosed()
    {
        Fixture f(true, 1000, {}, tuneShort);
        RawClient silent(f.port);
        RawClient idle(f.port);
        idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(idle.received.contains("\r\n\r\n{"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(silent.closed() && idle.closed(), 5000);
        QVERIFY(silent.received.isEmpty()); // nothing asked, nothing answered
        QCOMPARE(idle.responses(), 1);
    }

    void conflictingLengthsAre400AndNothingIsSmuggled()
    {
        Fixture f(true, 1000, {}, tuneShort);
        RawClient twoLengths(f.port);
        twoLengths.send(scheduleRequest("Content-Length: 2\r\nContent-Length: 60\r\n", "{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        RawClient teAndCl(f.port);
        teAndCl.send(scheduleRequest("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                     "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        QTRY_VERIFY_WITH_TIMEOUT(twoLengths.closed() && teAndCl.closed(), 5000);
        for (const RawClient *client : {&twoLengths, &teAndCl}) {
            QVERIFY2(client->received.startsWith("HTTP/1.1 400 "), client->received.constData());
            QCOMPARE(client->responses(), 1); // the smuggled GET never ran
        }
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(0));
    }

    void connectionCloseAndHttp10EndTheConnection()
    {
        Fixture f(true, 1000, {}, tuneShort);
        RawClient close(f.port);
        close.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient old(f.port);
        old.send("GET /healthz HTTP/1.0\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(close.closed() && old.closed(), 2000); // well before the idle timeout
        for (const RawClient *client : {&close, &old}) {
            QVERIFY2(client->received.startsWith("HTTP/1.1 200 "), client->received.constData());
            QVERIFY(client->received.contains("Connection: close\r\n"));
            QCOMPARE(client->responses(), 1);
        }
    }

    void keepAliveAndChunkedBodiesStillWork()
    {
        Fixture f(true, 1000, {}, tuneShort);
        RawClient client(f.port);
        const QByteArray body = validBody();
        const QByteArray chunked = QByteArray::number(10, 16) + "\r\n" + body.left(10) + "\r\n"
            + QByteArray::number(body.size() - 10, 16) + "\r\n" + body.mid(10) + "\r\n0\r\n\r\n";
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + scheduleRequest("Transfer-Encoding: chunked\r\n", chunked)
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(client.responses(), 3, 5000);
        QVERIFY2(client.received.contains("HTTP/1.1 202 "), client.received.constData());
        QVERIFY(!client.closed());
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(1));
    }

    void wrongMethodsOnKnownPathsAre405WithAllow()
    {
        Fixture f(true, 1000, {}, tuneShort);
        const Response options = f.send("OPTIONS", "/api/deliveryrequests");
        QCOMPARE(options.status, 405);
        QCOMPARE(options.headers.value("allow"), QByteArray("POST"));
        QCOMPARE(options.json.value("error").toString(), QString("METHOD_NOT_ALLOWED"));
        const Response put = f.send("PUT", "/api/deliveries/d-1");
        QCOMPARE(put.status, 405);
        QCOMPARE(put.headers.value("allow"), QByteArray("GET"));
        QCOMPARE(f.send("GET", "/api/nothing").status, 404);
        // HEAD: headers only, so the next answer on the connection starts right after them.
        RawClient head(f.port);
        head.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(head.responses(), 2, 5000);
        QVERIFY2(head.received.startsWith("HTTP/1.1 405 "), head.received.constData());
        QVERIFY(head.received.contains("Allow: GET\r\n"));
        const qsizetype second = head.received.indexOf("HTTP/1.1 200 ");
        QVERIFY(second > 0);
        QVERIFY(head.received.left(second).endsWith("\r\n\r\n"));
    }

    void webSocketClientsAreCapped()
    {
        Fixture f(true, 1000, {}, tuneShort);
        QWebSocket first, second;
        for (QWebSocket *socket : {&first, &second}) {
            QSignalSpy connected(socket, &QWebSocket::connected);
            socket->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events").arg(f.port)));
            QVERIFY(connected.wait(5000));
        }
        QTRY_COMPARE_WITH_TIMEOUT(f.gateway->webSocketClients(), 2, 5000);
        RawClient third(f.port);
        third.send("GET /api/events HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(third.closed(), 5000);
        QVERIFY2(third.received.startsWith("HTTP/1.1 503 "), third.received.constData());
        QVERIFY(third.received.contains("Retry-After: 5\r\n"));
        QCOMPARE(f.gateway->webSocketClients(), 2);
        first.close();
        QTRY_COMPARE_WITH_TIMEOUT(f.gateway->webSocketClients(), 1, 5000);
        QWebSocket again;
        QSignalSpy connected(&again, &QWebSocket::connected);
        again.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events").arg(f.port)));
        QVERIFY(connected.wait(5000)); // room again
        QTRY_COMPARE_WITH_TIMEOUT(f.gateway->webSocketClients(), 2, 5000);
    }

    void unrepresentableTimesAndControlCharactersAre400NamingTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        const QByteArray valid = validBody();
        auto with = [&](const QByteArray &from, const QByteArray &to) { return QByteArray(valid).replace(from, to); };
        QTest::newRow("pickupTime 1e300") << with("\"2026-03-20T12:00:00Z\"", "1e300") << "pickupTime";
        QTest::newRow("pickupTime -1e300") << with("\"2026-03-20T12:00:00Z\"", "-1e300") << "pickupTime";
        QTest::newRow("NUL in ownerId") << with("owner-7", "owner-7\\u0000x") << "ownerId";
        QTest::newRow("newline in tag") << with("fragile", "frag\\nile") << "packageInfo.tag";
        QTest::newRow("escape in deadline") << with("LinkedIn", "\\u001b[31m") << "deadline";
    }

    void unrepresentableTimesAndControlCharactersAre400NamingTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        Fixture f(true, 1000, {}, tuneShort);
        const Response response = f.post("/api/deliveryrequests", body);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.json.value("field").toString(), field);
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(0));
        // A sane epoch millisecond time still binds.
        QCOMPARE(f.post("/api/deliveryrequests", QByteArray(validBody()).replace("\"2026-03-20T12:00:00Z\"", "1773921600000")).status,
                 202);
    }
};

QTEST_MAIN(HttpEdgeTest)
#include "tst_http_edge.moc"
