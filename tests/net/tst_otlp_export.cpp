// OtlpExporter against a real local HTTP collector: spec-conforming JSON, batching, drops when down, flush on stop.
#include "OtlpReceiver.h"

#include "net/telemetry/MetricsRegistry.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/SpanRecorder.h"
#include "net/telemetry/otlp/OtlpExporter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <future>

using namespace dd::net;
using namespace dd::net::test;
using otlp::collector::trace::v1::ExportTraceServiceRequest;
using otlp::trace::v1::Span_SpanKind;
using otlp::trace::v1::Status;

namespace {
OtlpExporterOptions optionsFor(const QString &url, const std::string &metricsService)
{
    OtlpExporterOptions options;
    options.endpoint = *HttpEndpoint::parse(url);
    options.interval = 50 * kMillis;
    options.maxBatch = 64;
    options.metricsService = metricsService;
    options.resource.instanceId = "test-instance";
    return options;
}

/// Every span of every post, with the service.name of its resource.
std::vector<std::pair<QString, otlp::trace::v1::Span>> spansOf(const OtlpReceiver &receiver)
{
    std::vector<std::pair<QString, otlp::trace::v1::Span>> spans;
    for (const auto &post : receiver.posts()) {
        ExportTraceServiceRequest request;
        if (!parseExport(post.body, request))
            continue;
        for (const auto &resource : request.resource_spans())
            for (const auto &scope : resource.scope_spans())
                for (const auto &span : scope.spans())
                    spans.emplace_back(attribute(resource.resource().attributes(), "service.name"), span);
    }
    return spans;
}

/// Stops on another thread: the receiver answers on this one, so stop()'s flush must not block it.
void stopWhileServing(OtlpExporter &exporter)
{
    auto stopped = std::async(std::launch::async, [&exporter] { exporter.stop(); });
    QTRY_VERIFY_WITH_TIMEOUT(stopped.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 15000);
}
} // namespace

class TestOtlpExport : public QObject
{
    Q_OBJECT

private slots:
    void exportsSpansTheSpecsMessagesAccept()
    {
        OtlpReceiver receiver;
        OtlpExporter exporter(optionsFor(receiver.url(), "otlp-test-export"));
        exporter.start();
        SpanStore store;
        SpanFanout fanout(&store); // the store first, the exporter attached: both get each span
        fanout.add(&exporter);

        SeededRandom random(7);
        const TraceContext caller = TraceContext::newRoot(random);
        const TraceContext http = caller.child(random);
        const TraceContext client = http.child(random);
        const TraceContext server = client.child(random);
        SpanRecorder::Name httpName, clientName, serverName;
        SpanRecorder::formatName(httpName, "POST /api/deliveryrequests");
        SpanRecorder::formatName(clientName, "delivery.Get");
        SpanRecorder::formatName(serverName, "Get");
        const Micros t0 = 1'760'000'000 * kSeconds;
        SpanRecorder(&fanout, "gateway")
            .record(http, caller.spanId, httpName,
                    {.kind = SpanKind::Server, .start = t0, .duration = 9000, .status = 0, .httpStatus = 202});
        SpanRecorder(&fanout, "gateway")
            .record(client, http.spanId, clientName,
                    {.kind = SpanKind::Client, .start = t0 + 1000, .duration = 5000, .status = 4, .attempt = 2});
        SpanRecorder(&fanout, "delivery")
            .record(server, client.spanId, serverName,
                    {.kind = SpanKind::Server, .start = t0 + 2000, .duration = 1000, .status = 4});

        QCOMPARE(int(store.trace(caller.traceIdHi, caller.traceIdLo).size()), 3);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.spanCount(), 3, 10000);
        QCOMPARE(exporter.exported(), 3u);
        QCOMPARE(exporter.dropped(), 0u);

        for (const auto &post : receiver.posts()) {
            QCOMPARE(post.path, QByteArray("/v1/traces"));
            QCOMPARE(post.headers.value("content-type"), QByteArray("application/json"));
            ExportTraceServiceRequest request;
            QString error;
            QVERIFY2(parseExport(post.body, request, &error), qPrintable(error + ": " + post.body));
            // OTLP JSON ids are lower-case hex text, not protobuf's base64.
            const auto resources = QJsonDocument::fromJson(post.body).object().value("resourceSpans").toArray();
            for (const auto &resource : resources) {
                const auto spans = resource.toObject()
                                       .value("scopeSpans").toArray().first().toObject()
                                       .value("spans").toArray();
                for (const auto &span : spans) {
                    QCOMPARE(span.toObject().value("traceId").toString(), QString::fromStdString(caller.traceIdHex()));
                    QCOMPARE(span.toObject().value("spanId").toString().size(), 16);
                }
            }
            for (const auto &resource : request.resource_spans()) {
                QCOMPARE(attribute(resource.resource().attributes(), "service.instance.id"), QString("test-instance"));
                QVERIFY(!attribute(resource.resource().attributes(), "service.version").isEmpty());
                QCOMPARE(resource.scope_spans(0).scope().name(), std::string("dronedelivery.net"));
            }
        }

