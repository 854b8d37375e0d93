// PasswordHash: QPasswordDigestor's PBKDF2 (QtNetwork), so no other crypto library is needed.
#include "backend/identity/PasswordHash.h"

#include <QList>
#include <QPasswordDigestor>
#include <QRandomGenerator>

namespace dd::identity {

namespace {
constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;
const QByteArray kScheme = "pbkdf2-sha256";

QByteArray derive(const QByteArray &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password, salt, iterations, kHashBytes);
}

std::optional<QByteArray> strictHex(const QByteArray &text, int bytes)
{
    const QByteArray decoded = QByteArray::fromHex(text);
    if (decoded.size() != bytes || decoded.toHex() != text.toLower())
        return std::nullopt;
    return decoded;
}
} // namespace

PasswordHash PasswordHash::create(const QByteArray &password, int iterations)
{
    PasswordHash result;
    result.iterations = iterations;
    result.salt.resize(kSaltBytes);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(result.salt.data()), kSaltBytes / 4);
    result.hash = derive(password, result.salt, iterations);
    return result;
}

std::optional<PasswordHash> PasswordHash::parse(const QByteArray &saltField, const QByteArray &hashField,
                                                QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<PasswordHash> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const auto salt = strictHex(saltField, kSaltBytes);
    if (!salt)
        return fail(QStringLiteral("SALT must be %1 bytes in hex").arg(kSaltBytes));
    const QList<QByteArray> parts = hashField.split(':');
    if (parts.size() != 3 || parts[0] != kScheme)
        return fail(QStringLiteral("HASH must be \"pbkdf2-sha256:ITERATIONS:HEX\""));
    bool numeric = false;
    const int iterations = parts[1].toInt(&numeric);
    if (!numeric || iterations < kMinIterations)
        return fail(QStringLiteral("at least %1 iterations are needed").arg(kMinIterations));
    const auto hash = strictHex(parts[2], kHashBytes);
    if (!hash)
        return fail(QStringLiteral("the hash must be %1 bytes in hex").arg(kHashBytes));
    return PasswordHash{iterations, *salt, *hash};
}

bool PasswordHash::matches(const QByteArray &password) const
{
    const QByteArray computed = derive(password, salt, iterations);
    if (computed.size() != hash.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < hash.size(); ++i)
        diff |= static_cast<unsigned char>(computed[i] ^ hash[i]);
    return diff == 0;
}

QByteArray PasswordHash::hashField() const
{
    return kScheme + ':' + QByteArray::number(iterations) + ':' + hash.toHex();
}

} // namespace dd::identity
