// DeliveryRules: stage names, coordinate checks, reschedule edits and event payloads.
#include "backend/delivery/DeliveryRules.h"

#include "backend/common/Geo.h"

#include <cmath>

namespace dd::backend::delivery {

using namespace dronedelivery::v1;

const char *stageName(DeliveryStage stage)
{
    switch (stage) {
    case STAGE_CREATED: return "Created";
    case STAGE_HEADED_TO_PICKUP: return "HeadedToPickup";
    case STAGE_HEADED_TO_DROPOFF: return "HeadedToDropoff";
    case STAGE_COMPLETED: return "Completed";
    case STAGE_RESCHEDULED: return "Rescheduled";
    case STAGE_CANCELLED: return "Cancelled";
    case STAGE_FAILED: return "Failed";
    case STAGE_REQUESTED: return "Requested";
    default: return "Unspecified";
    }
}

std::string eventType(DeliveryStage stage)
{
    return std::string("Delivery") + stageName(stage);
}

bool validCoordinates(const Location &location)
{
    return std::isfinite(location.latitude()) && std::isfinite(location.longitude())
        && std::isfinite(location.altitude()) && std::abs(location.latitude()) <= 90
        && std::abs(location.longitude()) <= 180;
}

bool known(const Location &location)
{
    return location.latitude() != 0 || location.longitude() != 0;
}

void resolveLocations(Delivery &delivery, bool hadPickup, bool hadDropoff)
{
    if (!hadPickup && !delivery.pickup_location().empty())
        *delivery.mutable_pickup() = geo::parseLocation(delivery.pickup_location());
    if (!hadDropoff && !delivery.dropoff_location().empty())
        *delivery.mutable_dropoff() = geo::parseLocation(delivery.dropoff_location());
}

Delivery rescheduled(const Delivery &delivery, const DeliveryRescheduleRequest &request)
{
    Delivery updated = delivery;
    if (!request.pickup_location().empty())
        updated.set_pickup_location(request.pickup_location());
    if (!request.dropoff_location().empty())
        updated.set_dropoff_location(request.dropoff_location());
    if (!request.pickup_time().empty()) {
        updated.set_pickup_time(request.pickup_time());
        updated.set_pickup_time_us(request.pickup_time_us());
    }
    if (!request.deadline().empty())
        updated.set_deadline(request.deadline());
    if (request.has_pickup())
        *updated.mutable_pickup() = request.pickup();
    else if (!request.pickup_location().empty())
        *updated.mutable_pickup() = geo::parseLocation(request.pickup_location());
    if (request.has_dropoff())
        *updated.mutable_dropoff() = request.dropoff();
    else if (!request.dropoff_location().empty())
        *updated.mutable_dropoff() = geo::parseLocation(request.dropoff_location());
    return updated;
}

DeliveryEvent eventOf(const Delivery &delivery, DeliveryStage previous, const std::string &reason)
{
    DeliveryEvent event;
    event.set_delivery_id(delivery.delivery_id());
    event.set_stage(delivery.stage());
    event.set_previous(previous);
    *event.mutable_location() = known(delivery.last_known_location()) ? delivery.last_known_location() : delivery.pickup();
    event.set_at_us(delivery.updated_at_us());
    event.set_reason(reason);
    event.set_drone_id(delivery.drone_id());
    event.set_owner_id(delivery.owner_id());
    event.set_pickup_eta_us(delivery.pickup_eta_us());
    event.set_delivery_eta_us(delivery.delivery_eta_us());
    if (delivery.stage() == STAGE_FAILED && delivery.has_failure())
        *event.mutable_failure() = delivery.failure();
    return event;
}

} // namespace dd::backend::delivery
