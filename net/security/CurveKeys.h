// CURVE key pairs and the key directory of a split deployment (the mesh's mTLS).
#pragma once

#include <zmq.hpp>

#include <optional>
#include <string>
#include <vector>

namespace dd::net {

struct CurveKeyPair
{
    std::string publicKey; ///< Z85, 40 characters
    std::string secretKey; ///< Z85, 40 characters

    static CurveKeyPair generate();
    bool valid() const { return publicKey.size() == 40 && secretKey.size() == 40; }
};

/// Keys live in one directory: NAME.key holds "public secret" (mode 0600) and
/// NAME.pub the public key; authorized_clients lists the client public keys a
/// server admits, one per line. Servers are named after their service, clients
/// after their process.
class CurveKeyStore
{
public:
    explicit CurveKeyStore(std::string directory);

    /// Loads NAME's pair, generating and saving it the first time.
    std::optional<CurveKeyPair> keyPair(const std::string &name, std::string *error = nullptr) const;
    std::optional<std::string> publicKey(const std::string &name) const;
    std::vector<std::string> authorizedClients() const;
    bool authorize(const std::string &publicKey, std::string *error = nullptr) const;
    const std::string &directory() const { return m_dir; }

private:
    std::string m_dir;
};

/// Socket options for a CURVE server (ROUTER, PUB) or client (DEALER, SUB).
void makeCurveServer(zmq::socket_t &socket, const CurveKeyPair &server, const std::string &zapDomain);
void makeCurveClient(zmq::socket_t &socket, const CurveKeyPair &client, const std::string &serverPublicKey);

} // namespace dd::net
