// KeyAdmin: creates what is missing, keeps what exists, says which is which.
#include "KeyAdmin.h"

#include "BackendRuntime.h"

#include "backend/common/ServiceHost.h"
#include "backend/identity/CredentialSigner.h"
#include "net/security/CurveKeys.h"

#include <QDir>
#include <QFile>

#include <algorithm>

namespace dd::app {

namespace {
bool exists(const net::CurveKeyStore &keys, const std::string &name)
{
    return QFile::exists(QDir(QString::fromStdString(keys.directory())).filePath(QString::fromStdString(name + ".key")));
}
} // namespace

bool KeyAdmin::run(const BackendOptions &options, std::FILE *out, std::string *error)
{
    if (options.endpointsFile.empty()) {
        *error = "--keys-init and --authorize-client need --endpoints FILE (its keysDir is the key directory)";
        return false;
    }
    auto table = BackendRuntime::loadEndpointTable(options.endpointsFile, error);
    if (!table)
        return false;
    if (table->keysDir().empty()) {
        *error = "the endpoint table " + options.endpointsFile + " names no \"keysDir\"";
        return false;
    }
    const net::CurveKeyStore keys(table->keysDir());
    if (!keys.secureDirectory(error))
        return false;
    std::fprintf(out, "key directory %s (mode 0700)\n", keys.directory().c_str());
    auto make = [&](const std::string &name, const char *what) {
        const bool had = exists(keys, name);
        if (!keys.keyPair(name, error))
            return false;
        std::fprintf(out, "  %s %s.key (0600) and %s.pub: %s\n", what, name.c_str(), name.c_str(),
                     had ? "kept" : "created");
        return true;
    };
    if (options.keysInit) {
        for (const auto &service : backend::ServiceHost::allServices())
            if (!make(service, "service"))
                return false;
        // The secret that signs who acts (credentials); the gateway, the Supervisor, Account and a
        // --connect console load it. Kept when it exists, like the pairs.
        const QString identityKey = QDir(QString::fromStdString(keys.directory())).filePath(QStringLiteral("identity.key"));
        bool created = false;
        QString why;
        if (!identity::CredentialSigner::createKeyFile(identityKey, &created, &why)) {
            *error = why.toStdString();
            return false;
        }
        std::fprintf(out, "  identity key identity.key (0600): %s\n", created ? "created" : "kept");
    }
    for (const auto &client : options.authorizeClients) {
        if (!make(client, "client"))
            return false;
        const auto pair = keys.keyPair(client, error);
        const auto listed = keys.authorizedClients();
        const bool had = std::find(listed.begin(), listed.end(), pair->publicKey) != listed.end();
        if (!keys.authorize(pair->publicKey, error))
            return false;
        std::fprintf(out, "  client %s %s authorized_clients (0600)\n", client.c_str(), had ? "already in" : "added to");
    }
    return true;
}

} // namespace dd::app