        const auto spans = spansOf(receiver);
        const auto find = [&spans](const TraceContext &context) {
            for (const auto &[service, span] : spans)
                if (hexId(span.span_id()) == QByteArray::fromStdString(context.traceparent().substr(36, 16)))
                    return std::make_pair(service, span);
            return std::make_pair(QString(), otlp::trace::v1::Span());
        };
        const auto hex = [](std::uint64_t id) { return QByteArray::fromStdString(TraceContext{1, 1, id, 1}.traceparent().substr(36, 16)); };

        const auto [httpService, httpSpan] = find(http);
        QCOMPARE(httpService, QString("gateway"));
        QCOMPARE(hexId(httpSpan.trace_id()), QByteArray::fromStdString(caller.traceIdHex()));
        QCOMPARE(hexId(httpSpan.parent_span_id()), hex(caller.spanId));
        QCOMPARE(httpSpan.name(), std::string("POST /api/deliveryrequests"));
        QCOMPARE(httpSpan.kind(), otlp::trace::v1::Span::SPAN_KIND_SERVER);
        QCOMPARE(httpSpan.start_time_unix_nano(), std::uint64_t(t0) * 1000);
        QCOMPARE(httpSpan.end_time_unix_nano(), std::uint64_t(t0 + 9000) * 1000);
        QCOMPARE(attribute(httpSpan.attributes(), "http.request.method"), QString("POST"));
        QCOMPARE(attribute(httpSpan.attributes(), "url.path"), QString("/api/deliveryrequests"));
        QCOMPARE(attribute(httpSpan.attributes(), "http.response.status_code"), QString("202"));
        QCOMPARE(httpSpan.status().code(), Status::STATUS_CODE_OK);

        const auto [clientService, clientSpan] = find(client);
        QCOMPARE(clientService, QString("gateway"));
        QCOMPARE(hexId(clientSpan.parent_span_id()), hex(http.spanId));
        QCOMPARE(clientSpan.kind(), otlp::trace::v1::Span::SPAN_KIND_CLIENT);
        QCOMPARE(attribute(clientSpan.attributes(), "rpc.system"), QString("zeromq"));
        QCOMPARE(attribute(clientSpan.attributes(), "rpc.service"), QString("delivery"));
        QCOMPARE(attribute(clientSpan.attributes(), "rpc.method"), QString("Get"));
        QCOMPARE(attribute(clientSpan.attributes(), "dd.rpc.attempt"), QString("2"));

        const auto [serverService, serverSpan] = find(server);
        QCOMPARE(serverService, QString("delivery"));
        QCOMPARE(hexId(serverSpan.parent_span_id()), hex(client.spanId));
        QCOMPARE(serverSpan.kind(), otlp::trace::v1::Span::SPAN_KIND_SERVER);
        QCOMPARE(attribute(serverSpan.attributes(), "rpc.service"), QString("delivery"));
        QCOMPARE(attribute(serverSpan.attributes(), "rpc.method"), QString("Get"));
        QCOMPARE(serverSpan.status().code(), Status::STATUS_CODE_ERROR);
        QCOMPARE(serverSpan.status().message(), std::string("not_found"));

