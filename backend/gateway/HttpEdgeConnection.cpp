// HttpEdgeConnection: bytes checked before QHttpServer reads them, timers per request, refusals, lingering close.
#include "backend/gateway/HttpEdgeConnection.h"

#include "backend/gateway/HttpEdgeGuard.h"
#include "backend/gateway/HttpTrace.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sys/socket.h>

#include <algorithm>

namespace dd::backend {

namespace {
int milliseconds(net::Micros timeout)
{
    return int(std::clamp<net::Micros>(timeout / net::kMillis, 1, 24LL * 3600 * 1000));
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
    }
}
} // namespace

HttpEdgeConnection::HttpEdgeConnection(QTcpSocket &socket, HttpEdgeGuard &guard)
    : QObject(&socket), m_socket(socket), m_guard(&guard), m_parser(guard.options().limits)
{
    ++guard.m_connections;
    // QHttpServer keeps a request's bytes in a read transaction until the request is complete:
    // a bounded read buffer bounds that too (the parser refuses well before it fills).
    const auto &limits = guard.options().limits;
    socket.setReadBufferSize(limits.maxRequestLineBytes + limits.maxHeaderBytes + limits.maxBodyBytes + 64 * 1024);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &HttpEdgeConnection::onDeadline);
    connect(&socket, &QIODevice::readyRead, this, &HttpEdgeConnection::beforeServer);
    rearm();
}

HttpEdgeConnection::~HttpEdgeConnection()
{
    if (m_guard && !m_passive)
        --m_guard->m_connections;
}

HttpEdgeConnection *HttpEdgeConnection::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<HttpEdgeConnection *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void HttpEdgeConnection::watchServer()
{
    m_serverWatched = true;
    connect(&m_socket, &QIODevice::readyRead, this, &HttpEdgeConnection::afterServer);
}

qint64 HttpEdgeConnection::unanswered() const
{
    return std::max<qint64>(0, qint64(m_serverCompleted) - qint64(m_answered));
}

void HttpEdgeConnection::beforeServer()
{
    if (m_passive || m_serverDetached)
        return;
    const qint64 available = m_socket.bytesAvailable();
    const qint64 fresh = available - m_seenUnread;
    if (fresh <= 0)
        return;
    m_seenUnread = available;
    if (fresh <= m_parser.opaqueBytesAhead()) { // body bytes: counted, not copied
        handle(m_parser.skipOpaque(fresh));
        return;
    }
    const QByteArray bytes = m_socket.peek(available);
    handle(m_parser.feed(QByteArrayView(bytes).sliced(bytes.size() - std::min<qint64>(fresh, bytes.size()))));
}

void HttpEdgeConnection::afterServer()
{
    if (m_passive || m_serverDetached)
        return;
    m_seenUnread = m_socket.bytesAvailable();
    // QHttpServer 6.4 starts a read transaction for a request and commits it when the request is complete.
    if (!m_socket.isTransactionStarted())
        ++m_serverCompleted;
    if (m_lastRequest && m_serverCompleted >= *m_lastRequest)
        stopServerReading(); // what follows a close request never reaches QHttpServer
    rearm();
}

void HttpEdgeConnection::handle(const HttpEdgeParser::Events &events)
{
    for (const auto &head : events.heads)
        m_heads.push_back(head);
    if (events.rejection) {
        refuse(*events.rejection);
        return;
    }
    switch (m_parser.phase()) {
    case HttpEdgeParser::Phase::Upgraded:
        if (m_guard && !m_guard->upgradeAllowed()) {
            refuse({503, "TOO_MANY_CLIENTS", QStringLiteral("too many WebSocket clients; try again later"),
                    "websocket_limit", 5});
            return;
        }
        // QHttpServer hands the socket to its WebSocket server in this very readyRead.
        m_passive = true;
        m_deadline.stop();
        if (m_guard)
            --m_guard->m_connections;
        return;
    case HttpEdgeParser::Phase::Closed:
        if (!m_lastRequest)
            m_lastRequest = m_parser.requestsStarted();
        break;
    default: break;
    }
    rearm();
}

void HttpEdgeConnection::rearm()
{
    if (m_lingering || m_passive || !m_guard)
        return;
    const HttpEdgeOptions &options = m_guard->options();
    if (m_pendingRejection) {
        arm(Wait::Answers, options.idleTimeout);
        return;
    }
    switch (m_parser.phase()) {
    case HttpEdgeParser::Phase::RequestLine:
    case HttpEdgeParser::Phase::Headers: arm(Wait::Header, options.headerTimeout); return;
    case HttpEdgeParser::Phase::Body: arm(Wait::Body, options.bodyTimeout); return;
    case HttpEdgeParser::Phase::BetweenRequests:
        if (unanswered() > 0)
            arm(Wait::None, 0); // our own answer is awaited; the gateway's deadlines bound it
        else if (m_parser.requestsStarted() == 0)
            arm(Wait::FirstRequest, options.headerTimeout);
        else
            arm(Wait::Idle, options.idleTimeout);
        return;
    default: arm(Wait::None, 0); return;
    }
}

void HttpEdgeConnection::arm(Wait wait, net::Micros timeout)
{
    const quint64 key = m_parser.requestsStarted();
    if (wait == m_wait && key == m_waitKey)
        return; // the same request is still being waited for: its deadline stands
    m_wait = wait;
    m_waitKey = key;
    if (wait == Wait::None)
        m_deadline.stop();
    else
        m_deadline.start(milliseconds(timeout));
}

