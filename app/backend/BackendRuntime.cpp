// BackendRuntime: the start-up sequence of a backend process.
#include "BackendRuntime.h"

#include "MetricsPort.h"

#include "backend/ServiceCatalog.h"
#include "backend/gateway/HttpGateway.h"
#include "backend/ingestion/IngestionService.h"
#include "net/resilience/FaultInjector.h"
#include "net/security/CurveKeys.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/otlp/OtlpExporter.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcRuntime, "dd.app.runtime")

namespace dd::app {

BackendRuntime::BackendRuntime(BackendOptions options) : m_options(std::move(options)) {}

BackendRuntime::~BackendRuntime()
{
    stop();
}

std::string BackendRuntime::clientName() const
{
    return m_options.clientName.empty() ? BackendOptions::defaultClientName(m_options.services) : m_options.clientName;
}

int BackendRuntime::metricsPort() const
{
    return m_metrics ? m_metrics->port() : -1;
}

std::optional<net::EndpointTable> BackendRuntime::loadEndpointTable(const std::string &file, std::string *error)
{
    auto table = net::EndpointTable::loadFile(file, error);
    if (!table)
        return std::nullopt;
    if (!table->keysDir().empty() && QDir::isRelativePath(QString::fromStdString(table->keysDir()))) {
        const QDir base = QFileInfo(QString::fromStdString(file)).absoluteDir();
        table->setKeysDir(base.filePath(QString::fromStdString(table->keysDir())).toStdString());
    }
    return table;
}

bool BackendRuntime::prepareKeys(const net::EndpointTable &table, std::string *error)
{
    bool anyTcp = false;
    for (const auto &name : table.services())
        for (const auto &instance : table.instances(name))
            anyTcp = anyTcp || instance.isTcp();
    if (!anyTcp)
        return true;
    if (table.keysDir().empty()) {
        *error = "the endpoint table has tcp endpoints but no \"keysDir\" for their CURVE keys";
        return false;
    }
    // Only loads: creating keys and admitting clients is the administrator's step
    // (KeyAdmin), so a process can neither mint an identity nor admit itself.
    const net::CurveKeyStore keys(table.keysDir());
    if (const auto warning = keys.looseDirectoryWarning())
        qCWarning(lcRuntime).noquote() << QString::fromStdString(*warning);
    const std::string admin = "drone-backend --endpoints " + m_options.endpointsFile;
    const auto &mine = m_options.services.empty() ? backend::ServiceHost::allServices() : m_options.services;
    std::string why;
    // This process's own services' secrets, no other: a host holds only what it serves.
    for (const auto &service : mine) {
        const bool tcp = table.contains(service) && table.instances(service).front().isTcp();
        if (tcp && !keys.loadKeyPair(service, &why)) {
            *error = "cannot serve " + service + ": " + why + "; an administrator creates the services' keys with: "
                + admin + " --keys-init";
            return false;
        }
    }
    const std::string client = clientName();
    const auto pair = keys.loadKeyPair(client, &why);
    if (!pair) {
        *error = "no client identity: " + why + "; an administrator creates and admits it with: " + admin
            + " --authorize-client " + client;
        return false;
    }
    const auto listed = keys.authorizedClients();
    if (std::find(listed.begin(), listed.end(), pair->publicKey) == listed.end())
        qCWarning(lcRuntime).noquote() << QString::fromStdString(
            "client " + client + " is not in " + keys.directory() + "/authorized_clients: servers that use it will "
            "refuse this process (" + admin + " --authorize-client " + client + ")");
    return true;
}

bool BackendRuntime::loadIdentityKey(const net::EndpointTable &table, backend::ServiceContext &context,
                                     std::string *error)
{
    // Split over processes, the minting gateway and the verifying Supervisor and Account must
    // share one secret: the keys directory's. Without tcp everything is in this process and the
    // context's fresh in-memory secret is shared already.
    if (table.keysDir().empty())
        return true;
    const QString path = QDir(QString::fromStdString(table.keysDir())).filePath(QStringLiteral("identity.key"));
    bool anyTcp = false;
    for (const auto &name : table.services())
        for (const auto &instance : table.instances(name))
            anyTcp = anyTcp || instance.isTcp();
    if (!anyTcp && !QFile::exists(path))
        return true;
    QString why;
    auto signer = identity::CredentialSigner::loadKeyFile(path, &why);
    if (!signer) {
        *error = why.toStdString() + "; an administrator creates it with: drone-backend --endpoints "
            + m_options.endpointsFile + " --keys-init";
        return false;
    }
    context.credentials = std::move(signer);
    return true;
}

std::shared_ptr<const identity::CredentialSigner> BackendRuntime::credentials() const
{
    return m_host ? m_host->context().credentials : nullptr;
}

bool BackendRuntime::startMetricsPort(std::string *error)
{
    if (m_options.metricsPort < 0)
        return true;
    m_metrics = std::make_unique<MetricsPort>();
    if (!m_metrics->start(m_options.httpAddress, m_options.metricsPort, error)) {
        m_metrics.reset();
        return false;
    }
    return true;
}

bool BackendRuntime::start(std::string *error)
{
    backend::registerBuiltInServices();
    backend::ServiceContext context;
    context.dataDir = m_options.dataDir;
    context.fleetSize = m_options.fleet;
    context.timeScale = m_options.timeScale;
    context.strictAccounts = m_options.strictAccounts;
    context.strictPlaces = m_options.strictPlaces;
    context.workflowRetryWindow = m_options.retryWindowUs;
    context.retention.age = m_options.retentionUs;
    if (!m_options.endpointsFile.empty()) {
        auto table = loadEndpointTable(m_options.endpointsFile, error);
        if (!table)
            return false;
        if (!prepareKeys(*table, error))
            return false;
        context.security = net::SecurityConfig::fromKeysDir(table->keysDir(), clientName());
        if (!loadIdentityKey(*table, context, error))
            return false;
        context.endpoints = std::move(*table);
    }
    for (const auto &spec : m_options.faults)
        net::FaultInjector::global().add(*net::parseFaultSpec(spec));
    if (!m_options.otlpEndpoint.empty()) { // before the services, so their first spans are exported too
        QString why;
        const auto endpoint = net::HttpEndpoint::parse(QString::fromStdString(m_options.otlpEndpoint), &why);
        if (!endpoint) {
            *error = "--otlp-endpoint: " + why.toStdString();
            return false;
        }
        net::OtlpExporterOptions otlp;
        otlp.endpoint = *endpoint;
        m_otlp = std::make_unique<net::OtlpExporter>(std::move(otlp));
        m_otlp->start();
        net::SpanFanout::global().add(m_otlp.get());
    }

    m_host = std::make_unique<backend::ServiceHost>(std::move(context));
    try {
        m_host->start(m_options.services.empty() ? backend::ServiceHost::allServices() : m_options.services);
    } catch (const std::exception &e) {
        *error = e.what();
        m_host.reset();
        return false;
    }
    if (m_options.httpPort >= 0) {
        auto *ingestion = m_host->get<backend::IngestionService>("ingestion");
        if (!ingestion) {
            *error = "--http needs the ingestion service in this process";
            stop();
            return false;
        }
        backend::GatewayOptions gatewayOptions;
        gatewayOptions.address = m_options.httpAddress;
        gatewayOptions.port = m_options.httpPort;
        gatewayOptions.tokensFile = m_options.tokensFile;
        gatewayOptions.edge.limits.maxRequestLineBytes = m_options.httpMaxUrlBytes;
        gatewayOptions.edge.limits.maxHeaderBytes = m_options.httpMaxHeaderBytes;
        gatewayOptions.edge.headerTimeout = m_options.httpHeaderTimeoutUs;
        gatewayOptions.edge.bodyTimeout = m_options.httpBodyTimeoutUs;
        gatewayOptions.edge.idleTimeout = m_options.httpIdleTimeoutUs;
        gatewayOptions.edge.maxConnections = m_options.httpMaxConnections;
        gatewayOptions.maxWebSocketClients = m_options.wsMaxClients;
        m_gateway = std::make_unique<backend::HttpGateway>(m_host->context(), ingestion, gatewayOptions);
        if (!m_gateway->start(error)) {
            stop();
            return false;
        }
        m_httpPort = m_gateway->port();
    }
    if (!startMetricsPort(error)) {
        stop();
        return false;
    }
    return true;
}

void BackendRuntime::stop()
{
    m_metrics.reset();
    // The gateway first: no new requests while the services drain.
    if (m_gateway) {
        m_gateway->stop();
        m_gateway.reset();
    }
    if (m_host) {
        m_host->stop();
        m_host.reset();
    }
    // Last: the services' final spans are in its queue; stop() sends them (flushTimeout at most).
    if (m_otlp) {
        net::SpanFanout::global().remove(m_otlp.get());
        m_otlp->stop();
        m_otlp.reset();
    }
}

} // namespace dd::app
