// BackendRuntime: the start-up sequence of a backend process.
#include "BackendRuntime.h"

#include "backend/ServiceCatalog.h"
#include "backend/gateway/HttpGateway.h"
#include "backend/ingestion/IngestionService.h"
#include "net/resilience/FaultInjector.h"
#include "net/security/CurveKeys.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/otlp/OtlpExporter.h"

#include <QDir>
#include <QFileInfo>

namespace dd::app {

BackendRuntime::BackendRuntime(BackendOptions options) : m_options(std::move(options)) {}

BackendRuntime::~BackendRuntime()
{
    stop();
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
    net::CurveKeyStore keys(table.keysDir());
    // Server keys of every service of the deployment (publishers use their
    // service's): whichever process starts first creates them, the rest load them,
    // so clients can be set up before the services they call have started.
    for (const auto &service : backend::ServiceHost::allServices())
        if (!keys.keyPair(service, error))
            return false;
    const auto client = keys.keyPair(m_options.clientName, error);
    if (!client || !keys.authorize(client->publicKey, error))
        return false;
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
    if (!m_options.endpointsFile.empty()) {
        auto table = net::EndpointTable::loadFile(m_options.endpointsFile, error);
        if (!table)
            return false;
        // A relative keys directory is relative to the endpoint file.
        if (!table->keysDir().empty() && QDir::isRelativePath(QString::fromStdString(table->keysDir()))) {
            const QDir base = QFileInfo(QString::fromStdString(m_options.endpointsFile)).absoluteDir();
            table->setKeysDir(base.filePath(QString::fromStdString(table->keysDir())).toStdString());
        }
        if (!prepareKeys(*table, error))
            return false;
        context.security = net::SecurityConfig::fromKeysDir(table->keysDir(), m_options.clientName);
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
        m_gateway = std::make_unique<backend::HttpGateway>(m_host->context(), ingestion, gatewayOptions);
        if (!m_gateway->start(error)) {
            stop();
            return false;
        }
        m_httpPort = m_gateway->port();
    }
    return true;
}

void BackendRuntime::stop()
{
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
