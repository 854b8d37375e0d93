// AccountRoutes: account reads and status changes through the Account service.
#include "backend/gateway/AccountRoutes.h"

#include "backend/gateway/AccessControl.h"
#include "backend/gateway/ApiJson.h"
#include "backend/gateway/RouteCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd::backend {

using namespace dronedelivery::v1;
using Method = QHttpServerRequest::Method;
using Request = QHttpServerRequest;
using Responder = QHttpServerResponder;

AccountRoutes::AccountRoutes(const HttpChecks &checks, MeshForwarder &forwarder) : m_checks(checks), m_forwarder(forwarder)
{
}

void AccountRoutes::install(QHttpServer &server)
{
    RouteCatalog::route(server, "/api/accounts", Method::Get,
                 [this](const Request &request, Responder &&responder) { list(request, std::move(responder)); });
    RouteCatalog::route(server, "/api/accounts/<arg>", Method::Get, [this](const QString &id, const Request &request, Responder &&responder) {
        get(id, request, std::move(responder));
    });
    RouteCatalog::route(server, "/api/accounts/<arg>/<arg>", Method::Post,
                 [this](const QString &id, const QString &action, const Request &request, Responder &&responder) {
                     setStatus(id, action, request, std::move(responder));
                 });
}

void AccountRoutes::list(const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    std::uint32_t limit = 0;
    const QUrlQuery query = request.query();
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::readLimit(query, 100, 1000, *reply, limit))
        return;
    AccountListRequest list;
    list.set_limit(limit);
    list.set_after(HttpChecks::queryText(query, "after"));
    const QString suspended = query.queryItemValue(QStringLiteral("suspended"), QUrl::FullyDecoded).toLower();
    if (!suspended.isEmpty() && suspended != QLatin1String("true") && suspended != QLatin1String("false")) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("suspended must be true or false"),
                     QStringLiteral("suspended"));
        return;
    }
    list.set_suspended_only(suspended == QLatin1String("true"));
    m_forwarder.forward<AccountList>(std::move(reply), {"account", "List", list.SerializeAsString(), true, {}},
                                     [](HttpReply &r, const AccountList &accounts) {
                                         QJsonArray array;
                                         for (const auto &account : accounts.accounts())
                                             array.append(ApiJson::account(account));
                                         r.json(200, QJsonDocument(QJsonObject{
                                                         {"accounts", array},
                                                         {"nextAfter", QString::fromStdString(accounts.next_after())},
                                                         {"total", qint64(accounts.total())}}));
                                     });
}

void AccountRoutes::get(const QString &id, const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::checkId(id, *reply))
        return;
    AccountCheckRequest get;
    get.set_owner_id(id.toStdString());
    m_forwarder.forward<Account>(std::move(reply), {"account", "Get", get.SerializeAsString(), true, {}},
                                 [](HttpReply &r, const Account &account) {
                                     r.json(200, QJsonDocument(ApiJson::account(account)));
                                 });
}

void AccountRoutes::setStatus(const QString &id, const QString &action, const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    const bool suspend = action == QLatin1String("suspend");
    if (!suspend && action != QLatin1String("reinstate")) {
        if (m_checks.authorize(request, Permission::Read, *reply))
            reply->error(404, QStringLiteral("NOT_FOUND"),
                         QStringLiteral("no route for POST %1 (suspend or reinstate)").arg(request.url().path()));
        return;
    }
    const auto principal = m_checks.authorize(request, Permission::Supervise, *reply);
    QJsonObject body;
    if (!principal || !HttpChecks::checkId(id, *reply) || !m_checks.readJsonObject(request, *reply, body, true))
        return;
    const QJsonValue reason = body.value(QLatin1String("reason"));
    if (!reason.isUndefined() && !reason.isNull() && !reason.isString()) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("reason must be a string"), QStringLiteral("reason"));
        return;
    }
    if (suspend && reason.toString().trimmed().isEmpty()) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("a suspension needs a reason"),
                     QStringLiteral("reason"));
        return;
    }
    AccountStatusRequest change;
    change.set_owner_id(id.toStdString());
    change.set_active(!suspend);
    change.set_reason(reason.toString().trimmed().toStdString());
    *change.mutable_credential() = m_checks.credentialFor(*principal); // Account verifies it
    m_forwarder.forward<Account>(std::move(reply), {"account", "SetStatus", change.SerializeAsString(), true, {}},
                                 [](HttpReply &r, const Account &account) {
                                     r.json(200, QJsonDocument(ApiJson::account(account)));
                                 });
}

} // namespace dd::backend
