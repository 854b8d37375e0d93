// AccessControl: the tokens file and the role checks of the HTTP API.
#include "backend/gateway/AccessControl.h"

#include <QFile>
#include <QStringDecoder>

namespace dd::backend {

namespace {
/// Bytes that are no UTF-8 decode lossily (to U+FFFD): "tok\xff" and "tok\xfe" would be one
/// token. Refused instead, in the file and in the header (found by fuzz_tokens).
std::optional<QString> strictUtf8(const QByteArray &bytes)
{
    // Stateless: a sequence cut off at the end is an error, not a state kept for more input.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError() || text.toUtf8() != bytes)
        return std::nullopt;
    return text;
}
} // namespace

bool AccessControl::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read tokens file %1: %2").arg(path, file.errorString());
        return false;
    }
    return parse(file.readAll(), error);
}

bool AccessControl::parse(const QByteArray &text, QString *error)
{
    QHash<QString, Principal> tokens;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        const int comment = line.indexOf('#');
        if (comment >= 0)
            line.truncate(comment);
        const auto fail = [&](const QString &why) {
            if (error)
                *error = QStringLiteral("tokens line %1: %2").arg(i + 1).arg(why);
            return false;
        };
        const auto decoded = strictUtf8(line);
        if (!decoded)
            return fail(QStringLiteral("not UTF-8 text"));
        const QStringList parts = decoded->simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.isEmpty())
            continue;
        if (parts.size() < 2 || parts.size() > 3)
            return fail(QStringLiteral("expected \"TOKEN ROLE [USER]\""));
        const auto role = parseRole(parts[1]);
        if (!role)
            return fail(QStringLiteral("unknown role \"%1\" (dispatcher, supervisor or admin)").arg(parts[1]));
        if (tokens.contains(parts[0]))
            return fail(QStringLiteral("the token appears twice"));
        tokens.insert(parts[0], Principal{parts.size() == 3 ? parts[2] : roleName(*role), *role});
    }
    if (tokens.isEmpty()) {
        // An empty file would lock everybody out silently: refuse it instead.
        if (error)
            *error = QStringLiteral("the tokens file has no tokens");
        return false;
    }
    m_tokens = std::move(tokens);
    return true;
}

void AccessControl::addToken(const QString &token, Role role, const QString &user)
{
    m_tokens.insert(token, Principal{user, role});
}

std::optional<Principal> AccessControl::authenticate(const QByteArray &authorization) const
{
    const QByteArray value = authorization.trimmed();
    static const QByteArray scheme = "bearer ";
    if (value.size() <= scheme.size() || value.left(scheme.size()).toLower() != scheme)
        return std::nullopt;
    const auto token = strictUtf8(value.mid(scheme.size()).trimmed());
    if (!token)
        return std::nullopt;
    const auto it = m_tokens.constFind(*token);
    if (it == m_tokens.constEnd())
        return std::nullopt;
    return *it;
}

bool AccessControl::allows(Role role, Permission permission)
{
    switch (permission) {
    case Permission::Public:
    case Permission::Read:
    case Permission::Dispatch: return true;
    case Permission::Supervise: return role == Role::Supervisor || role == Role::Admin;
    case Permission::Administer: return role == Role::Admin;
    }
    return false;
}

QString AccessControl::roleName(Role role)
{
    switch (role) {
    case Role::Dispatcher: return QStringLiteral("dispatcher");
    case Role::Supervisor: return QStringLiteral("supervisor");
    case Role::Admin: return QStringLiteral("admin");
    }
    return {};
}

std::optional<Role> AccessControl::parseRole(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("dispatcher"))
        return Role::Dispatcher;
    if (lower == QLatin1String("supervisor"))
        return Role::Supervisor;
    if (lower == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

} // namespace dd::backend
