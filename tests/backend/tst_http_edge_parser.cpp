// HttpEdgeParser: what the HTTP edge accepts and refuses, byte by byte and all at once.
#include "backend/gateway/HttpEdgeParser.h"

#include <QtTest>

using namespace dd::backend;

namespace {
HttpEdgeParser::Limits smallLimits()
{
    HttpEdgeParser::Limits limits;
    limits.maxRequestLineBytes = 64;
    limits.maxHeaderBytes = 256;
    limits.maxHeaderCount = 8;
    limits.maxBodyBytes = 100;
    return limits;
}

struct Outcome
{
    int heads = 0;
    int completed = 0;
    QList<HttpEdgeParser::Head> headList;
    std::optional<HttpEdgeParser::Rejection> rejection;
    HttpEdgeParser::Phase phase = HttpEdgeParser::Phase::BetweenRequests;
};

/// Feeds `bytes` in pieces of `step` bytes (0: all at once), as they may arrive from a socket.
Outcome parse(const QByteArray &bytes, qsizetype step = 0, HttpEdgeParser::Limits limits = smallLimits())
{
    HttpEdgeParser parser(limits);
    Outcome outcome;
    const qsizetype piece = step > 0 ? step : qMax<qsizetype>(1, bytes.size());
    for (qsizetype at = 0; at < bytes.size() && !outcome.rejection; at += piece) {
        const auto events = parser.feed(QByteArrayView(bytes).sliced(at, qMin(piece, bytes.size() - at)));
        outcome.heads += int(events.heads.size());
        outcome.headList += events.heads;
        outcome.completed += events.requestsCompleted;
        outcome.rejection = events.rejection;
    }
    outcome.phase = parser.phase();
    return outcome;
}

int statusOf(const QByteArray &bytes, qsizetype step = 0)
{
    const Outcome outcome = parse(bytes, step);
    return outcome.rejection ? outcome.rejection->status : 0;
}
} // namespace

class HttpEdgeParserTest : public QObject
{
    Q_OBJECT

private slots:
    void pipelinedRequestsEndWhereTheirFramingSays()
    {
        const QByteArray two = "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                               "POST /api/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                               "POST /api/y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        for (qsizetype step : {0, 1, 2, 7}) {
            const Outcome outcome = parse(two, step);
            QVERIFY2(!outcome.rejection, qPrintable(outcome.rejection ? outcome.rejection->message : QString()));
            QCOMPARE(outcome.heads, 3);
            QCOMPARE(outcome.completed, 3);
            QCOMPARE(outcome.phase, HttpEdgeParser::Phase::BetweenRequests);
        }
    }

    void bareLineFeedsAreReadAsQHttpServerReadsThem()
    {
        QCOMPARE(parse("GET / HTTP/1.1\nHost: x\n\n").completed, 1);
    }

    void sizesAreBounded()
    {
        QCOMPARE(statusOf("GET /" + QByteArray(100, 'a') + " HTTP/1.1\r\n"), 414);
        QCOMPARE(statusOf("GET /" + QByteArray(100, 'a'), 3), 414); // unfinished: refused as it grows
        QCOMPARE(statusOf("GET / HTTP/1.1\r\nX-Big: " + QByteArray(300, 'a')), 431);
        QCOMPARE(statusOf("GET / HTTP/1.1\r\nX-Big: " + QByteArray(300, 'a'), 5), 431);
        QByteArray many = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 9; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        QCOMPARE(statusOf(many + "\r\n"), 431);
        QCOMPARE(statusOf("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"), 413);
        QCOMPARE(statusOf("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + QByteArray(64, 'a')
                          + "\r\n40\r\n"),
                 413);
        QCOMPARE(statusOf(QByteArray(2000, '\n')), 400);
    }

    void ambiguousFramingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("two Content-Length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 60\r\n\r\n") << 400;
        QTest::newRow("equal Content-Length twice") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n") << 400;
        QTest::newRow("TE and CL") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") << 400;
        QTest::newRow("CL and TE") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("TE other") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("TE in 1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("CL sign") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n") << 400;
        QTest::newRow("CL list") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\n") << 400;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n") << 400;
        QTest::newRow("NUL in a value") << QByteArray("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 28) << 400;
        QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nnonsense\r\n\r\n") << 400;
        QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
        QTest::newRow("chunk extension") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n") << 400;
        QTest::newRow("chunk size LF only") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n") << 400;
        QTest::newRow("chunk size not hex") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\n") << 400;
        QTest::newRow("chunk data too long") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n") << 400;
        QTest::newRow("trailer") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("HTTP/0.9") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("control in target") << QByteArray("GET /a\tb HTTP/1.1\r\n\r\n") << 400;
    }

    void ambiguousFramingIsRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QCOMPARE(statusOf(request), status);
        QCOMPARE(statusOf(request, 1), status);
    }

    void nothingIsReadAfterARefusal()
    {
        HttpEdgeParser parser(smallLimits());
        const auto events = parser.feed("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 60\r\n\r\n{}GET / HTTP/1.1\r\n\r\n");
        QVERIFY(events.rejection);
        QCOMPARE(events.requestsCompleted, 0);
        QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n").requestsCompleted, 0);
    }

    void closeRequestsEndTheConnection()
    {
        const Outcome close = parse("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        QCOMPARE(close.completed, 1);
        QVERIFY(close.headList.at(0).closeAfter);
        QCOMPARE(close.phase, HttpEdgeParser::Phase::Closed);
        const Outcome http10 = parse("GET / HTTP/1.0\r\n\r\n");
        QVERIFY(http10.headList.at(0).closeAfter);
        const Outcome keepAlive = parse("GET / HTTP/1.1\r\n\r\n");
        QVERIFY(!keepAlive.headList.at(0).closeAfter);
        QCOMPARE(keepAlive.phase, HttpEdgeParser::Phase::BetweenRequests);
    }

    void headAndUpgradesAreNoted()
    {
        QVERIFY(parse("HEAD /healthz HTTP/1.1\r\n\r\n").headList.at(0).headMethod);
        const Outcome upgrade = parse("GET /api/events HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello");
        QVERIFY(upgrade.headList.at(0).webSocket);
        QCOMPARE(upgrade.phase, HttpEdgeParser::Phase::Upgraded);
        QCOMPARE(upgrade.completed, 0);
    }

    void bodyBytesCanBeSkippedUnread()
    {
        HttpEdgeParser parser(smallLimits());
        QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n").requestsCompleted, 0);
        QCOMPARE(parser.opaqueBytesAhead(), qint64(10));
        QCOMPARE(parser.skipOpaque(4).requestsCompleted, 0);
        QCOMPARE(parser.skipOpaque(6).requestsCompleted, 1);
        QCOMPARE(parser.opaqueBytesAhead(), qint64(0));
    }
};

QTEST_APPLESS_MAIN(HttpEdgeParserTest)
#include "tst_http_edge_parser.moc"
