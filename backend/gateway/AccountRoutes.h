// /api/accounts: owners and their standing, and a supervisor's suspend / reinstate (logged with who and why).
#pragma once

#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/MeshForwarder.h"

#include <QHttpServer>

namespace dd::backend {

/// GET /api/accounts[?suspended=true&limit=&after=], GET /api/accounts/{id} (with its
/// change log), POST /api/accounts/{id}/suspend {"reason"} and /reinstate {"reason"?}
/// (supervisor or admin), all forwarded to the Account service over the mesh.
class AccountRoutes
{
public:
    AccountRoutes(const HttpChecks &checks, MeshForwarder &forwarder);

    void install(QHttpServer &server);

private:
    void list(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void get(const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void setStatus(const QString &id, const QString &action, const QHttpServerRequest &request,
                   QHttpServerResponder &&responder);

    const HttpChecks &m_checks;
    MeshForwarder &m_forwarder;
};

} // namespace dd::backend