void HttpEdgeConnection::onDeadline()
{
    const HttpEdgeOptions options = m_guard ? m_guard->options() : HttpEdgeOptions{};
    switch (m_wait) {
    case Wait::FirstRequest:
    case Wait::Idle:
        // Nothing of a request has arrived: close without an answer, as nginx does.
        HttpEdgeGuard::count(m_wait == Wait::Idle ? "idle_timeout" : "header_timeout");
        stopServerReading();
        m_socket.disconnectFromHost();
        return;
    case Wait::Header:
        refuse({408, "REQUEST_TIMEOUT",
                QStringLiteral("the request's header block did not arrive within %1 ms").arg(milliseconds(options.headerTimeout)),
                "header_timeout"});
        return;
    case Wait::Body:
        refuse({408, "REQUEST_TIMEOUT",
                QStringLiteral("the request's body did not arrive within %1 ms").arg(milliseconds(options.bodyTimeout)),
                "body_timeout"});
        return;
    case Wait::Answers:
    case Wait::Linger:
    case Wait::None: m_socket.abort(); return;
    }
}

void HttpEdgeConnection::refuse(HttpEdgeParser::Rejection rejection)
{
    if (m_lingering || m_pendingRejection)
        return;
    HttpEdgeGuard::count(rejection.reason);
    stopServerReading();
    if (unanswered() > 0) { // earlier requests first: their answers are on their way
        m_pendingRejection = std::move(rejection);
        rearm();
        return;
    }
    sendRejection(rejection);
}

void HttpEdgeConnection::stopServerReading()
{
    if (m_serverDetached)
        return;
    m_serverDetached = true;
    // Every readyRead receiver: QHttpServer's (it has not run yet in this emission, so it never sees these bytes) and ours.
    disconnect(&m_socket, &QIODevice::readyRead, nullptr, nullptr);
    connect(&m_socket, &QIODevice::readyRead, this, &HttpEdgeConnection::discardInput);
    discardInput();
}

void HttpEdgeConnection::discardInput()
{
    if (m_socket.isTransactionStarted())
        m_socket.commitTransaction(); // QHttpServer's, of a request it will never finish: frees what it kept
    m_socket.skip(m_socket.bytesAvailable());
    m_seenUnread = 0;
}

void HttpEdgeConnection::sendRejection(const HttpEdgeParser::Rejection &rejection)
{
    const QByteArray body = QJsonDocument(QJsonObject{{"error", QString::fromLatin1(rejection.code)},
                                                      {"message", rejection.message}})
                                .toJson(QJsonDocument::Compact);
    QByteArray head = "HTTP/1.1 " + QByteArray::number(rejection.status) + ' ' + reasonPhrase(rejection.status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\ntraceparent: "
        + QByteArray::fromStdString(HttpServerSpan::newTrace().trace.traceparent()) + "\r\n";
    if (rejection.retryAfterSeconds > 0)
        head += "Retry-After: " + QByteArray::number(rejection.retryAfterSeconds) + "\r\n";
    head += "\r\n";
    auto &metrics = net::MetricsRegistry::global();
    static auto &client = metrics.counter("http_responses_4xx_total", "gateway");
    static auto &server = metrics.counter("http_responses_5xx_total", "gateway");
    (rejection.status >= 500 ? server : client).fetch_add(1, std::memory_order_relaxed);
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.write(head + body);
    lingerClose();
}

void HttpEdgeConnection::lingerClose()
{
    if (m_lingering)
        return;
    m_lingering = true;
    stopServerReading();
    m_wait = Wait::Linger;
    m_deadline.start(milliseconds(m_guard ? m_guard->options().lingerTimeout : 2 * net::kSeconds));
    // Closing with unread input would reset the connection and could destroy the answer
    // before the client reads it: send FIN once the answer is out, discard input until the
    // client closes too, or the linger timeout.
    connect(&m_socket, &QIODevice::bytesWritten, this, &HttpEdgeConnection::shutdownWhenFlushed);
    m_socket.flush();
    shutdownWhenFlushed();
}

void HttpEdgeConnection::shutdownWhenFlushed()
{
    if (m_socket.bytesToWrite() > 0 || m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    disconnect(&m_socket, &QIODevice::bytesWritten, this, &HttpEdgeConnection::shutdownWhenFlushed);
    ::shutdown(int(m_socket.socketDescriptor()), SHUT_WR);
}

HttpEdgeConnection::Answer HttpEdgeConnection::answerStarting()
{
    Answer answer;
    if (!m_heads.empty()) {
        answer.close = m_heads.front().closeAfter;
        answer.omitBody = m_heads.front().headMethod;
        m_heads.pop_front();
    }
    m_closeAfterAnswer = answer.close && !m_pendingRejection;
    return answer;
}

void HttpEdgeConnection::answerWritten()
{
    ++m_answered;
    if (m_closeAfterAnswer) {
        lingerClose();
        return;
    }
    if (m_pendingRejection && unanswered() == 0) {
        const HttpEdgeParser::Rejection rejection = std::move(*m_pendingRejection);
        m_pendingRejection.reset();
        sendRejection(rejection);
        return;
    }
    rearm();
}

} // namespace dd::backend
