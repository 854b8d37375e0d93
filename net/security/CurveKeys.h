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

/// Keys live in one directory (mode 0700): NAME.key holds "public secret" (0600) and
/// NAME.pub the public key (0644: meant to be copied to other hosts; the directory
/// keeps other users out anyway); authorized_clients (0600) lists the client public
/// keys a server admits, one per line. Servers are named after their service, clients
/// after their process. Generating keys and writing the allow-list is an administrator's
/// step (drone-backend --keys-init / --authorize-client); running processes only load.
class CurveKeyStore
{
public:
    explicit CurveKeyStore(std::string directory);

    /// Loads NAME's pair, generating and saving it the first time (the admin step).
    std::optional<CurveKeyPair> keyPair(const std::string &name, std::string *error = nullptr) const;
    /// Loads NAME's pair and never creates one: a process serves only with a secret it was
    /// given. Refused when the file is missing, corrupt or readable by group or others.
    std::optional<CurveKeyPair> loadKeyPair(const std::string &name, std::string *error = nullptr) const;
    std::optional<std::string> publicKey(const std::string &name) const;
    std::vector<std::string> authorizedClients() const;
    bool authorize(const std::string &publicKey, std::string *error = nullptr) const;
    /// Creates the directory with mode 0700, or tightens an existing one to it.
    bool secureDirectory(std::string *error = nullptr) const;
    /// Set when group or others may enter the directory: a line for the operator.
    std::optional<std::string> looseDirectoryWarning() const;
    const std::string &directory() const { return m_dir; }

private:
    std::string m_dir;
};

/// Socket options for a CURVE server (ROUTER, PUB) or client (DEALER, SUB).
void makeCurveServer(zmq::socket_t &socket, const CurveKeyPair &server, const std::string &zapDomain);
void makeCurveClient(zmq::socket_t &socket, const CurveKeyPair &client, const std::string &serverPublicKey);

} // namespace dd::net
