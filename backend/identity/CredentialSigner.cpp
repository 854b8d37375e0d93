// CredentialSigner: HMAC-SHA256 over a length-prefixed encoding of user, role and expiry.
#include "backend/identity/CredentialSigner.h"

#include "backend/identity/IdentityRoles.h"
#include "backend/identity/SecretFile.h"

#include <QFile>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace dd::identity {

namespace {
/// Each field behind its length: no choice of user name can make two credentials sign alike.
void appendField(QByteArray &out, const QByteArray &field)
{
    const quint32 size = quint32(field.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((size >> shift) & 0xff));
    out.append(field);
}

/// Compares every byte whatever the first difference, so timing says nothing about a signature.
bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray randomSecret()
{
    QByteArray secret(CredentialSigner::kSecretBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()),
                                          CredentialSigner::kSecretBytes / int(sizeof(quint32)));
    return secret;
}
} // namespace

CredentialSigner::CredentialSigner(QByteArray secret) : m_secret(std::move(secret)) {}

std::shared_ptr<const CredentialSigner> CredentialSigner::withFreshSecret()
{
    return std::make_shared<const CredentialSigner>(randomSecret());
}

std::shared_ptr<const CredentialSigner> CredentialSigner::loadKeyFile(const QString &path, QString *error)
{
    const auto content = SecretFile::read(path, error);
    if (!content)
        return nullptr;
    const QByteArray hex = content->trimmed();
    const QByteArray secret = QByteArray::fromHex(hex);
    if (secret.size() != kSecretBytes || secret.toHex() != hex.toLower()) {
        if (error)
            *error = QStringLiteral("%1 is not an identity key (%2 bytes in hex)").arg(path).arg(kSecretBytes);
        return nullptr;
    }
    return std::make_shared<const CredentialSigner>(secret);
}

bool CredentialSigner::createKeyFile(const QString &path, bool *created, QString *error)
{
    if (created)
        *created = false;
    if (QFile::exists(path)) {
        QString why;
        if (!loadKeyFile(path, &why)) {
            if (error)
                *error = why;
            return false;
        }
        return true;
    }
    if (!SecretFile::write(path, randomSecret().toHex() + "\n", error))
        return false;
    if (created)
        *created = true;
    return true;
}

QByteArray CredentialSigner::mac(const dronedelivery::v1::Credential &credential) const
{
    QByteArray message("dd-credential-v1");
    appendField(message, QByteArray::fromStdString(credential.user()));
    appendField(message, QByteArray::fromStdString(credential.role()));
    appendField(message, QByteArray::number(qint64(credential.expires_at_us())));
    return QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256);
}

dronedelivery::v1::Credential CredentialSigner::sign(const std::string &user, const std::string &role,
                                                     std::int64_t expiresAtUs) const
{
    dronedelivery::v1::Credential credential;
    credential.set_user(user);
    credential.set_role(role);
    credential.set_expires_at_us(expiresAtUs);
    const QByteArray signature = mac(credential);
    credential.set_signature(signature.constData(), std::size_t(signature.size()));
    return credential;
}

CredentialCheck CredentialSigner::verify(const dronedelivery::v1::Credential &credential, std::int64_t nowUs) const
{
    if (credential.signature().empty())
        return {std::nullopt, "no signed credential"};
    const QByteArray given = QByteArray::fromStdString(credential.signature());
    if (!equalInConstantTime(given, mac(credential)))
        return {std::nullopt, "credential signature does not verify"};
    // Checked after the signature: an unsigned claim gets no answer about its fields.
    if (credential.expires_at_us() <= nowUs)
        return {std::nullopt, "credential expired"};
    if (credential.user().empty() || !isRole(credential.role()))
        return {std::nullopt, "credential names no user or role"};
    return {VerifiedIdentity{credential.user(), credential.role()}, {}};
}

} // namespace dd::identity
