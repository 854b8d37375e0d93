// The JSON log line: valid JSON per line, its fields, escaping, and the trace of the RPC handler it was written in.
#include "LogLine.h"
#include "LogSink.h"

#include "../net/RpcTestSupport.h"
#include "net/telemetry/LogContext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QtTest>

Q_LOGGING_CATEGORY(lcTestScheduler, "dd.backend.scheduler")

using namespace dd;
using namespace dd::app;

namespace {
QJsonObject parseLine(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object (%s): %s", qPrintable(error.errorString()), line.constData());
    return doc.object();
}

QList<QByteArray> linesOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}
} // namespace

class TestLogSink : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void cleanup() { LogSink::uninstall(); }

    void fieldsOfAPlainLine()
    {
        LogRecord record;
        record.type = QtWarningMsg;
        record.category = "dd.backend.scheduler";
        record.message = QStringLiteral("retry budget spent");
        record.msecsSinceEpoch = 1796183807123; // 2026-12-02T03:56:47.123Z
        const QByteArray line = jsonLogLine(record);
        QVERIFY(line.endsWith("}\n"));
        QCOMPARE(line.count('\n'), 1);
        const QJsonObject json = parseLine(line);
        QCOMPARE(json.value("time").toString(), QStringLiteral("2026-12-02T03:56:47.123Z"));
        QCOMPARE(json.value("level").toString(), QStringLiteral("warning"));
        QCOMPARE(json.value("category").toString(), QStringLiteral("dd.backend.scheduler"));
        QCOMPARE(json.value("message").toString(), record.message);
        QCOMPARE(json.value("service").toString(), QStringLiteral("process"));
        QVERIFY(!json.contains("trace_id"));
        QVERIFY(!json.contains("span_id"));
    }

    void levelsAndDefaults()
    {
        QCOMPARE(logLevelName(QtDebugMsg), "debug");
        QCOMPARE(logLevelName(QtInfoMsg), "info");
        QCOMPARE(logLevelName(QtWarningMsg), "warning");
        QCOMPARE(logLevelName(QtCriticalMsg), "error");
        QCOMPARE(logLevelName(QtFatalMsg), "fatal");
        LogRecord record;
        record.service = "drone";
        const QJsonObject json = parseLine(jsonLogLine(record));
        QCOMPARE(json.value("category").toString(), QStringLiteral("default"));
        QCOMPARE(json.value("service").toString(), QStringLiteral("drone"));
    }

    void escapesQuotesNewlinesAndControlCharacters()
    {
        LogRecord record;
        record.message = QString::fromUtf8("say \"hi\"\\ line1\nline2\r\ttab\x01\x1f\x7f end — ünïcode");
        record.category = "weird\"category\n";
        const QByteArray line = jsonLogLine(record);
        QCOMPARE(line.count('\n'), 1); // the message's newline is escaped, the line ends once
        QVERIFY(line.contains(R"(say \"hi\"\\ line1\nline2\r\ttab\u0001\u001f\u007f end)"));
        for (char c = 0; c < 0x20; ++c)
            if (c != '\n')
                QVERIFY2(!line.contains(c), "a raw control character in the line");
        const QJsonObject json = parseLine(line);
        QCOMPARE(json.value("message").toString(), record.message);
        QCOMPARE(json.value("category").toString(), QStringLiteral("weird\"category\n"));
    }

    void traceIdsWhenATraceIsCurrent()
    {
        net::TraceContext trace;
        trace.traceIdHi = 0x0123456789abcdefULL;
        trace.traceIdLo = 0x0fedcba987654321ULL;
        trace.spanId = 0xabcULL;
        LogRecord record;
        record.trace = &trace;
        const QJsonObject json = parseLine(jsonLogLine(record));
        QCOMPARE(json.value("trace_id").toString(), QStringLiteral("0123456789abcdef0fedcba987654321"));
        QCOMPARE(json.value("span_id").toString(), QStringLiteral("0000000000000abc"));
    }

    void sinkWritesOneJsonObjectPerLineFromManyThreads()
    {
        const QString path = m_dir.filePath("threads.log");
        std::string error;
        QVERIFY2(LogSink::install(LogFormat::Json, path, &error), error.c_str());
        QCOMPARE(LogSink::file(), path);
        constexpr int kThreads = 4, kLines = 500;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([t] {
                net::LogContext::setThreadService("svc" + std::to_string(t));
                for (int i = 0; i < kLines; ++i)
                    qCInfo(lcTestScheduler, "thread %d line %d with a \"quote\"\nand a newline", t, i);
            });
        for (auto &thread : threads)
            thread.join();
        qCWarning(lcTestScheduler) << "from the test thread";
        LogSink::uninstall();
        const QList<QByteArray> lines = linesOf(path);
        QCOMPARE(lines.size(), kThreads * kLines + 1);
        int perThread[kThreads] = {};
        for (const QByteArray &line : lines) {
            const QJsonObject json = parseLine(line);
            QVERIFY2(!json.isEmpty(), line.constData());
            QCOMPARE(json.value("category").toString(), QStringLiteral("dd.backend.scheduler"));
            const QString service = json.value("service").toString();
            if (service == QLatin1String("process")) {
                QCOMPARE(json.value("level").toString(), QStringLiteral("warning"));
                continue;
            }
            QCOMPARE(json.value("level").toString(), QStringLiteral("info"));
            QVERIFY(json.value("message").toString().endsWith("\"quote\"\nand a newline"));
            ++perThread[service.mid(3).toInt()];
        }
        for (int count : perThread)
            QCOMPARE(count, kLines);
    }

    void lineInsideATracedHandlerCarriesItsTrace()
    {
        const QString path = m_dir.filePath("traced.log");
        std::string error;
        QVERIFY2(LogSink::install(LogFormat::Json, path, &error), error.c_str());
        {
            net::ServiceLoop serverLoop("scheduler");
            std::unique_ptr<net::RpcServer> server;
            serverLoop.invoke([&] {
                server = std::make_unique<net::RpcServer>(serverLoop, "scheduler",
                                                          net::test::uniqueEndpoint("log"));
                server->handleRaw("Plan", net::Idempotency::Idempotent,
                                  [](const net::CallContext &, std::string_view, net::Responder r) {
                                      qCInfo(lcTestScheduler) << "planning";
                                      r.replyBytes("ok");
                                  });
            });
            serverLoop.start();
            net::test::ClientHarness client("scheduler", net::test::tableOf("scheduler", {{server->endpoint(), ""}}));
            const auto outcome = client.callAndWait("Plan", "x");
            QVERIFY(outcome.status.ok());
            QVERIFY(outcome.trace.valid());
            qCInfo(lcTestScheduler) << "after the call"; // outside any handler: no trace
            serverLoop.invoke([&] { server.reset(); });
            serverLoop.stop();

            LogSink::uninstall();
            QJsonObject planning, after;
            for (const QByteArray &line : linesOf(path)) {
                const QJsonObject json = parseLine(line);
                if (json.value("message") == QLatin1String("planning"))
                    planning = json;
                else if (json.value("message") == QLatin1String("after the call"))
                    after = json;
            }
            QVERIFY(!planning.isEmpty());
            QCOMPARE(planning.value("service").toString(), QStringLiteral("scheduler"));
            QCOMPARE(planning.value("trace_id").toString(), QString::fromStdString(outcome.trace.traceIdHex()));
            const QString span = planning.value("span_id").toString();
            QCOMPARE(span.size(), 16);
            QVERIFY(span != QStringLiteral("0000000000000000"));
            QVERIFY(!after.isEmpty());
            QCOMPARE(after.value("service").toString(), QStringLiteral("process"));
            QVERIFY(!after.contains("trace_id"));
        }
    }

    void textToAFileAndBadFiles()
    {
        const QString path = m_dir.filePath("text.log");
        std::string error;
        QVERIFY2(LogSink::install(LogFormat::Text, path, &error), error.c_str());
        qCWarning(lcTestScheduler) << "plain text";
        LogSink::uninstall();
        const QList<QByteArray> lines = linesOf(path);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains("plain text"), lines.first().constData());
        QVERIFY(!LogSink::install(LogFormat::Json, m_dir.filePath("no/such/dir/x.log"), &error));
        QVERIFY2(QString::fromStdString(error).contains("cannot open the log file"), error.c_str());
        QCOMPARE(parseLogFormat("json"), std::optional<LogFormat>(LogFormat::Json));
        QCOMPARE(parseLogFormat("text"), std::optional<LogFormat>(LogFormat::Text));
        QVERIFY(!parseLogFormat("xml"));
    }
};

QTEST_GUILESS_MAIN(TestLogSink)
#include "tst_log_sink.moc"
