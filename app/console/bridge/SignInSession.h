// Who is signed in to this console: checked against the users file, and the credentials minted for their requests.
#pragma once

#include "backend/identity/CredentialSigner.h"
#include "backend/identity/IdentityRoles.h"
#include "backend/identity/UserDirectory.h"

#include <QString>

#include <memory>
#include <optional>

namespace dd::console {

/// The console is one of the two places that authenticate people (the gateway is the other),
/// so it holds the identity secret: in one process the embedded services' own, with --connect
/// the keys directory's identity.key. The users file is read at each sign-in, so a user added
/// with `drone-backend --add-user` signs in without a restart. GUI thread.
class SignInSession
{
public:
    SignInSession(std::shared_ptr<const identity::CredentialSigner> credentials, QString usersFile);

    /// True when `password` is the user's; then they are the one signed in (whoever was before).
    /// Otherwise the previous person stays signed in and `error` says why, without telling an
    /// unknown user from a wrong password.
    bool signIn(const QString &user, const QString &password, QString *error);
    void signOut();

    bool signedIn() const { return !m_user.isEmpty(); }
    QString user() const { return m_user; }
    QString role() const { return m_role; }
    bool allows(identity::Capability capability) const;
    bool canSignIn() const { return m_credentials && !m_usersFile.isEmpty(); }
    QString usersFile() const { return m_usersFile; }

    /// A credential for one request on the signed-in person's behalf (nullopt when signed out).
    std::optional<dronedelivery::v1::Credential> credential() const;

private:
    std::shared_ptr<const identity::CredentialSigner> m_credentials;
    QString m_usersFile;
    QString m_user;
    QString m_role;
};

} // namespace dd::console
