// TransactionRoutes: listing failed transactions and forwarding supervisors' decisions.
#include "backend/gateway/TransactionRoutes.h"

#include "backend/gateway/ApiJson.h"
#include "backend/gateway/RouteCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd::backend {

using namespace dronedelivery::v1;
using Method = QHttpServerRequest::Method;
using Request = QHttpServerRequest;
using Responder = QHttpServerResponder;

TransactionRoutes::TransactionRoutes(const HttpChecks &checks, MeshForwarder &forwarder)
    : m_checks(checks), m_forwarder(forwarder)
{
}

void TransactionRoutes::install(QHttpServer &server)
{
    RouteCatalog::route(server, "/api/transactions", Method::Get, [this](const Request &request, Responder &&responder) {
        list(request, std::move(responder));
    });
    RouteCatalog::route(server, "/api/transactions/<arg>", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     get(id, request, std::move(responder));
                 });
    RouteCatalog::route(server, "/api/transactions/<arg>/<arg>", Method::Post,
                 [this](const QString &id, const QString &action, const Request &request, Responder &&responder) {
                     decide(id, action, request, std::move(responder));
                 });
}

void TransactionRoutes::list(const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    TransactionListRequest list;
    std::uint32_t limit = 0;
    const QUrlQuery query = request.query();
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::readLimit(query, 100, 10000, *reply, limit))
        return;
    list.set_limit(limit);
    const QString state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    if (!state.isEmpty()) {
        const auto parsed = ApiJson::parseEnum(TransactionState_descriptor(), state);
        if (!parsed) {
            reply->error(400, QStringLiteral("BAD_REQUEST"),
                         QStringLiteral("state must be one of Compensating, AwaitingApproval, Compensated, Escalated, "
                                        "Rejected, Retried"),
                         QStringLiteral("state"));
            return;
        }
        list.set_state(TransactionState(*parsed));
    }
    m_forwarder.forward<TransactionList>(std::move(reply), {"supervisor", "List", list.SerializeAsString(), true, {}},
                                         [](HttpReply &r, const TransactionList &transactions) {
                                             QJsonArray array;
                                             for (const auto &transaction : transactions.transactions())
                                                 array.append(ApiJson::transaction(transaction));
                                             r.json(200, QJsonDocument(QJsonObject{
                                                             {"transactions", array},
                                                             {"total", qint64(transactions.total())}}));
                                         });
}

void TransactionRoutes::get(const QString &id, const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::checkId(id, *reply))
        return;
    TransactionIdRequest get;
    get.set_transaction_id(id.toStdString());
    m_forwarder.forward<FailedTransaction>(std::move(reply), {"supervisor", "Get", get.SerializeAsString(), true, {}},
                                           [](HttpReply &r, const FailedTransaction &transaction) {
                                               r.json(200, QJsonDocument(ApiJson::transaction(transaction)));
                                           });
}

void TransactionRoutes::decide(const QString &id, const QString &action, const Request &request,
                               Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    static const QHash<QString, std::string> methods{
        {QStringLiteral("approve"), "Approve"}, {QStringLiteral("reject"), "Reject"}, {QStringLiteral("retry"), "Retry"}};
    const auto method = methods.constFind(action);
    if (method == methods.constEnd()) {
        if (m_checks.authorize(request, Permission::Read, *reply))
            reply->error(404, QStringLiteral("NOT_FOUND"),
                         QStringLiteral("no route for POST %1 (approve, reject or retry)").arg(request.url().path()));
        return;
    }
    const auto principal = m_checks.authorize(request, Permission::Supervise, *reply);
    QJsonObject body;
    if (!principal || !HttpChecks::checkId(id, *reply) || !m_checks.readJsonObject(request, *reply, body, true))
        return;
    const QJsonValue comment = body.value(QLatin1String("comment"));
    if (!comment.isUndefined() && !comment.isNull() && !comment.isString()) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("comment must be a string"),
                     QStringLiteral("comment"));
        return;
    }
    SupervisorDecision decision;
    decision.set_transaction_id(id.toStdString());
    *decision.mutable_credential() = m_checks.credentialFor(*principal); // the Supervisor verifies it
    decision.set_comment(comment.toString().toStdString());
    // Decisions are not idempotent: only a client's own Idempotency-Key makes a retry safe.
    MeshCall call{"supervisor", *method, decision.SerializeAsString(), false,
                  HttpChecks::header(request, "Idempotency-Key").trimmed().toStdString()};
    m_forwarder.forward<FailedTransaction>(std::move(reply), std::move(call),
                                           [](HttpReply &r, const FailedTransaction &transaction) {
                                               r.json(200, QJsonDocument(ApiJson::transaction(transaction)));
                                           });
}

} // namespace dd::backend
