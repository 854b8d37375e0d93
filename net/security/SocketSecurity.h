// Applies CURVE to every tcp socket of the mesh; inproc sockets stay plain (same process).
#pragma once

#include "net/security/CurveKeys.h"

#include <memory>
#include <string>

namespace dd::net {

struct SecurityConfig
{
    /// Null means no key directory: tcp endpoints are then refused.
    std::shared_ptr<CurveKeyStore> keys;
    /// Name of this process's client key pair.
    std::string clientName = "client";

    static SecurityConfig fromKeysDir(const std::string &dir, std::string clientName = "client");
};

/// For ROUTER/PUB sockets that bind. Throws std::runtime_error for tcp without keys.
void secureServerSocket(zmq::socket_t &socket, const std::string &endpoint, const std::string &service,
                        const SecurityConfig &security);
/// For DEALER/SUB sockets that connect. Throws std::runtime_error for tcp without keys.
void secureClientSocket(zmq::socket_t &socket, const std::string &endpoint, const std::string &service,
                        const SecurityConfig &security);

} // namespace dd::net
