// /api/transactions: the Supervisor's failed transactions and the approve / reject / retry decisions.
#pragma once

#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/MeshForwarder.h"

#include <QHttpServer>

namespace dd::backend {

/// Decisions need the supervisor or admin role; the gateway forwards the caller's
/// user and role, and the Supervisor checks and audits them again.
class TransactionRoutes
{
public:
    TransactionRoutes(const HttpChecks &checks, MeshForwarder &forwarder);

    void install(QHttpServer &server);

private:
    void get(const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void list(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void decide(const QString &id, const QString &action, const QHttpServerRequest &request,
                QHttpServerResponder &&responder);

    const HttpChecks &m_checks;
    MeshForwarder &m_forwarder;
};

} // namespace dd::backend
