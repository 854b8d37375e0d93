// DeliveryRoutes: schedule / reschedule / cancel through Ingestion, delivery reads through the mesh.
#include "backend/gateway/DeliveryRoutes.h"

#include "backend/gateway/ApiJson.h"
#include "backend/gateway/DeliveryRequestJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd::backend {

using namespace dronedelivery::v1;
using Method = QHttpServerRequest::Method;
using Request = QHttpServerRequest;
using Responder = QHttpServerResponder;

DeliveryRoutes::DeliveryRoutes(const HttpChecks &checks, MeshForwarder &forwarder, IngestionService *ingestion)
    : m_checks(checks), m_forwarder(forwarder), m_ingestion(ingestion)
{
}

void DeliveryRoutes::install(QHttpServer &server)
{
    server.route("/api/deliveryrequests", Method::Post, [this](const Request &request, Responder &&responder) {
        schedule(request, std::move(responder));
    });
    server.route("/api/deliveryrequests/<arg>", Method::Patch,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     reschedule(id, request, std::move(responder));
                 });
    server.route("/api/deliveryrequests/<arg>", Method::Delete,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     cancel(id, request, std::move(responder));
                 });
    server.route("/api/deliveries", Method::Get, [this](const Request &request, Responder &&responder) {
        list(request, std::move(responder));
    });
    server.route("/api/deliveries/<arg>", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     read(id, request, std::move(responder), "delivery");
                 });
    server.route("/api/deliveries/<arg>/status", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     read(id, request, std::move(responder), "status");
                 });
    server.route("/api/deliveries/<arg>/history", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     read(id, request, std::move(responder), "history");
                 });
}

void DeliveryRoutes::schedule(const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    const auto principal = m_checks.authorize(request, Permission::Dispatch, *reply);
    QJsonObject body;
    if (!principal || !m_checks.readJsonObject(request, *reply, body))
        return;
    DeliveryRequest delivery;
    if (const auto error = DeliveryRequestJson::readSchedule(body, delivery)) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), error->message, error->field);
        return;
    }
    delivery.set_requested_by(HttpChecks::requestedBy(*principal));
    accept(std::move(reply), std::move(delivery), request);
}

void DeliveryRoutes::reschedule(const QString &id, const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    const auto principal = m_checks.authorize(request, Permission::Dispatch, *reply);
    QJsonObject body;
    if (!principal || !HttpChecks::checkId(id, *reply) || !m_checks.readJsonObject(request, *reply, body))
        return;
    DeliveryRequest delivery;
    if (const auto error = DeliveryRequestJson::readReschedule(body, id.toStdString(), delivery)) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), error->message, error->field);
        return;
    }
    delivery.set_requested_by(HttpChecks::requestedBy(*principal));
    accept(std::move(reply), std::move(delivery), request);
}

void DeliveryRoutes::cancel(const QString &id, const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    const auto principal = m_checks.authorize(request, Permission::Dispatch, *reply);
    if (!principal || !HttpChecks::checkId(id, *reply))
        return;
    DeliveryRequest delivery;
    delivery.set_operation(CANCEL);
    delivery.set_delivery_id(id.toStdString());
    delivery.set_requested_by(HttpChecks::requestedBy(*principal));
    accept(std::move(reply), std::move(delivery), request);
}

void DeliveryRoutes::accept(std::unique_ptr<HttpReply> reply, DeliveryRequest request, const Request &http)
{
    if (!m_ingestion) {
        reply->error(503, QStringLiteral("UNAVAILABLE"), QStringLiteral("this process does not run Ingestion"), {}, 5);
        return;
    }
    const QByteArray key = HttpChecks::header(http, "Idempotency-Key").trimmed();
    if (key.size() > 255) {
        reply->error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("Idempotency-Key is longer than 255 characters"),
                     QStringLiteral("Idempotency-Key"));
        return;
    }
    // A key is scoped to who sent it and what it asked: another user's key, or the
    // same key on another operation, never replays someone else's answer.
    std::string scopedKey;
    if (!key.isEmpty())
        scopedKey = request.requested_by() + "|" + RequestOperation_Name(request.operation()) + "|" + key.toStdString();
    const RequestOperation operation = request.operation();
    const quint64 id = m_forwarder.park(std::move(reply));
    m_ingestion->accept(std::move(request), std::move(scopedKey),
                        [this, hop = m_forwarder.hop(), id, operation](AcceptResult result) {
                            // On the Ingestion thread, after the commit: hand over to the Qt thread.
                            hop->post([this, id, operation, result = std::move(result)] {
                                if (auto parked = m_forwarder.unpark(id))
                                    answer(*parked, result, operation);
                            });
                        });
}

