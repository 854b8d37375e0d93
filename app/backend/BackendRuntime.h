// Brings a backend up from its options: endpoints, keys, faults, services, HTTP gateway; and down again.
#pragma once

#include "BackendOptions.h"

#include "backend/common/ServiceHost.h"
#include "net/transport/EndpointTable.h"

#include <memory>
#include <optional>
#include <string>

namespace dd::backend {
class HttpGateway;
}
namespace dd::net {
class OtlpExporter;
}

namespace dd::app {

class MetricsPort;

/// Owned by the Qt main thread (the gateway lives there).
class BackendRuntime
{
public:
    explicit BackendRuntime(BackendOptions options);
    ~BackendRuntime();

    /// False with a message in `error` if anything could not start; nothing is left running then.
    bool start(std::string *error);
    void stop();

    int httpPort() const { return m_httpPort; }
    int metricsPort() const; ///< --metrics-port's bound port; -1 without one
    /// The client identity this process uses: --client-name, else BackendOptions::defaultClientName.
    std::string clientName() const;
    /// Loads an endpoint table; a relative keysDir becomes relative to the file.
    static std::optional<net::EndpointTable> loadEndpointTable(const std::string &file, std::string *error);
    backend::ServiceHost *host() { return m_host.get(); }
    /// The identity secret the services verify credentials with (to mint for a signed-in
    /// person in this process); null before start().
    std::shared_ptr<const identity::CredentialSigner> credentials() const;
    const BackendOptions &options() const { return m_options; }

private:
    bool prepareKeys(const net::EndpointTable &table, std::string *error);
    bool startMetricsPort(std::string *error);
    /// identity.key from the keys directory when the mesh leaves this process.
    bool loadIdentityKey(const net::EndpointTable &table, backend::ServiceContext &context, std::string *error);

    BackendOptions m_options;
    std::unique_ptr<backend::ServiceHost> m_host;
    std::unique_ptr<backend::HttpGateway> m_gateway;
    std::unique_ptr<net::OtlpExporter> m_otlp; ///< --otlp-endpoint: attached to SpanFanout::global()
    std::unique_ptr<MetricsPort> m_metrics;    ///< --metrics-port
    int m_httpPort = -1;
};

} // namespace dd::app
