// SignInSession: password check (PBKDF2) against the users file, then short-lived credentials per request.
#include "bridge/SignInSession.h"

#include "net/resilience/Clock.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSignIn, "dd.console.signin")

namespace dd::console {

SignInSession::SignInSession(std::shared_ptr<const identity::CredentialSigner> credentials, QString usersFile)
    : m_credentials(std::move(credentials)), m_usersFile(std::move(usersFile))
{
}

bool SignInSession::signIn(const QString &user, const QString &password, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_credentials)
        return fail(QStringLiteral("this console holds no identity key (--connect needs identity.key in the keys "
                                   "directory: drone-backend --keys-init)"));
    if (m_usersFile.isEmpty())
        return fail(QStringLiteral("no users file: start the console with --users FILE"));
    QString why;
    const auto directory = identity::UserDirectory::load(m_usersFile, &why);
    if (!directory)
        return fail(why);
    const auto role = directory->authenticate(user.trimmed(), password.toUtf8());
    if (!role) {
        qCInfo(lcSignIn).noquote() << "sign-in refused for" << user.trimmed();
        return fail(QStringLiteral("unknown user or wrong password"));
    }
    m_user = user.trimmed();
    m_role = QString::fromStdString(*role);
    qCInfo(lcSignIn).noquote() << "signed in:" << m_user << m_role;
    return true;
}

void SignInSession::signOut()
{
    if (signedIn())
        qCInfo(lcSignIn).noquote() << "signed out:" << m_user;
    m_user.clear();
    m_role.clear();
}

bool SignInSession::allows(identity::Capability capability) const
{
    return signedIn() && identity::roleAllows(m_role.toStdString(), capability);
}

std::optional<dronedelivery::v1::Credential> SignInSession::credential() const
{
    if (!signedIn() || !m_credentials)
        return std::nullopt;
    // Per request and short: a credential copied off the mesh is soon worth nothing.
    return m_credentials->sign(m_user.toStdString(), m_role.toStdString(),
                               net::Clock::system().now() + identity::CredentialSigner::kRequestLifetimeUs);
}

} // namespace dd::console
