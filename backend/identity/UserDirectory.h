// The local users file: "USER ROLE SALT HASH" a line (salted PBKDF2), mode 0600; who may sign in to the console and as what.
#pragma once

#include "backend/identity/PasswordHash.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>
#include <string>

namespace dd::identity {

class UserDirectory
{
public:
    struct User
    {
        std::string role;
        PasswordHash password;
    };

    /// Reads the file; refuses one readable by group or others, any bad line (saying which),
    /// a repeated user and a file without users. Read once: a change needs a new sign-in.
    static std::optional<UserDirectory> load(const QString &path, QString *error);
    static std::optional<UserDirectory> parse(const QByteArray &text, QString *error);

    /// The user's role when the password is theirs. An unknown user costs the same hashing
    /// as a known one, so the time taken does not tell which names exist.
    std::optional<std::string> authenticate(const QString &user, const QByteArray &password) const;
    bool contains(const QString &user) const { return m_users.contains(user); }
    qsizetype size() const { return m_users.size(); }

    /// The writer behind `drone-backend --add-user`: adds the user, or replaces their role and
    /// password, keeping every other line; the file is written (or created) with mode 0600.
    /// `replaced` says whether the user was there before.
    static bool addUser(const QString &path, const QString &user, const std::string &role, const QByteArray &password,
                        int iterations, bool *replaced, QString *error);
    /// Letters, digits and ". _ @ + -", 1 to 64 of them.
    static bool isValidUserName(const QString &user);
    /// Refuses passwords too short to be one (8 bytes).
    static bool isAcceptablePassword(const QByteArray &password, QString *why);

private:
    QHash<QString, User> m_users;
};

} // namespace dd::identity
