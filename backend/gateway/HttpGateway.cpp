// HttpGateway: listening, the routes of each area, probes, metrics, fault injection and the /api/events WebSocket.
#include "backend/gateway/HttpGateway.h"

#include "net/resilience/FaultInjector.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QFile>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QTcpServer>
#include <QUrlQuery>

namespace dd::backend {

using Method = QHttpServerRequest::Method;
using Request = QHttpServerRequest;
using Responder = QHttpServerResponder;

namespace {
QString methodName(QHttpServerRequest::Method method)
{
    return QString::fromLatin1(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method))).toUpper();
}

EventHubOptions eventOptions(const GatewayOptions &options)
{
    EventHubOptions events;
    events.telemetryInterval = options.telemetryInterval;
    return events;
}
} // namespace

HttpGateway::HttpGateway(const ServiceContext &context, IngestionService *ingestion, GatewayOptions options,
                         QObject *parent)
    : QObject(parent),
      m_context(context),
      m_ingestion(ingestion),
      m_options(std::move(options)),
      m_checks(m_access, m_options.maxBodyBytes, m_context.credentials, m_context.clock),
      m_hop(std::make_shared<QtThreadHop>(this)),
      m_mesh(std::make_unique<GatewayMesh>(m_context, m_options.callDeadline, eventOptions(m_options))),
      m_forwarder(*m_mesh, m_hop),
      m_deliveryRoutes(m_checks, m_forwarder, ingestion),
      m_transactionRoutes(m_checks, m_forwarder),
      m_droneRoutes(m_checks, m_forwarder),
      m_accountRoutes(m_checks, m_forwarder)
{
    m_mesh->setEventSink([this, hop = m_hop](std::vector<QByteArray> messages) {
        hop->post([this, messages = std::move(messages)] { broadcast(messages); });
    });
    HttpTrace::install(m_server); // first: every request's span is noted before a route runs
    m_deliveryRoutes.install(m_server);
    m_transactionRoutes.install(m_server);
    m_droneRoutes.install(m_server);
    m_accountRoutes.install(m_server);
    installOperationsRoutes();
    m_server.setMissingHandler([this](const Request &request, Responder &&responder) {
        answerMissingRoute(request, std::move(responder));
    });
    connect(&m_server, &QHttpServer::newWebSocketConnection, this, &HttpGateway::acceptWebSockets);
    registerMetrics();
    m_sampleTimer.setInterval(5000);
    connect(&m_sampleTimer, &QTimer::timeout, this, [this] { m_report.sample(m_context.clock->now()); });
}

HttpGateway::~HttpGateway()
{
    m_hop->close();
    close();
}

bool HttpGateway::loadTokens(const QString &path, QString *error)
{
    return m_access.loadFile(path, error);
}

