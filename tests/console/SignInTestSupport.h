// Console sign-in for tests: a users file with one user per role, and the bridge settings that sign in against it.
#pragma once

#include "BackendRuntime.h"
#include "backend/identity/UserDirectory.h"
#include "bridge/BridgeWorker.h"

#include <QDir>
#include <QString>

namespace dd::console::test {

inline constexpr const char *kTestPassword = "test-password";
inline constexpr int kTestIterations = 1000; // test passwords: the fewest rounds a users file accepts

/// The test user of a role: dana (dispatcher), tess (supervisor), ada (admin).
inline QString testUserFor(const QString &role)
{
    return role == QLatin1String("admin") ? QStringLiteral("ada")
        : role == QLatin1String("supervisor") ? QStringLiteral("tess")
                                              : QStringLiteral("dana");
}

/// Writes DIR/users with the three test users (mode 0600) and points `bridge` at it and at the
/// embedded backend's identity secret, as drone-console does.
inline void signInAgainst(const app::BackendRuntime &backend, const QString &dir, BridgeConfig &bridge)
{
    const QString path = QDir(dir).filePath(QStringLiteral("users"));
    for (const char *role : {"dispatcher", "supervisor", "admin"}) {
        QString why;
        if (!identity::UserDirectory::addUser(path, testUserFor(QLatin1String(role)), role, kTestPassword,
                                              kTestIterations, nullptr, &why))
            qFatal("test users: %s", qPrintable(why));
    }
    bridge.usersFile = path;
    bridge.credentials = backend.credentials();
}

} // namespace dd::console::test
