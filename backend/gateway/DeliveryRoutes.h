// /api/deliveryrequests (writes through Ingestion) and /api/deliveries (reads from Delivery and DeliveryHistory).
#pragma once

#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/MeshForwarder.h"
#include "backend/ingestion/IngestionService.h"

#include <QHttpServer>

#include <optional>

namespace dd::backend {

/// POST → 202 + Location, PATCH → 200, DELETE → 204, each answered only once
/// Ingestion's commit returned; an Idempotency-Key replays the first answer.
/// GET /api/deliveries[/{id}[/status|/history]] are forwarded over the mesh.
class DeliveryRoutes
{
public:
    /// `ingestion` may be null: writes then answer 503.
    DeliveryRoutes(const HttpChecks &checks, MeshForwarder &forwarder, IngestionService *ingestion);

    void install(QHttpServer &server);

private:
    void schedule(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void reschedule(const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void cancel(const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void accept(std::unique_ptr<HttpReply> reply, dronedelivery::v1::DeliveryRequest request,
                const QHttpServerRequest &http);
    static void answer(HttpReply &reply, const AcceptResult &result, dronedelivery::v1::RequestOperation operation);

    void list(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void read(const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder,
              const std::string &what);

    /// The read's fallbacks for an accepted id the Delivery service does not hold (yet).
    void fromScheduler(const std::string &id, quint64 parked, bool status,
                       std::optional<dronedelivery::v1::Delivery> known, net::RpcStatus firstError);
    void fromIngestion(const std::string &id, quint64 parked, bool status, net::RpcStatus firstError);
    void finish(quint64 parked, const dronedelivery::v1::Delivery &delivery, bool status);
    void failParked(quint64 parked, const net::RpcStatus &status);

    const HttpChecks &m_checks;
    MeshForwarder &m_forwarder;
    IngestionService *m_ingestion;
};

} // namespace dd::backend
