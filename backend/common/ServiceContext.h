// Everything a backend service needs from its host: data dir, endpoints, security, clock, knobs.
#pragma once

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

    // Demo knobs.
    int fleetSize = 50;         ///< drones the Drone service simulates
    double timeScale = 1.0;     ///< simulated seconds per real second
    std::uint64_t seed = 2026;  ///< the fleet's starting positions

    std::string storePath(const std::string &service) const { return dataDir + "/" + service + ".sqlite"; }
    net::ServerOptions serverOptions() const;
    net::ClientOptions clientOptions() const;
};

} // namespace dd::backend
