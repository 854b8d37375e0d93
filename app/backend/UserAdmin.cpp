// UserAdmin: the password from the environment or stdin, never from the command line (ps would show it).
#include "UserAdmin.h"

#include "backend/identity/UserDirectory.h"

#include <QString>

#include <cstdlib>

namespace dd::app {

namespace {
QByteArray readPassword(std::FILE *in)
{
    if (const char *fromEnvironment = std::getenv("DD_USER_PASSWORD"))
        return QByteArray(fromEnvironment);
    QByteArray line;
    for (int c = std::fgetc(in); c != EOF && c != '\n'; c = std::fgetc(in))
        line.append(char(c));
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}
} // namespace

bool UserAdmin::run(const BackendOptions &options, std::FILE *in, std::FILE *out, std::string *error)
{
    const QByteArray password = readPassword(in);
    const QString path = QString::fromStdString(options.usersPath());
    bool replaced = false;
    QString why;
    if (!identity::UserDirectory::addUser(path, QString::fromStdString(options.addUser), options.addUserRole, password,
                                          options.passwordIterations, &replaced, &why)) {
        *error = why.toStdString();
        return false;
    }
    std::fprintf(out, "%s user %s (%s) in %s (mode 0600)\n", replaced ? "updated" : "added", options.addUser.c_str(),
                 options.addUserRole.c_str(), path.toLocal8Bit().constData());
    return true;
}

} // namespace dd::app
