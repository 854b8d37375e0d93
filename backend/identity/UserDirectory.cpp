// UserDirectory: parsing, checking and rewriting the users file.
#include "backend/identity/UserDirectory.h"

#include "backend/identity/IdentityRoles.h"
#include "backend/identity/SecretFile.h"

#include <QFile>
#include <QList>
#include <QRegularExpression>

namespace dd::identity {

namespace {
constexpr int kMinPasswordBytes = 8;

QList<QByteArray> fieldsOf(QByteArray line)
{
    const int comment = line.indexOf('#');
    if (comment >= 0)
        line.truncate(comment);
    return line.simplified().split(' ');
}
} // namespace

bool UserDirectory::isValidUserName(const QString &user)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._@+-]{1,64}$"));
    return pattern.match(user).hasMatch();
}

bool UserDirectory::isAcceptablePassword(const QByteArray &password, QString *why)
{
    if (password.size() >= kMinPasswordBytes)
        return true;
    if (why)
        *why = QStringLiteral("a password needs at least %1 characters").arg(kMinPasswordBytes);
    return false;
}

std::optional<UserDirectory> UserDirectory::load(const QString &path, QString *error)
{
    QString why;
    const auto content = SecretFile::read(path, &why);
    if (!content) {
        if (error)
            *error = QStringLiteral("users file: %1").arg(why);
        return std::nullopt;
    }
    auto directory = parse(*content, &why);
    if (!directory && error)
        *error = QStringLiteral("users file %1: %2").arg(path, why);
    return directory;
}

std::optional<UserDirectory> UserDirectory::parse(const QByteArray &text, QString *error)
{
    UserDirectory directory;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QList<QByteArray> fields = fieldsOf(lines[i]);
        if (fields.size() == 1 && fields[0].isEmpty())
            continue;
        const auto fail = [&](const QString &why) -> std::optional<UserDirectory> {
            if (error)
                *error = QStringLiteral("line %1: %2").arg(i + 1).arg(why);
            return std::nullopt;
        };
        if (fields.size() != 4)
            return fail(QStringLiteral("expected \"USER ROLE SALT HASH\""));
        const QString user = QString::fromUtf8(fields[0]);
        if (!isValidUserName(user))
            return fail(QStringLiteral("user names are letters, digits and . _ @ + - (at most 64)"));
        const std::string role = fields[1].toStdString();
        if (!isRole(role))
            return fail(QStringLiteral("unknown role \"%1\" (dispatcher, supervisor or admin)")
                            .arg(QString::fromUtf8(fields[1])));
        if (directory.m_users.contains(user))
            return fail(QStringLiteral("user %1 appears twice").arg(user));
        QString why;
        const auto hash = PasswordHash::parse(fields[2], fields[3], &why);
        if (!hash)
            return fail(why);
        directory.m_users.insert(user, User{role, *hash});
    }
    if (directory.m_users.isEmpty()) {
        // Nobody could sign in: say so instead of locking everyone out in silence.
        if (error)
            *error = QStringLiteral("no users");
        return std::nullopt;
    }
    return directory;
}

std::optional<std::string> UserDirectory::authenticate(const QString &user, const QByteArray &password) const
{
    const auto it = m_users.constFind(user);
    if (it == m_users.constEnd()) {
        static const PasswordHash decoy = PasswordHash::create("decoy", PasswordHash::kDefaultIterations);
        (void)decoy.matches(password);
        return std::nullopt;
    }
    if (!it->password.matches(password))
        return std::nullopt;
    return it->role;
}

bool UserDirectory::addUser(const QString &path, const QString &user, const std::string &role,
                            const QByteArray &password, int iterations, bool *replaced, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!isValidUserName(user))
        return fail(QStringLiteral("user names are letters, digits and . _ @ + - (at most 64)"));
    if (!isRole(role))
        return fail(QStringLiteral("--role must be dispatcher, supervisor or admin"));
    QString why;
    if (!isAcceptablePassword(password, &why))
        return fail(why);
    if (iterations < PasswordHash::kMinIterations)
        return fail(QStringLiteral("at least %1 iterations are needed").arg(PasswordHash::kMinIterations));
    QByteArray existing;
    if (QFile::exists(path)) {
        const auto content = SecretFile::read(path, &why);
        if (!content)
            return fail(why);
        existing = *content;
        // Rewritten only when what is there parses: a typo found now, not at the next sign-in.
        QString parseError;
        if (!existing.trimmed().isEmpty() && !parse(existing, &parseError))
            return fail(QStringLiteral("users file %1: %2").arg(path, parseError));
    }
    const PasswordHash hash = PasswordHash::create(password, iterations);
    const QByteArray line = user.toUtf8() + ' ' + QByteArray::fromStdString(role) + ' ' + hash.saltField() + ' '
        + hash.hashField();
    QByteArray out;
    bool found = false;
    for (const QByteArray &old : existing.split('\n')) {
        if (old.isEmpty())
            continue;
        if (fieldsOf(old).value(0) == user.toUtf8()) {
            out += line + '\n';
            found = true;
        } else {
            out += old + '\n';
        }
    }
    if (!found) {
        if (existing.isEmpty())
            out += "# drone-console users: USER ROLE SALT HASH (PBKDF2-HMAC-SHA256); drone-backend --add-user writes it\n";
        out += line + '\n';
    }
    if (replaced)
        *replaced = found;
    return SecretFile::write(path, out, error);
}

} // namespace dd::identity
