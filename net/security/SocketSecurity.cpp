// CURVE setup for server and client sockets.
#include "net/security/SocketSecurity.h"

#include "net/security/HandshakeMonitor.h"
#include "net/security/ZapAuthenticator.h"

#include <stdexcept>

namespace dd::net {

namespace {
bool isTcp(const std::string &endpoint)
{
    return endpoint.rfind("tcp://", 0) == 0;
}

const CurveKeyStore &requireKeys(const SecurityConfig &security, const std::string &endpoint)
{
    if (!security.keys)
        throw std::runtime_error("refusing plaintext tcp endpoint " + endpoint + ": no CURVE key directory");
    return *security.keys;
}
} // namespace

SecurityConfig SecurityConfig::fromKeysDir(const std::string &dir, std::string clientName)
{
    SecurityConfig config;
    if (!dir.empty())
        config.keys = std::make_shared<CurveKeyStore>(dir);
    config.clientName = std::move(clientName);
    return config;
}

void secureServerSocket(zmq::socket_t &socket, const std::string &endpoint, const std::string &service,
                        const SecurityConfig &security)
{
    if (!isTcp(endpoint))
        return;
    const CurveKeyStore &keys = requireKeys(security, endpoint);
    std::string error;
    // Loaded, never made here: a process serves only the services whose secret it was given.
    const auto pair = keys.loadKeyPair(service, &error);
    if (!pair)
        throw std::runtime_error("cannot serve " + service + " on " + endpoint + ": " + error);
    auto &zap = ZapAuthenticator::instance();
    for (const auto &client : keys.authorizedClients())
        zap.allow(client);
    zap.setAllowListSource([store = security.keys] { return store->authorizedClients(); });
    zap.start();
    makeCurveServer(socket, *pair, "dronedelivery");
    HandshakeMonitor::instance().watch(socket, service); // refusals counted and logged
}

void secureClientSocket(zmq::socket_t &socket, const std::string &endpoint, const std::string &service,
                        const SecurityConfig &security)
{
    if (!isTcp(endpoint))
        return;
    const CurveKeyStore &keys = requireKeys(security, endpoint);
    std::string error;
    // This process's own client identity; admitting it is the administrator's step, not ours.
    const auto client = keys.loadKeyPair(security.clientName, &error);
    if (!client)
        throw std::runtime_error("no client identity for calls to " + service + ": " + error);
    const auto serverKey = keys.publicKey(service);
    if (!serverKey)
        throw std::runtime_error("no public key for service " + service + " in " + keys.directory());
    makeCurveClient(socket, *client, *serverKey);
}

} // namespace dd::net
