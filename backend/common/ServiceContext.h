// Everything a backend service needs from its host: data dir, endpoints, security, clock, knobs.
#pragma once

#include "backend/common/RetentionPolicy.h"
#include "backend/identity/CredentialSigner.h"
#include "net/resilience/Clock.h"
#include "net/resilience/FaultInjector.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/security/SocketSecurity.h"
#include "net/transport/EndpointTable.h"

#include <string>

namespace dd::backend {

struct ServiceContext
{
    std::string dataDir = ".";
    net::EndpointTable endpoints;
    net::SecurityConfig security;
    const net::Clock *clock = &net::Clock::system();
    net::FaultInjector *faults = &net::FaultInjector::global();
    /// Verifies (and, for the gateway, mints) the signed credentials of mutating requests. A
    /// fresh secret by default: one process shares it in memory; split mode loads identity.key.
    std::shared_ptr<const identity::CredentialSigner> credentials = identity::CredentialSigner::withFreshSecret();

    // Demo knobs.
    int fleetSize = 50;         ///< drones the Drone service simulates
    double timeScale = 1.0;     ///< simulated seconds per real second
    std::uint64_t seed = 2026;  ///< the fleet's starting positions

    // Policies (docs/http-api.md).
    bool strictAccounts = false; ///< --accounts strict: an unknown owner fails; open (default): registered on first use
    bool strictPlaces = false;   ///< --places strict: free text no gazetteer knows is a 400; lenient (default): a stand-in point
    /// --retry-window: how long a workflow retries transient errors (timeout, unavailable, open
    /// circuit, overloaded) before it fails, like an activity's schedule-to-close timeout in Temporal.
    net::Micros workflowRetryWindow = 15 * 60 * net::kSeconds;
    /// --retention: how long finished rows are kept before each store's sweep prunes them
    /// (docs/operating.md, "Retention").
    RetentionPolicy retention;

    std::string storePath(const std::string &service) const { return dataDir + "/" + service + ".sqlite"; }
    net::ServerOptions serverOptions() const;
    net::ClientOptions clientOptions() const;
};

} // namespace dd::backend
