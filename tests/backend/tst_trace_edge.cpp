// W3C Trace Context at the HTTP edge, end to end: the caller's traceparent reaches the delivery and the exported spans.
#include "BackendUnderTest.h"
#include "GatewayTestSupport.h"
#include "../net/OtlpReceiver.h"

#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/otlp/OtlpExporter.h"

#include <QtTest>

#include <future>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dd::net::test;

namespace {
constexpr char kCallerTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kCallerSpan[] = "00f067aa0ba902b7";
const QByteArray kCaller = QByteArray("00-") + kCallerTrace + "-" + kCallerSpan + "-01";

QByteArray deliveryBody()
{
    return QJsonDocument(QJsonObject{{"ownerId", "trace-owner"},
                                     {"pickupLocation", "47.6097,-122.3422"},
                                     {"dropOffLocation", "47.6205,-122.3493"},
                                     {"packageInfo", QJsonObject{{"packageId", "trace-pkg"}, {"size", "Small"},
                                                                 {"weight", 1.5}}}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestTraceEdge : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OtlpReceiver> m_receiver;
    std::unique_ptr<dd::net::OtlpExporter> m_exporter;
    std::unique_ptr<BackendUnderTest> m_backend;
    std::unique_ptr<HttpGateway> m_gateway;
    QNetworkAccessManager m_network;

    Response send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                  const QByteArray &traceparent = {})
    {
        Headers headers;
        if (!traceparent.isEmpty())
            headers = {{"traceparent", traceparent}, {"tracestate", "vendor=opaque"}}; // tracestate: accepted, not carried
        return sendHttp(m_network, gatewayUrl(m_gateway->port(), path), verb, body, headers);
    }

    /// Exported spans of the trace: (service.name, span).
    std::vector<std::pair<QString, opentelemetry::proto::trace::v1::Span>> exported(const QByteArray &traceHex) const
    {
        std::vector<std::pair<QString, opentelemetry::proto::trace::v1::Span>> spans;
        for (const auto &post : m_receiver->posts()) {
            opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
            if (!parseExport(post.body, request))
                qFatal("an export does not parse: %s", post.body.constData());
            for (const auto &resource : request.resource_spans())
                for (const auto &scope : resource.scope_spans())
                    for (const auto &span : scope.spans())
                        if (hexId(span.trace_id()) == traceHex)
                            spans.emplace_back(attribute(resource.resource().attributes(), "service.name"), span);
        }
        return spans;
    }
    bool hasSpan(const QByteArray &traceHex, const QString &service, const std::string &name) const
    {
        for (const auto &[s, span] : exported(traceHex))
            if (s == service && span.name() == name)
                return true;
        return false;
    }

private slots:
    void initTestCase()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_receiver = std::make_unique<OtlpReceiver>();
        dd::net::OtlpExporterOptions options;
        options.endpoint = *dd::net::HttpEndpoint::parse(m_receiver->url());
        options.interval = 100 * dd::net::kMillis;
        m_exporter = std::make_unique<dd::net::OtlpExporter>(options);
        m_exporter->start();
        dd::net::SpanFanout::global().add(m_exporter.get());
        m_backend = std::make_unique<BackendUnderTest>(m_dir->path(), 10, 400);
        GatewayOptions gatewayOptions;
        gatewayOptions.port = 0;
        m_gateway = std::make_unique<HttpGateway>(m_backend->host().context(), &m_backend->ingestion(), gatewayOptions);
        std::string error;
        if (!m_gateway->start(&error))
            qFatal("gateway did not start: %s", error.c_str());
    }
    void cleanupTestCase()
    {
        m_gateway->stop();
        m_gateway.reset();
        m_backend.reset();
        dd::net::SpanFanout::global().remove(m_exporter.get());
        // The receiver answers on this thread: stop (and flush) from another.
        auto stopped = std::async(std::launch::async, [this] { m_exporter->stop(); });
        QTRY_VERIFY_WITH_TIMEOUT(stopped.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 15000);
        QCOMPARE(m_exporter->dropped(), 0u);
    }

    void aDeliveryContinuesTheCallersTrace()
    {
        const Response accepted = send("POST", "/api/deliveryrequests", deliveryBody(), kCaller);
        QCOMPARE(accepted.status, 202);
        const auto answered = dd::net::TraceContext::parse(accepted.headers.value("traceparent").toStdString());
        QVERIFY2(answered, accepted.headers.value("traceparent").constData());
        QCOMPARE(QByteArray::fromStdString(answered->traceIdHex()), QByteArray(kCallerTrace));
        QVERIFY(answered->traceparent().substr(36, 16) != kCallerSpan); // the gateway's own server span
        const QString id = accepted.json.value("deliveryId").toString();
        QVERIFY(!id.isEmpty());

        // The delivery records the trace once the workflow has registered it.
        QTRY_COMPARE_WITH_TIMEOUT(send("GET", "/api/deliveries/" + id).json.value("traceId").toString(),
                                  QString(kCallerTrace), 30000);

        // Exported: the gateway's server span, child of the caller's span, and the workflow's calls under it.
        QTRY_VERIFY_WITH_TIMEOUT(hasSpan(kCallerTrace, "gateway", "POST /api/deliveryrequests"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(exported(kCallerTrace).size() >= 3, 20000);
        bool schedulerCalled = false;
        for (const auto &[service, span] : exported(kCallerTrace)) {
            if (span.name() == "POST /api/deliveryrequests") {
                QCOMPARE(hexId(span.parent_span_id()), QByteArray(kCallerSpan));
                QCOMPARE(hexId(span.span_id()), QByteArray::fromStdString(answered->traceparent().substr(36, 16)));
                QCOMPARE(span.kind(), opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
                QCOMPARE(attribute(span.attributes(), "http.response.status_code"), QString("202"));
            }
            schedulerCalled |= service == "scheduler";
        }
        QVERIFY(schedulerCalled);
    }

    void gatewayReadsContinueTheCallersTrace()
    {
        const QByteArray trace = "0af7651916cd43dd8448eb211c80319c";
        const Response list = send("GET", "/api/deliveries?limit=5", {}, "00-" + trace + "-b7ad6b7169203331-01");
        QCOMPARE(list.status, 200);
        const auto answered = dd::net::TraceContext::parse(list.headers.value("traceparent").toStdString());
        QVERIFY(answered);
        QCOMPARE(QByteArray::fromStdString(answered->traceIdHex()), trace);
        // MeshForwarder made the call a child of the request's server span.
        QTRY_VERIFY_WITH_TIMEOUT(hasSpan(trace, "gateway", "delivery.List"), 10000);
        for (const auto &[service, span] : exported(trace))
            if (span.name() == "delivery.List")
                QCOMPARE(hexId(span.parent_span_id()), QByteArray::fromStdString(answered->traceparent().substr(36, 16)));
        QTRY_VERIFY_WITH_TIMEOUT(hasSpan(trace, "delivery", "List"), 10000);
    }

    void withoutTraceparentEachAnswerStartsATrace()
    {
        const Response first = send("GET", "/healthz");
        const Response second = send("GET", "/api/deliveries/no-such-delivery-here");
        QCOMPARE(first.status, 200);
        QCOMPARE(second.status, 404);
        const auto a = dd::net::TraceContext::parse(first.headers.value("traceparent").toStdString());
        const auto b = dd::net::TraceContext::parse(second.headers.value("traceparent").toStdString());
        QVERIFY2(a && b, (first.headers.value("traceparent") + " / " + second.headers.value("traceparent")).constData());
        QVERIFY(a->traceIdHex() != b->traceIdHex());
        const Response missing = send("GET", "/no/such/route", {}, kCaller); // the missing-route answer too
        QCOMPARE(missing.status, 404);
        QCOMPARE(QByteArray::fromStdString(dd::net::TraceContext::parse(missing.headers.value("traceparent").toStdString())->traceIdHex()),
                 QByteArray(kCallerTrace));
    }

    void aMalformedTraceparentIsIgnored()
    {
        const QByteArray upperCase = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01";
        const QByteArray zeroTrace = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
        const QByteArray badVersion = "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for (const QByteArray &bad : {upperCase, zeroTrace, badVersion, QByteArray("garbage")}) {
            const Response accepted = send("POST", "/api/deliveryrequests", deliveryBody(), bad);
            QCOMPARE(accepted.status, 202); // still served, on a new trace
            const auto answered = dd::net::TraceContext::parse(accepted.headers.value("traceparent").toStdString());
            QVERIFY2(answered, accepted.headers.value("traceparent").constData());
            QVERIFY(answered->traceIdHex() != kCallerTrace);
            QVERIFY(answered->traceIdHex() != "00000000000000000000000000000000");
            const QString id = accepted.json.value("deliveryId").toString();
            QTRY_COMPARE_WITH_TIMEOUT(send("GET", "/api/deliveries/" + id).json.value("traceId").toString(),
                                      QString::fromStdString(answered->traceIdHex()), 30000);
        }
    }
};

QTEST_MAIN(TestTraceEdge)
#include "tst_trace_edge.moc"
