// HttpEdgeGuard: sockets made here so the edge's slot runs before QHttpServer's, and the refusal counters.
#include "backend/gateway/HttpEdgeGuard.h"

#include "backend/gateway/HttpEdgeConnection.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QTcpSocket>

namespace dd::backend {

namespace {
constexpr const char *kFamily = "http_edge_refused_total";
}

HttpEdgeGuard::HttpEdgeGuard(HttpEdgeOptions options, QObject *parent) : QTcpServer(parent), m_options(options)
{
    // At 0 from the start (as dd_mesh_refused_total): a rate over each reason exists before its first refusal.
    for (const QByteArray &reason : reasons())
        net::MetricsRegistry::global().counter(kFamily, "gateway", "reason", reason.toStdString());
}

const std::vector<QByteArray> &HttpEdgeGuard::reasons()
{
    static const std::vector<QByteArray> all = {"url_too_long",  "header_too_large", "body_too_large",
                                                "bad_framing",   "bad_version",      "header_timeout",
                                                "body_timeout",  "idle_timeout",     "websocket_limit",
                                                "connection_limit"};
    return all;
}

void HttpEdgeGuard::count(const QByteArray &reason)
{
    // One family, the reason a label: sum() is the total, and a new reason needs no new family.
    // Refusals are rare, so a registry look-up each time is cheap enough.
    net::MetricsRegistry::global()
        .counter(kFamily, "gateway", "reason", reason.toStdString())
        .fetch_add(1, std::memory_order_relaxed);
}

void HttpEdgeGuard::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this); // what QTcpServer's own incomingConnection does, plus the edge
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *edge = new HttpEdgeConnection(*socket, *this);
    // QHttpServer connects its readyRead here, synchronously (pendingConnectionAvailable):
    // the edge's first slot is already connected, its second comes after QHttpServer's.
    addPendingConnection(socket);
    edge->watchServer();
    if (m_connections > m_options.maxConnections)
        edge->refuse({503, "TOO_MANY_CONNECTIONS",
                      QStringLiteral("more than %1 connections are open").arg(m_options.maxConnections),
                      "connection_limit"});
}

} // namespace dd::backend
