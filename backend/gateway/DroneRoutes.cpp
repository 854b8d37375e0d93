// DroneRoutes: drone list and detail forwarded to the Drone service.
#include "backend/gateway/DroneRoutes.h"

#include "backend/gateway/ApiJson.h"
#include "backend/gateway/RouteCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd::backend {

using namespace dronedelivery::v1;
using Method = QHttpServerRequest::Method;
using Request = QHttpServerRequest;
using Responder = QHttpServerResponder;

DroneRoutes::DroneRoutes(const HttpChecks &checks, MeshForwarder &forwarder) : m_checks(checks), m_forwarder(forwarder) {}

void DroneRoutes::install(QHttpServer &server)
{
    RouteCatalog::route(server, "/api/drones", Method::Get, [this](const Request &request, Responder &&responder) {
        auto reply = std::make_unique<HttpReply>(std::move(responder));
        DroneListRequest list;
        std::uint32_t limit = 0;
        const QUrlQuery query = request.query();
        if (!m_checks.authorize(request, Permission::Read, *reply)
            || !HttpChecks::readLimit(query, 100, 10000, *reply, limit))
            return;
        list.set_limit(limit);
        list.set_after(HttpChecks::queryText(query, "after"));
        m_forwarder.forward<DroneList>(std::move(reply), {"drone", "List", list.SerializeAsString(), true, {}},
                                       [](HttpReply &r, const DroneList &drones) {
                                           QJsonArray array;
                                           for (const auto &drone : drones.drones())
                                               array.append(ApiJson::drone(drone));
                                           r.json(200, QJsonDocument(QJsonObject{{"drones", array}}));
                                       });
    });
    RouteCatalog::route(server, "/api/drones/<arg>", Method::Get, [this](const QString &id, const Request &request, Responder &&responder) {
        auto reply = std::make_unique<HttpReply>(std::move(responder));
        if (!m_checks.authorize(request, Permission::Read, *reply) || !HttpChecks::checkId(id, *reply))
            return;
        DroneIdRequest get;
        get.set_drone_id(id.toStdString());
        m_forwarder.forward<DroneTelemetry>(std::move(reply), {"drone", "Get", get.SerializeAsString(), true, {}},
                                            [](HttpReply &r, const DroneTelemetry &drone) {
                                                r.json(200, QJsonDocument(ApiJson::drone(drone)));
                                            });
    });
}

} // namespace dd::backend
