// Fixtures of the Drone service tests: a seeded fleet's context, bookings, places near the centre, calls by drone.
#pragma once

#include "TrackingTestSupport.h"
#include "backend/common/Geo.h"
#include "backend/drone/DroneService.h"

#include <QDebug>
#include <QString>

#include <cmath>
#include <cstdint>
#include <string>

namespace dd::backend::test {

using namespace dronedelivery::v1;
using DroneUnderTest = Running<DroneService>;

inline constexpr std::uint64_t kSeed = 42;

/// `north` and `east` metres away from `from`.
inline Location offset(const Location &from, double north, double east)
{
    Location l;
    l.set_latitude(from.latitude() + north / 111320.0);
    l.set_longitude(from.longitude() + east / (111320.0 * std::cos(from.latitude() * 3.14159265358979323846 / 180.0)));
    return l;
}

inline Location center()
{
    Location l;
    l.set_latitude(geo::kCenterLatitude);
    l.set_longitude(geo::kCenterLongitude);
    return l;
}

inline DroneScheduleRequest scheduleRequest(
    const std::string &deliveryId, const Location &pickup, const Location &dropoff, double weight = 2.0)
{
    DroneScheduleRequest request;
    request.set_delivery_id(deliveryId);
    *request.mutable_pickup() = pickup;
    *request.mutable_dropoff() = dropoff;
    request.set_weight(weight);
    request.set_size(SMALL);
    return request;
}

inline ServiceContext droneContext(const QString &dir, int fleet, double timeScale = 1.0)
{
    ServiceContext context = trackingContext(dir);
    context.fleetSize = fleet;
    context.timeScale = timeScale;
    context.seed = kSeed;
    return context;
}

inline DroneTelemetry getDrone(DroneUnderTest &drone, const std::string &id)
{
    DroneIdRequest request;
    request.set_drone_id(id);
    auto answer = drone.call<DroneTelemetry>("Get", request);
    return answer.ok() ? answer.reply : DroneTelemetry();
}

inline Location positionOf(const DroneTelemetry &t)
{
    Location l;
    l.set_latitude(t.latitude());
    l.set_longitude(t.longitude());
    return l;
}

inline DroneCancelReply cancelDelivery(DroneUnderTest &drone, const std::string &deliveryId)
{
    DroneCancelRequest request;
    request.set_delivery_id(deliveryId);
    auto answer = drone.call<DroneCancelReply>("Cancel", request);
    if (!answer.ok())
        qWarning() << "Cancel failed:" << answer.status.toString().c_str();
    return answer.reply;
}

} // namespace dd::backend::test