void DeliveryRoutes::answer(HttpReply &reply, const AcceptResult &result, RequestOperation operation)
{
    switch (result.kind) {
    case AcceptResult::Kind::Accepted:
    case AcceptResult::Kind::Replayed: {
        HttpReply::Headers headers;
        if (result.kind == AcceptResult::Kind::Replayed)
            headers.append(qMakePair(QByteArray("Idempotent-Replayed"), QByteArray("true")));
        const QJsonDocument body(ApiJson::request(result.request));
        if (operation == SCHEDULE) {
            headers.append(qMakePair(QByteArray("Location"),
                                     "/api/deliveries/" + QByteArray::fromStdString(result.request.delivery_id())));
            reply.json(202, body, headers);
        } else if (operation == RESCHEDULE) {
            reply.json(200, body, headers);
        } else {
            reply.noContent(headers);
        }
        return;
    }
    case AcceptResult::Kind::BacklogFull:
        reply.error(503, QStringLiteral("BACKLOG_FULL"), QString::fromStdString(result.message), {},
                    std::max(1, result.retryAfterSeconds));
        return;
    case AcceptResult::Kind::Invalid:
        reply.error(400, QStringLiteral("BAD_REQUEST"), QString::fromStdString(result.message),
                    QString::fromStdString(result.field));
        return;
    case AcceptResult::Kind::Unavailable:
        reply.error(503, QStringLiteral("UNAVAILABLE"), QString::fromStdString(result.message), {},
                    std::max(1, result.retryAfterSeconds));
        return;
    }
}

void DeliveryRoutes::list(const Request &request, Responder &&responder)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    DeliveryListRequest list;
    std::uint32_t limit = 0;
    const QUrlQuery query = request.query();
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::readLimit(query, 100, 1000, *reply, limit))
        return;
    list.set_limit(limit);
    const QString stage = query.queryItemValue(QStringLiteral("stage"), QUrl::FullyDecoded);
    if (!stage.isEmpty()) {
        const auto parsed = ApiJson::parseEnum(DeliveryStage_descriptor(), stage);
        if (!parsed) {
            reply->error(400, QStringLiteral("BAD_REQUEST"),
                         QStringLiteral("stage must be one of Created, HeadedToPickup, HeadedToDropoff, Completed, "
                                        "Rescheduled, Cancelled, Failed"),
                         QStringLiteral("stage"));
            return;
        }
        list.set_stage(DeliveryStage(*parsed));
    }
    list.set_owner_id(HttpChecks::queryText(query, "ownerId"));
    list.set_after(HttpChecks::queryText(query, "after"));
    list.set_search(HttpChecks::queryText(query, "search"));
    m_forwarder.forward<DeliveryList>(std::move(reply), {"delivery", "List", list.SerializeAsString(), true, {}},
                                      [](HttpReply &r, const DeliveryList &deliveries) {
                                          QJsonArray array;
                                          for (const auto &delivery : deliveries.deliveries())
                                              array.append(ApiJson::delivery(delivery));
                                          r.json(200, QJsonDocument(QJsonObject{
                                                          {"deliveries", array},
                                                          {"nextAfter", QString::fromStdString(deliveries.next_after())},
                                                          {"total", qint64(deliveries.total())}}));
                                      });
}

void DeliveryRoutes::read(const QString &id, const Request &request, Responder &&responder, const std::string &what)
{
    auto reply = std::make_unique<HttpReply>(std::move(responder));
    if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::checkId(id, *reply))
        return;
    if (what == "history") {
        HistoryRequest history;
        history.set_delivery_id(id.toStdString());
        m_forwarder.forward<HistoryReply>(std::move(reply),
                                          {"deliveryhistory", "History", history.SerializeAsString(), true, {}},
                                          [id](HttpReply &r, const HistoryReply &events) {
                                              QJsonArray list;
                                              for (const auto &event : events.events())
                                                  list.append(ApiJson::deliveryEvent(event));
                                              r.json(200, QJsonDocument(QJsonObject{{"deliveryId", id}, {"events", list}}));
                                          });
        return;
    }
    DeliveryIdRequest get;
    get.set_delivery_id(id.toStdString());
    const bool status = what == "status";
    m_forwarder.forward<Delivery>(std::move(reply), {"delivery", status ? "Status" : "Get", get.SerializeAsString(), true, {}},
                                  [status](HttpReply &r, const Delivery &delivery) {
                                      r.json(200, QJsonDocument(status ? ApiJson::deliveryStatus(delivery)
                                                                       : ApiJson::delivery(delivery)));
                                  });
}

} // namespace dd::backend
