// The public HTTP API (DESIGN §6) and the /api/events WebSocket, in front of the services.
#pragma once

#include "backend/common/ServiceContext.h"
#include "backend/gateway/AccessControl.h"
#include "backend/gateway/AccountRoutes.h"
#include "backend/gateway/DeliveryRoutes.h"
#include "backend/gateway/DroneRoutes.h"
#include "backend/gateway/GatewayMesh.h"
#include "backend/gateway/HttpEdgeGuard.h"
#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/MeshForwarder.h"
#include "backend/gateway/QtThreadHop.h"
#include "backend/gateway/RouteCatalog.h"
#include "backend/gateway/ServicesReport.h"
#include "backend/gateway/TransactionRoutes.h"
#include "backend/ingestion/IngestionService.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QHttpServer>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include <memory>
#include <optional>
#include <vector>

namespace dd::backend {

struct GatewayOptions
{
    std::string address = "127.0.0.1"; ///< for start(); "localhost" works too
    int port = 0;                       ///< for start(); 0: any free port
    std::string tokensFile;             ///< for start(); empty: open (loopback only)
    net::Micros callDeadline = 2 * net::kSeconds;          ///< per forwarded call, retries included
    qsizetype maxBodyBytes = 1024 * 1024;                  ///< larger bodies: 413
    net::Micros telemetryInterval = 500 * net::kMillis;    ///< ≤ 2 drone updates/s per drone on /api/events
    qint64 maxWebSocketBacklogBytes = 8 * 1024 * 1024;     ///< a client this far behind misses events
    int maxWebSocketClients = 64;                          ///< more upgrades: 503 (1013 if they raced past it)
    HttpEdgeOptions edge;                                  ///< header/URL limits, timeouts (limits.maxBodyBytes is maxBodyBytes)
};

/// Lives on the Qt thread that runs its event loop. It reaches the services only
/// through the mesh (GatewayMesh, its own loop and clients, "gateway" as the caller)
/// and Ingestion through its thread-safe accept(); answers computed on those threads
/// come back here queued. QHttpServer 6.4 upgrades WebSocket requests itself, so
/// /api/events shares the HTTP port.
class HttpGateway : public QObject
{
    Q_OBJECT

public:
    /// `ingestion` may be null (a process without Ingestion answers 503 to writes).
    HttpGateway(const ServiceContext &context, IngestionService *ingestion, GatewayOptions options = {},
                QObject *parent = nullptr);
    ~HttpGateway() override;

    /// Turns access control on (see AccessControl::loadFile); call before listen().
    bool loadTokens(const QString &path, QString *error = nullptr);
    AccessControl &access() { return m_access; }

    /// Starts the mesh side and listens. Returns the port (the real one for port 0),
    /// or 0 with `error` set, e.g. for a non-loopback address without tokens.
    quint16 listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0, QString *error = nullptr);
    /// Stops listening, answers what is pending with 503 and stops the mesh side.
    void close();
    /// loadTokens(options.tokensFile) if set, then listen(options.address, options.port).
    bool start(std::string *error);
    void stop() { close(); }
    quint16 port() const { return m_port; }
    int webSocketClients() const { return int(m_webSockets.size()); }
    /// Every route it serves ("GET", "/api/deliveries/<arg>"), as installed: tst_openapi checks docs/openapi.json against it.
    QList<RouteCatalog::Route> routes() const { return RouteCatalog::routesOf(m_server); }

signals:
    void webSocketClientsChanged(int clients);

private:
    void installOperationsRoutes();
    void changeFaults(const QHttpServerRequest &request, QHttpServerResponder &&responder, bool add);
    QJsonArray faultRules() const;
    QByteArray metricsText() const;
    void registerMetrics();
    void acceptWebSockets();
    void answerMissingRoute(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void broadcast(const std::vector<QByteArray> &messages);

    ServiceContext m_context; // GatewayMesh keeps a reference: declared before it
    IngestionService *m_ingestion;
    GatewayOptions m_options;
    AccessControl m_access;
    HttpChecks m_checks;
    std::shared_ptr<QtThreadHop> m_hop;
    std::unique_ptr<GatewayMesh> m_mesh;
    MeshForwarder m_forwarder;
    DeliveryRoutes m_deliveryRoutes;
    TransactionRoutes m_transactionRoutes;
    DroneRoutes m_droneRoutes;
    AccountRoutes m_accountRoutes;
    ServicesReport m_report;
    QHttpServer m_server; // its routes point at the members above: declared after them
    QTimer m_sampleTimer;
    HttpEdgeGuard *m_edge = nullptr; // the listening socket, owned by m_server
    quint16 m_port = 0;
    std::vector<QWebSocket *> m_webSockets;
    std::uint64_t m_webSocketDrops = 0;
    /// Last: unregistered first, before the members their callbacks read.
    std::vector<net::MetricsRegistry::Registration> m_metricRegistrations;
};

} // namespace dd::backend
