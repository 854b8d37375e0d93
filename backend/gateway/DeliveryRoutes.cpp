// DeliveryRoutes: schedule / reschedule / cancel through Ingestion, delivery reads through the mesh.
#include "backend/gateway/DeliveryRoutes.h"

#include "backend/gateway/ApiJson.h"
#include "backend/gateway/RouteCatalog.h"
#include "backend/domain/RequestedDelivery.h"
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
    RouteCatalog::route(server, "/api/deliveryrequests", Method::Post, [this](const Request &request, Responder &&responder) {
        schedule(request, std::move(responder));
    });
    RouteCatalog::route(server, "/api/deliveryrequests/<arg>", Method::Patch,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     reschedule(id, request, std::move(responder));
                 });
    RouteCatalog::route(server, "/api/deliveryrequests/<arg>", Method::Delete,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     cancel(id, request, std::move(responder));
                 });
    RouteCatalog::route(server, "/api/deliveries", Method::Get, [this](const Request &request, Responder &&responder) {
        list(request, std::move(responder));
    });
    RouteCatalog::route(server, "/api/deliveries/<arg>", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     read(id, request, std::move(responder), "delivery");
                 });
    RouteCatalog::route(server, "/api/deliveries/<arg>/status", Method::Get,
                 [this](const QString &id, const Request &request, Responder &&responder) {
                     read(id, request, std::move(responder), "status");
                 });
    RouteCatalog::route(server, "/api/deliveries/<arg>/history", Method::Get,
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
    // A key is scoped to who sent it, what it asked and on which delivery: another user's
    // key, or the same key on another operation or delivery, never replays someone else's answer.
    const std::string scopedKey = IngestionService::scopedKey(request, key.toStdString());
    const RequestOperation operation = request.operation();
    // The workflow continues this request's trace (the caller's, when it sent a traceparent).
    request.set_trace_id_hi(reply->trace().traceIdHi);
    request.set_trace_id_lo(reply->trace().traceIdLo);
    request.set_parent_span_id(reply->trace().spanId);
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
    case AcceptResult::Kind::NotFound:
        reply.error(404, QStringLiteral("NOT_FOUND"), QString::fromStdString(result.message),
                    QString::fromStdString(result.field));
        return;
    case AcceptResult::Kind::Conflict:
        reply.error(409, QStringLiteral("CONFLICT"), QString::fromStdString(result.message),
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
                         QStringLiteral("stage must be one of Requested, Created, HeadedToPickup, HeadedToDropoff, "
                                        "Completed, Rescheduled, Cancelled, Failed"),
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
    // Every accepted id is known from its 202 on: the Delivery service once the workflow
    // registered it, else the Scheduler's workflow, else Ingestion's outbox.
    const net::TraceContext trace = reply->trace();
    const quint64 parked = m_forwarder.park(std::move(reply));
    DeliveryIdRequest get;
    get.set_delivery_id(id.toStdString());
    const bool status = what == "status";
    m_forwarder.ask({"delivery", status ? "Status" : "Get", get.SerializeAsString(), true, {}},
                    [this, id = id.toStdString(), parked, status](const net::RpcStatus &result, const std::string &payload) {
                        Delivery delivery;
                        if (result.ok() && delivery.ParseFromString(payload)) {
                            if (delivery.stage() != STAGE_REQUESTED)
                                return finish(parked, delivery, status);
                            return fromScheduler(id, parked, status, delivery, {});
                        }
                        // Not there (or Delivery cannot answer now): the id may still be on its way.
                        fromScheduler(id, parked, status, std::nullopt,
                                      result.code == NOT_FOUND ? net::RpcStatus() : result);
                    }, trace);
}

void DeliveryRoutes::fromScheduler(const std::string &id, quint64 parked, bool status, std::optional<Delivery> known,
                                   net::RpcStatus firstError)
{
    WorkflowLookup lookup;
    lookup.set_delivery_id(id);
    m_forwarder.ask({"scheduler", "Find", lookup.SerializeAsString(), true, {}},
                    [this, id, parked, status, known, firstError](const net::RpcStatus &result,
                                                                   const std::string &payload) {
                        WorkflowStatus workflow;
                        if (result.ok() && workflow.ParseFromString(payload)) {
                            Delivery delivery = known ? *known : domain::requestedDelivery(workflow.request());
                            if (!known && workflow.failed()) {
                                delivery.set_stage(STAGE_FAILED); // failed; Delivery has not recorded it yet
                                DeliveryFailure *failure = delivery.mutable_failure();
                                failure->set_step(
                                    ApiJson::enumName(WorkflowStep_descriptor(), workflow.step()).toLower().toStdString());
                                failure->set_error(workflow.error());
                                failure->set_transaction_id(workflow.workflow_id());
                                failure->set_operation(workflow.request().operation());
                            } else if (!known) {
                                delivery.set_stage(STAGE_REQUESTED);
                            }
                            delivery.set_waiting(workflow.waiting());
                            return finish(parked, delivery, status);
                        }
                        if (known) // the Scheduler cannot say why it waits: what Delivery knows is still true
                            return finish(parked, *known, status);
                        fromIngestion(id, parked, status,
                                      !firstError.ok() ? firstError
                                                       : (result.code == NOT_FOUND ? net::RpcStatus() : result));
                    }, m_forwarder.traceOf(parked));
}

void DeliveryRoutes::fromIngestion(const std::string &id, quint64 parked, bool status, net::RpcStatus firstError)
{
    // Nobody has it: 404 if everyone could be asked, else the reason it cannot be told.
    auto notFound = [this, parked, id, firstError] {
        failParked(parked, firstError.ok() ? net::RpcStatus(NOT_FOUND, "no delivery " + id) : firstError);
    };
    if (!m_ingestion)
        return notFound();
    m_ingestion->findPending(id, [this, hop = m_forwarder.hop(), parked, status, notFound](
                                     std::optional<DeliveryRequest> request) {
        hop->post([this, parked, status, notFound, request = std::move(request)] {
            if (!request)
                return notFound();
            Delivery delivery = domain::requestedDelivery(*request);
            delivery.set_stage(STAGE_REQUESTED);
            delivery.set_waiting("accepted; waiting for the Scheduler to take it");
            finish(parked, delivery, status);
        });
    });
}

void DeliveryRoutes::finish(quint64 parked, const Delivery &delivery, bool status)
{
    if (auto reply = m_forwarder.unpark(parked))
        reply->json(200, QJsonDocument(status ? ApiJson::deliveryStatus(delivery) : ApiJson::delivery(delivery)));
}

void DeliveryRoutes::failParked(quint64 parked, const net::RpcStatus &status)
{
    if (auto reply = m_forwarder.unpark(parked))
        MeshForwarder::answerMeshError(*reply, status);
}

} // namespace dd::backend
