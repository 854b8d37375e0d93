// Signs and verifies the expiring credentials (user, role, expiry, HMAC-SHA256) that mutating mesh requests carry.
#pragma once

#include "domain.pb.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace dd::identity {

/// Who a verified credential names.
struct VerifiedIdentity
{
    std::string user;
    std::string role;
};

/// Either an identity, or why the credential was refused ("no credential", "expired", ...).
struct CredentialCheck
{
    std::optional<VerifiedIdentity> identity;
    std::string refusal;
    explicit operator bool() const { return identity.has_value(); }
};

/// Holds the deployment's identity secret (32 random bytes). Whoever holds it mints, so only
/// the processes that authenticate people hold it: the HTTP gateway (bearer tokens) and the
/// console (a sign-in against the users file); the Supervisor and Account verify with it.
/// In one process (embedded) the secret is generated at start and shared in memory; split
/// over hosts it is the keys directory's identity.key (`drone-backend --keys-init`).
/// Immutable after construction: any thread.
class CredentialSigner
{
public:
    static constexpr int kSecretBytes = 32;
    /// How long a credential minted for one request lives: long enough for the mesh's retries.
    static constexpr std::int64_t kRequestLifetimeUs = 120LL * 1000 * 1000;

    explicit CredentialSigner(QByteArray secret);
    /// A signer with a fresh random secret (the embedded mode's, and every test's).
    static std::shared_ptr<const CredentialSigner> withFreshSecret();
    /// identity.key: the secret in hex on one line, mode 0600 (a looser file is refused).
    static std::shared_ptr<const CredentialSigner> loadKeyFile(const QString &path, QString *error);
    /// Creates identity.key with a new secret unless it exists (an existing one is kept, as
    /// --keys-init keeps existing CURVE pairs); true when the file is there afterwards.
    static bool createKeyFile(const QString &path, bool *created, QString *error);

    dronedelivery::v1::Credential sign(const std::string &user, const std::string &role, std::int64_t expiresAtUs) const;
    /// Refuses a missing, unsigned, forged (wrong secret or altered field), expired or role-less credential.
    CredentialCheck verify(const dronedelivery::v1::Credential &credential, std::int64_t nowUs) const;

private:
    QByteArray mac(const dronedelivery::v1::Credential &credential) const;

    QByteArray m_secret;
};

} // namespace dd::identity
