// HttpReply: status line, headers and body written once, only to a client still connected.
#include "backend/gateway/HttpReply.h"

#include "net/telemetry/MetricsRegistry.h"

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
} // namespace

HttpReply::HttpReply(QHttpServerResponder &&responder)
    : m_responder(std::move(responder)), m_socket(m_responder.socket())
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
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return; // the client left while we worked: nobody to tell
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    if (status != 204) {
        if (!contentType.isEmpty())
            m_responder.writeHeader("Content-Type", contentType);
        m_responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    }
    for (const auto &[name, value] : headers)
        m_responder.writeHeader(name, value);
    // writeBody ends the header block even for an empty body.
    m_responder.writeBody(body);
}

} // namespace dd::backend
