// A salted PBKDF2-HMAC-SHA256 password hash: the SALT and HASH fields of a users-file line.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dd::identity {

/// Fields as written: SALT is 16 random bytes in hex; HASH is "pbkdf2-sha256:ITERATIONS:HEX"
/// (32 bytes), so a file can hold hashes of several strengths and be raised user by user.
struct PasswordHash
{
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256; a users file may say more or less per line.
    static constexpr int kDefaultIterations = 600000;
    static constexpr int kMinIterations = 1000; ///< below this a line is refused as no protection

    int iterations = kDefaultIterations;
    QByteArray salt;
    QByteArray hash;

    /// A fresh random salt and the password's hash under it.
    static PasswordHash create(const QByteArray &password, int iterations = kDefaultIterations);
    static std::optional<PasswordHash> parse(const QByteArray &saltField, const QByteArray &hashField, QString *error);
    /// Hashes `password` with this salt and count and compares in constant time.
    bool matches(const QByteArray &password) const;

    QByteArray saltField() const { return salt.toHex(); }
    QByteArray hashField() const;
};

} // namespace dd::identity
