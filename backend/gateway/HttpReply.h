// One HTTP answer, possibly given later: JSON bodies, error bodies, and safety if the client has gone.
#pragma once

#include "backend/gateway/HttpTrace.h"

#include <QByteArray>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QTcpSocket>

namespace dd::backend {

/// Wraps the QHttpServerResponder of one request. The responder only holds a raw
/// socket pointer, so an answer computed on another thread may find the client gone:
/// the socket is watched and a late answer to a vanished client is dropped. Qt thread
/// only. A reply destroyed unanswered answers 500, so no client ever hangs. Every answer
/// carries the request's `traceparent` (its server span, see HttpTrace) and records that
/// span (service "gateway") into net::SpanFanout::global().
class HttpReply
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit HttpReply(QHttpServerResponder &&responder);
    ~HttpReply();
    HttpReply(const HttpReply &) = delete;
    HttpReply &operator=(const HttpReply &) = delete;

    void json(int status, const QJsonDocument &body, const Headers &headers = {});
    /// {"error": code, "message": message, "field": field?}; Retry-After when retryAfterSeconds > 0.
    void error(int status, const QString &code, const QString &message, const QString &field = {},
               int retryAfterSeconds = 0, const Headers &headers = {});
    void text(int status, const QByteArray &body, const QByteArray &contentType);
    void noContent(const Headers &headers = {});

    bool answered() const { return m_answered; }
    bool clientGone() const { return m_socket.isNull(); }
    /// This request's server span: the parent of the mesh calls made for it.
    const net::TraceContext &trace() const { return m_span.trace; }

private:
    void send(int status, const QByteArray &body, const QByteArray &contentType, const Headers &headers);

    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_answered = false;
    HttpServerSpan m_span;
};

} // namespace dd::backend
