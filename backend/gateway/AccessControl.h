// Bearer tokens → (user, role) for the HTTP API, and which role may do what.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace dd::backend {

/// Roles from DESIGN §6, each one including the ones before it.
enum class Role { Dispatcher, Supervisor, Admin };

/// What an endpoint needs.
enum class Permission {
    Public,    ///< probes (/healthz, /readyz): no token even when tokens are on
    Read,      ///< any valid token
    Dispatch,  ///< schedule, reschedule, cancel: any valid token
    Supervise, ///< approve / reject / retry: supervisor or admin
    Administer ///< fault injection: admin
};

struct Principal
{
    QString user;
    Role role = Role::Dispatcher;
};

/// Off (the open local demo) until tokens are loaded; then every request needs
/// `Authorization: Bearer TOKEN`. Used on the gateway's Qt thread.
class AccessControl
{
public:
    /// Lines "TOKEN ROLE [USER]" (USER defaults to the role); '#' starts a comment.
    /// On any bad line nothing is loaded and `error` says which line and why.
    bool loadFile(const QString &path, QString *error = nullptr);
    bool parse(const QByteArray &text, QString *error = nullptr);
    void addToken(const QString &token, Role role, const QString &user);

    bool enabled() const { return !m_tokens.isEmpty(); }
    /// The principal of an `Authorization` header value, if it names a known token.
    std::optional<Principal> authenticate(const QByteArray &authorization) const;
    static bool allows(Role role, Permission permission);

    static QString roleName(Role role);
    static std::optional<Role> parseRole(const QString &name);

private:
    QHash<QString, Principal> m_tokens;
};

} // namespace dd::backend
