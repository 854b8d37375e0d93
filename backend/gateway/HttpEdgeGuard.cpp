// HttpEdgeGuard: sockets made here so the edge's slot runs before QHttpServer's, and the refusal counters.
#include "backend/gateway/HttpEdgeGuard.h"

#include "backend/gateway/HttpEdgeConnection.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QTcpSocket>

namespace dd::backend {

HttpEdgeGuard::HttpEdgeGuard(HttpEdgeOptions options, QObject *parent) : QTcpServer(parent), m_options(options) {}

void HttpEdgeGuard::count(const QByteArray &reason)
{
    // Refusals are rare: a registry look-up each time keeps the set of reasons open.
    auto &metrics = net::MetricsRegistry::global();
    static auto &all = metrics.counter("http_edge_rejected_total", "gateway");
    all.fetch_add(1, std::memory_order_relaxed);
    metrics.counter("http_edge_" + reason.toStdString() + "_total", "gateway").fetch_add(1, std::memory_order_relaxed);
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