        fanout.remove(&exporter);
        QCOMPARE(fanout.attached(), std::size_t(0));
        stopWhileServing(exporter);
    }

    void strictParsingRejectsAMisnamedField()
    {
        // The check above means something: a field the spec does not name fails the parse.
        ExportTraceServiceRequest request;
        QVERIFY(parseExport(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x","kind":2}]}]}]})", request));
        QVERIFY(!parseExport(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanName":"x"}]}]}]})", request));
        QVERIFY(!parseExport(R"({"resource_spans_x":[]})", request));
    }

    void boundedQueueDropsAndCountsWhileTheEndpointIsDown()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        OtlpExporterOptions options = optionsFor(QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(closedPort),
                                                 "otlp-test-down");
        options.queueCapacity = 8;
        options.maxBatch = 4;
        options.maxAttempts = 100;
        options.retryBase = 10 * kSeconds; // the first batch waits in backoff while the ring fills
        options.flushTimeout = 300 * kMillis;
        auto &droppedMetric = MetricsRegistry::global().counter("otlp_spans_dropped_total", "otlp-test-down");
        auto &failuresMetric = MetricsRegistry::global().counter("otlp_export_failures_total", "otlp-test-down");
        const std::uint64_t droppedBefore = droppedMetric.load(), failuresBefore = failuresMetric.load();

        OtlpExporter exporter(options);
        exporter.start();
        SeededRandom random(11);
        SpanRecorder::Name name;
        SpanRecorder::formatName(name, "Get");
        const SpanRecorder recorder(&exporter, "delivery");
        const auto recordOne = [&] {
            recorder.record(TraceContext::newRoot(random), 0, name,
                            {.kind = SpanKind::Server, .start = Clock::system().now(), .duration = 10});
        };
        for (int i = 0; i < 4; ++i)
            recordOne();
        // The full batch went to the sender, which failed to connect and now backs off.
        QTRY_VERIFY_WITH_TIMEOUT(exporter.failures() >= 1, 10000);
        for (int i = 0; i < 20; ++i)
            recordOne();
        QCOMPARE(exporter.queued(), std::size_t(8));
        QCOMPARE(exporter.dropped(), 12u);
        QCOMPARE(droppedMetric.load() - droppedBefore, 12u);
        QVERIFY(failuresMetric.load() - failuresBefore >= 1);
        QVERIFY(QByteArray::fromStdString(MetricsRegistry::global().prometheusText())
                    .contains("dd_otlp_spans_dropped_total{service=\"otlp-test-down\"}"));

        // stop() tries within its flush timeout, then counts what it could not send.
        QElapsedTimer timer;
        timer.start();
        exporter.stop();
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(exporter.exported(), 0u);
        QCOMPARE(exporter.dropped(), 24u); // every recorded span is accounted for
        QCOMPARE(droppedMetric.load() - droppedBefore, 24u);
    }

    void stopFlushesWhatIsQueued()
    {
        OtlpReceiver receiver;
        OtlpExporterOptions options = optionsFor(receiver.url(), "otlp-test-flush");
        options.interval = 3600 * kSeconds; // nothing would be sent before stop()
        OtlpExporter exporter(options);
        exporter.start();
        SeededRandom random(13);
        SpanRecorder::Name name;
        SpanRecorder::formatName(name, "scheduler.Submit");
        const SpanRecorder recorder(&exporter, "ingestion");
        for (int i = 0; i < 5; ++i)
            recorder.record(TraceContext::newRoot(random), 0, name,
                            {.kind = SpanKind::Client, .start = Clock::system().now(), .duration = 10});
        QCOMPARE(exporter.queued(), std::size_t(5));
        QCOMPARE(receiver.spanCount(), 0);
        stopWhileServing(exporter);
        QCOMPARE(receiver.spanCount(), 5);
        QCOMPARE(exporter.exported(), 5u);
        QCOMPARE(exporter.queued(), std::size_t(0));
        // Recording after stop() drops (and counts) instead of queueing forever.
        recorder.record(TraceContext::newRoot(random), 0, name, {.kind = SpanKind::Client});
        QCOMPARE(exporter.dropped(), 1u);
    }

    void retriesARefusedBatchWithBackoff()
    {
        OtlpReceiver receiver;
        receiver.setStatus(503); // retryable per OTLP/HTTP
        OtlpExporterOptions options = optionsFor(receiver.url(), "otlp-test-retry");
        options.retryBase = 20 * kMillis;
        OtlpExporter exporter(options);
        exporter.start();
        SeededRandom random(17);
        SpanRecorder::Name name;
        SpanRecorder::formatName(name, "Get");
        SpanRecorder(&exporter, "drone").record(TraceContext::newRoot(random), 0, name, {.kind = SpanKind::Server});
        QTRY_VERIFY_WITH_TIMEOUT(receiver.m_refused >= 2, 10000);
        receiver.setStatus(200);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.spanCount(), 1, 10000);
        QVERIFY(exporter.failures() >= 2);
        QCOMPARE(exporter.dropped(), 0u);
        stopWhileServing(exporter);
    }

    void endpointUrlsAreChecked()
    {
        QString error;
        const auto endpoint = HttpEndpoint::parse("http://127.0.0.1:4318", &error);
        QVERIFY(endpoint);
        QCOMPARE(endpoint->path, QByteArray("/v1/traces"));
        QCOMPARE(endpoint->port, quint16(4318));
        QVERIFY(!HttpEndpoint::parse("https://collector:4318/v1/traces", &error));
        QVERIFY(error.contains("http://"));
        QVERIFY(!HttpEndpoint::parse("not a url", &error));
    }
};

QTEST_MAIN(TestOtlpExport)
#include "tst_otlp_export.moc"