quint16 HttpGateway::listen(const QHostAddress &address, quint16 port, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return quint16(0);
    };
    if (m_port)
        return fail(QStringLiteral("already listening on port %1").arg(m_port));
    if (!address.isLoopback() && !m_access.enabled())
        return fail(QStringLiteral("refusing to listen on %1 without tokens: the API would be open to the network "
                                   "(give a tokens file)")
                        .arg(address.toString()));
    HttpEdgeOptions edge = m_options.edge;
    edge.limits.maxBodyBytes = m_options.maxBodyBytes;
    auto *tcp = new HttpEdgeGuard(edge, this);
    tcp->setUpgradeGate([this] { return int(m_webSockets.size()) < m_options.maxWebSocketClients; });
    if (!tcp->listen(address, port)) {
        const QString why = tcp->errorString();
        delete tcp;
        return fail(QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    try {
        m_mesh->start();
    } catch (const std::exception &e) {
        delete tcp;
        return fail(QStringLiteral("cannot start the gateway's mesh side: %1").arg(QString::fromUtf8(e.what())));
    }
    m_server.bind(tcp);
    m_edge = tcp;
    m_port = tcp->serverPort();
    m_report.sample(m_context.clock->now());
    m_sampleTimer.start();
    return m_port;
}

bool HttpGateway::start(std::string *error)
{
    QString why;
    if (!m_options.tokensFile.empty() && !loadTokens(QString::fromStdString(m_options.tokensFile), &why)) {
        if (error)
            *error = why.toStdString();
        return false;
    }
    const QString text = QString::fromStdString(m_options.address);
    const QHostAddress address = text == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                                     : QHostAddress(text);
    if (address.isNull()) {
        if (error)
            *error = "not an IP address: " + m_options.address;
        return false;
    }
    if (m_options.port < 0 || m_options.port > 65535) {
        if (error)
            *error = "not a port: " + std::to_string(m_options.port);
        return false;
    }
    if (!listen(address, quint16(m_options.port), &why)) {
        if (error)
            *error = why.toStdString();
        return false;
    }
    return true;
}

void HttpGateway::close()
{
    for (QTcpServer *server : m_server.servers())
        server->close();
    m_sampleTimer.stop();
    m_mesh->stop();
    m_forwarder.failAll(503, QStringLiteral("UNAVAILABLE"), QStringLiteral("the gateway is shutting down"));
    auto sockets = std::move(m_webSockets);
    m_webSockets.clear();
    for (QWebSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
    m_port = 0;
    m_edge = nullptr;
}

void HttpGateway::installOperationsRoutes()
{
    RouteCatalog::route(m_server, "/api/services", Method::Get, [this](const Request &request, Responder &&responder) {
        HttpReply reply(std::move(responder));
        if (!m_checks.authorize(request, Permission::Read, reply))
            return;
        const QString asked = QUrlQuery(request.url()).queryItemValue(QStringLiteral("window"));
        const auto window = ServicesReport::parseWindow(asked);
        if (!window) {
            reply.error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("window must be 1m, 5m or 15m"),
                        QStringLiteral("window"));
            return;
        }
        reply.json(200, QJsonDocument(m_report.build(m_context.clock->now(), m_ingestion, *window)));
    });
    RouteCatalog::route(m_server, "/metrics", Method::Get, [this](const Request &request, Responder &&responder) {
        HttpReply reply(std::move(responder));
        if (m_checks.authorize(request, Permission::Read, reply))
            reply.text(200, metricsText(), "text/plain; version=0.0.4; charset=utf-8");
    });
    RouteCatalog::route(m_server, "/healthz", Method::Get, [](Responder &&responder) {
        HttpReply(std::move(responder)).json(200, QJsonDocument(QJsonObject{{"status", "ok"}}));
    });
    RouteCatalog::route(m_server, "/readyz", Method::Get, [this](Responder &&responder) {
        HttpReply reply(std::move(responder));
        const bool ingestionUp = !m_ingestion || m_ingestion->running();
        if (m_port && m_mesh->running() && ingestionUp)
            reply.json(200, QJsonDocument(QJsonObject{{"status", "ready"}, {"ingestion", m_ingestion != nullptr}}));
        else
            reply.error(503, QStringLiteral("UNAVAILABLE"),
                        ingestionUp ? QStringLiteral("the gateway is not listening")
                                    : QStringLiteral("ingestion is not running"),
                        {}, 1);
    });
    // QHttpServer 6.4 upgrades a WebSocket request only when a route takes it and
    // writes nothing (it then hands the socket to newWebSocketConnection); a plain GET
    // here is told to upgrade.
    RouteCatalog::route(m_server, "/api/events", Method::Get, [this](const Request &request, Responder &&responder) {
        if (HttpChecks::header(request, "Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
            return; // the token is checked on the WebSocket (acceptWebSockets)
        HttpReply reply(std::move(responder));
        if (m_checks.authorize(request, Permission::Read, reply))
            reply.error(426, QStringLiteral("UPGRADE_REQUIRED"), QStringLiteral("/api/events is a WebSocket"), {}, 0,
                        {{"Upgrade", "websocket"}});
    });
    RouteCatalog::route(m_server, "/api/faults", Method::Get, [this](const Request &request, Responder &&responder) {
        HttpReply reply(std::move(responder));
        if (m_checks.authorize(request, Permission::Read, reply))
            reply.json(200, QJsonDocument(QJsonObject{{"rules", faultRules()}}));
    });
    RouteCatalog::route(m_server, "/api/faults", Method::Post, [this](const Request &request, Responder &&responder) {
        changeFaults(request, std::move(responder), true);
    });
    RouteCatalog::route(m_server, "/api/faults", Method::Delete, [this](const Request &request, Responder &&responder) {
        changeFaults(request, std::move(responder), false);
    });
    // docs/openapi.json, compiled in: open like the probes, since it is the same document
    // as in the repository and API tools fetch it without credentials.
    RouteCatalog::route(m_server, "/openapi.json", Method::Get, [](Responder &&responder) {
        QFile file(QStringLiteral(":/dd/docs/openapi.json"));
        HttpReply reply(std::move(responder));
        if (file.open(QIODevice::ReadOnly))
            reply.text(200, file.readAll(), "application/json");
        else
            reply.error(500, QStringLiteral("INTERNAL"), QStringLiteral("the API description is not compiled in"));
    });
}

void HttpGateway::answerMissingRoute(const Request &request, Responder &&responder)
{
    HttpReply reply(std::move(responder));
    if (!m_checks.authorize(request, Permission::Read, reply))
        return;
    // A path served with other methods (HEAD, OPTIONS, PUT, ... included) is 405 with Allow, RFC 9110 §15.5.6.
    const QStringList allowed = RouteCatalog::methodsFor(m_server, request.url().path());
    if (!allowed.isEmpty()) {
        reply.error(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                    QStringLiteral("%1 is not served on %2; allowed: %3")
                        .arg(methodName(request.method()), request.url().path(), allowed.join(QStringLiteral(", "))),
                    {}, 0, {{"Allow", allowed.join(QStringLiteral(", ")).toLatin1()}});
        return;
    }
    reply.error(404, QStringLiteral("NOT_FOUND"),
                QStringLiteral("no route for %1 %2").arg(methodName(request.method()), request.url().path()));
}

// ---- operations

void HttpGateway::changeFaults(const Request &request, Responder &&responder, bool add)
{
    HttpReply reply(std::move(responder));
    QJsonObject body;
    if (!m_checks.authorize(request, Permission::Administer, reply) || !m_checks.readJsonObject(request, reply, body, !add))
        return;
    net::FaultInjector &faults = *m_context.faults;
    const QJsonValue spec = body.value(QLatin1String("spec"));
    const QJsonValue service = body.value(QLatin1String("service"));
    if (!spec.isUndefined()) {
        std::string error;
        const auto rule = spec.isString() ? net::parseFaultSpec(spec.toString().toStdString(), &error) : std::nullopt;
        if (!rule) {
            reply.error(400, QStringLiteral("BAD_REQUEST"),
                        spec.isString() ? QString::fromStdString(error) : QStringLiteral("spec must be a string"),
                        QStringLiteral("spec"));
            return;
        }
        if (add) {
            faults.add(*rule);
        } else {
            // The injector has no single-rule removal: publish the others again.
            auto rules = faults.rules();
            faults.clear();
            for (const auto &kept : rules)
                if (kept.service != rule->service || kept.method != rule->method || kept.kind != rule->kind)
                    faults.add(kept);
        }
    } else if (add) {
        reply.error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("spec is required, e.g. \"drone=delay:50:200\""),
                    QStringLiteral("spec"));
        return;
    } else if (service.isString()) {
        faults.clearService(service.toString().toStdString());
    } else {
        faults.clear();
    }
    reply.json(200, QJsonDocument(QJsonObject{{"rules", faultRules()}}));
}

QJsonArray HttpGateway::faultRules() const
{
    QJsonArray rules;
    for (const auto &rule : m_context.faults->rules())
        rules.append(QString::fromStdString(rule.toSpec()));
    return rules;
}

QByteArray HttpGateway::metricsText() const
{
    // Everything, the gateway's own gauges included (registerMetrics), comes from the registry.
    return QByteArray::fromStdString(net::MetricsRegistry::global().prometheusText());
}

void HttpGateway::registerMetrics()
{
    // Read on the scraping thread: /metrics is served on this object's thread, so the
    // plain members below are not raced. Ingestion's stats are thread-safe.
    using Type = net::MetricsRegistry::Type;
    auto &metrics = net::MetricsRegistry::global();
    if (m_ingestion) {
        m_metricRegistrations.push_back(metrics.addCallback(
            Type::Gauge, "ingestion_backlog", "ingestion",
            "Requests accepted and not yet acknowledged by the Scheduler.",
            [ingestion = m_ingestion] { return double(ingestion->stats().backlog); }));
        m_metricRegistrations.push_back(metrics.addCallback(
            Type::Gauge, "ingestion_max_backlog", "ingestion",
            "Backlog at which Ingestion refuses new requests (503 BACKLOG_FULL).",
            [ingestion = m_ingestion] { return double(ingestion->options().maxBacklog); }));
    }
    m_metricRegistrations.push_back(metrics.addCallback(Type::Gauge, "gateway_http_connections", "gateway",
                                                        "HTTP connections open (WebSockets not included).",
                                                        [this] { return double(m_edge ? m_edge->connections() : 0); }));
    m_metricRegistrations.push_back(metrics.addCallback(Type::Gauge, "gateway_websocket_clients", "gateway",
                                                        "Clients connected to /api/events.",
                                                        [this] { return double(m_webSockets.size()); }));
    m_metricRegistrations.push_back(metrics.addCallback(
        Type::Counter, "gateway_websocket_dropped_total", "gateway",
        "Event messages not sent to clients that fell too far behind.",
        [this] { return double(m_webSocketDrops); }));
}

// ---- /api/events

void HttpGateway::acceptWebSockets()
{
    while (m_server.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> pending = m_server.nextPendingWebSocketConnection();
        if (!pending)
            continue;
        QWebSocket *socket = pending.release();
        socket->setParent(this);
        const QUrl url = socket->requestUrl();
        // Application close codes (4000-4999) mirror the HTTP status a plain request would get.
        // Only the /api/events route lets an upgrade through; this guards against Qt versions that differ.
        if (url.path() != QLatin1String("/api/events")) {
            socket->close(QWebSocketProtocol::CloseCode(4404), QStringLiteral("no such event stream"));
            socket->deleteLater();
            continue;
        }
        if (m_access.enabled()) {
            // Browsers cannot set headers on a WebSocket: ?access_token= works too.
            QByteArray authorization = socket->request().rawHeader("Authorization");
            const QString token = QUrlQuery(url).queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded);
            if (authorization.isEmpty() && !token.isEmpty())
                authorization = "Bearer " + token.toUtf8();
            if (!m_access.authenticate(authorization)) {
                socket->close(QWebSocketProtocol::CloseCode(4401), QStringLiteral("a valid token is required"));
                socket->deleteLater();
                continue;
            }
        }
        if (int(m_webSockets.size()) >= m_options.maxWebSocketClients) {
            // Upgrades that raced past the edge's gate: 1013 is "try again later".
            HttpEdgeGuard::count("websocket_limit");
            socket->close(QWebSocketProtocol::CloseCode(1013), QStringLiteral("too many WebSocket clients"));
            socket->deleteLater();
            continue;
        }
        // Clients only listen: nothing they send needs to be large.
        socket->setMaxAllowedIncomingFrameSize(64 * 1024);
        socket->setMaxAllowedIncomingMessageSize(64 * 1024);
        m_webSockets.push_back(socket);
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_webSockets.erase(std::remove(m_webSockets.begin(), m_webSockets.end(), socket), m_webSockets.end());
            socket->deleteLater();
            m_mesh->setEventsWanted(!m_webSockets.empty());
            emit webSocketClientsChanged(int(m_webSockets.size()));
        });
        m_mesh->setEventsWanted(true);
        socket->sendTextMessage(QString::fromUtf8(
            EventHub::message(QStringLiteral("Subscribed"),
                              QJsonObject{{"events", QJsonArray{"delivery", "transaction", "drone"}}})));
        emit webSocketClientsChanged(int(m_webSockets.size()));
    }
}

void HttpGateway::broadcast(const std::vector<QByteArray> &messages)
{
    if (m_webSockets.empty() || messages.empty())
        return;
    QStringList texts;
    texts.reserve(qsizetype(messages.size()));
    for (const QByteArray &message : messages)
        texts.append(QString::fromUtf8(message));
    for (QWebSocket *socket : m_webSockets) {
        // A client this far behind would only grow our memory: it misses these (counted in /metrics).
        if (socket->bytesToWrite() > m_options.maxWebSocketBacklogBytes) {
            m_webSocketDrops += messages.size();
            continue;
        }
        for (const QString &text : texts)
            socket->sendTextMessage(text);
    }
}

} // namespace dd::backend
