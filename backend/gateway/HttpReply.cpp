// HttpReply: status line, headers and body written once, only to a client still connected.
#include "backend/gateway/HttpReply.h"

#include "backend/gateway/HttpEdgeConnection.h"
#include "envelope.pb.h"
#include "net/telemetry/MetricsRegistry.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/SpanRecorder.h"

#include <QJsonObject>

namespace dd::backend {

namespace {
std::atomic<std::uint64_t> &responsesOfClass(int status)
{
    auto &metrics = net::MetricsRegistry::global();
    static auto &ok = metrics.counter("http_responses_2xx_total", "gateway");
    static auto &redirect = metrics.counter("http_responses_3xx_total", "gateway");
    static auto &client = metrics.counter("http_responses_4xx_total", "gateway");
    static auto &server = metrics.counter("http_responses_5xx_total", "gateway");
    return status >= 500 ? server : status >= 400 ? client : status >= 300 ? redirect : ok;
}

void recordServerSpan(const HttpServerSpan &span, int status)
{
    static const net::SpanRecorder recorder(&net::SpanFanout::global(), "gateway");
    net::SpanRecorder::Name name;
    net::SpanRecorder::formatName(name, std::string_view(span.name.constData(), std::size_t(span.name.size())));
    // In the mesh's terms for the console's waterfall: only a server error is a failure.
    using namespace dronedelivery::v1;
    const std::int32_t meshStatus = status == 503 || status == 504 ? TRANSIENT : status >= 500 ? FATAL : OK;
    recorder.record(span.trace, span.parentSpanId, name,
                    {.kind = net::SpanKind::Server, .start = span.start,
                     .duration = net::Clock::system().now() - span.start, .status = meshStatus,
                     .httpStatus = std::uint16_t(status)});
}
} // namespace

HttpReply::HttpReply(QHttpServerResponder &&responder)
    : m_responder(std::move(responder)), m_socket(m_responder.socket()), m_span(HttpTrace::take())
{
}

HttpReply::~HttpReply()
{
    if (!m_answered)
        error(500, QStringLiteral("INTERNAL"), QStringLiteral("the request was not answered"));
}

void HttpReply::json(int status, const QJsonDocument &body, const Headers &headers)
{
    send(status, body.toJson(QJsonDocument::Compact), "application/json", headers);
}

void HttpReply::error(int status, const QString &code, const QString &message, const QString &field,
                      int retryAfterSeconds, const Headers &headers)
{
    QJsonObject body{{"error", code}, {"message", message}};
    if (!field.isEmpty())
        body.insert("field", field);
    Headers all = headers;
    if (retryAfterSeconds > 0)
        all.append(qMakePair(QByteArray("Retry-After"), QByteArray::number(retryAfterSeconds)));
    json(status, QJsonDocument(body), all);
}

void HttpReply::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    send(status, body, contentType, {});
}

void HttpReply::noContent(const Headers &headers)
{
    send(204, {}, {}, headers);
}

void HttpReply::send(int status, const QByteArray &body, const QByteArray &contentType, const Headers &headers)
{
    if (m_answered)
        return;
    m_answered = true;
    responsesOfClass(status).fetch_add(1, std::memory_order_relaxed);
    recordServerSpan(m_span, status);
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return; // the client left while we worked: nobody to tell
    // The edge knows the request: whether the connection ends with this answer, and HEAD.
    HttpEdgeConnection *edge = HttpEdgeConnection::of(m_socket.data());
    const HttpEdgeConnection::Answer answer = edge ? edge->answerStarting() : HttpEdgeConnection::Answer{};
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    if (status != 204) {
        if (!contentType.isEmpty())
            m_responder.writeHeader("Content-Type", contentType);
        m_responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    }
    m_responder.writeHeader("traceparent", QByteArray::fromStdString(m_span.trace.traceparent()));
    for (const auto &[name, value] : headers)
        m_responder.writeHeader(name, value);
    if (answer.close)
        m_responder.writeHeader("Connection", "close");
    // writeBody ends the header block even for an empty body.
    m_responder.writeBody(answer.omitBody ? QByteArray() : body);
    if (edge)
        edge->answerWritten();
}

} // namespace dd::backend
