// DemoUsers: known passwords, so few PBKDF2 rounds — the hashes protect nothing a README does not print.
#include "DemoUsers.h"

#include "backend/identity/UserDirectory.h"

#include <QDir>
#include <QFile>

namespace dd::console {

namespace {
constexpr int kDemoIterations = 10000; // public passwords: a fast start matters more
}

std::optional<QString> DemoUsers::ensure(const QString &dataDir, std::string *error)
{
    QDir().mkpath(dataDir);
    const QString path = QDir(dataDir).filePath(QStringLiteral("demo-users"));
    if (QFile::exists(path))
        return path;
    const struct
    {
        const char *user, *role, *password;
    } users[] = {{kDispatcher, "dispatcher", kDispatcherPassword},
                 {kSupervisor, "supervisor", kSupervisorPassword},
                 {kAdmin, "admin", kAdminPassword}};
    for (const auto &user : users) {
        QString why;
        if (!identity::UserDirectory::addUser(path, QString::fromLatin1(user.user), user.role, user.password,
                                              kDemoIterations, nullptr, &why)) {
            if (error)
                *error = "demo users: " + why.toStdString();
            return std::nullopt;
        }
    }
    return path;
}

} // namespace dd::console
