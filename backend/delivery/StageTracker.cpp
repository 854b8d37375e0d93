// StageTracker: the drone → delivery map and the telemetry rules that move a delivery's stage.
#include "backend/delivery/StageTracker.h"

#include "backend/common/Geo.h"

#include <algorithm>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
/// Progress along the normal path; Created and Rescheduled are both "not picked up yet".
int rank(DeliveryStage stage)
{
    switch (stage) {
    case STAGE_HEADED_TO_PICKUP:
        return 1;
    case STAGE_HEADED_TO_DROPOFF:
        return 2;
    case STAGE_COMPLETED:
        return 3;
    default:
        return 0;
    }
}

DeliveryStage stageOfRank(int r)
{
    return r == 1 ? STAGE_HEADED_TO_PICKUP : r == 2 ? STAGE_HEADED_TO_DROPOFF : STAGE_COMPLETED;
}

bool known(const Location &location)
{
    return location.latitude() != 0 || location.longitude() != 0;
}
} // namespace

StageTracker::StageTracker(double timeScale, double nominalSpeed)
    : m_timeScale(timeScale > 0 ? timeScale : 1.0), m_nominalSpeed(nominalSpeed > 0 ? nominalSpeed : 15.0)
{
}

bool StageTracker::terminal(DeliveryStage stage)
{
    return stage == STAGE_COMPLETED || stage == STAGE_CANCELLED || stage == STAGE_FAILED;
}

void StageTracker::track(TrackedDelivery delivery)
{
    if (terminal(delivery.stage)) {
        untrack(delivery.deliveryId);
        return;
    }
    if (auto it = m_deliveries.find(delivery.deliveryId); it != m_deliveries.end() && it->second.droneId != delivery.droneId)
        unmapDrone(it->second.droneId, delivery.deliveryId);
    if (!delivery.droneId.empty())
        mapDrone(delivery.droneId, delivery.deliveryId);
    const std::string id = delivery.deliveryId;
    m_deliveries.insert_or_assign(id, std::move(delivery));
}

void StageTracker::untrack(const std::string &deliveryId)
{
    auto it = m_deliveries.find(deliveryId);
    if (it == m_deliveries.end())
        return;
    unmapDrone(it->second.droneId, deliveryId);
    m_deliveries.erase(it);
}

void StageTracker::setStage(const std::string &deliveryId, DeliveryStage stage)
{
    if (terminal(stage)) {
        untrack(deliveryId);
        return;
    }
    if (auto it = m_deliveries.find(deliveryId); it != m_deliveries.end())
        it->second.stage = stage;
}

const TrackedDelivery *StageTracker::find(const std::string &deliveryId) const
{
    auto it = m_deliveries.find(deliveryId);
    return it == m_deliveries.end() ? nullptr : &it->second;
}

StageTracker::Outcome StageTracker::onTelemetry(const DroneTelemetry &telemetry)
{
    Outcome out;
    const std::string &drone = telemetry.drone_id();
    if (drone.empty())
        return out;
    if (!telemetry.delivery_id().empty()) {
        auto it = m_deliveries.find(telemetry.delivery_id());
        if (it == m_deliveries.end()) {
            // Asked once per drone and delivery: an idle drone repeats its last (completed) delivery for a long time.
            std::string &asked = m_asked[drone];
            if (asked != telemetry.delivery_id()) {
                asked = telemetry.delivery_id();
                out.lookup = asked;
            }
        } else if (it->second.droneId != drone) {
            // Flown by another drone than we knew of (or none): follow the drone that has it.
            unmapDrone(it->second.droneId, it->first);
            it->second.droneId = drone;
            mapDrone(drone, it->first);
        }
    }
    auto found = m_byDrone.find(drone);
    if (found == m_byDrone.end())
        return out;
    const std::vector<std::string> ids = found->second; // apply() may unmap
    for (const std::string &id : ids) {
        auto it = m_deliveries.find(id);
        if (it == m_deliveries.end())
            continue;
        apply(it->second, telemetry, out);
        if (terminal(it->second.stage))
            untrack(id);
    }
    return out;
}

void StageTracker::apply(TrackedDelivery &delivery, const DroneTelemetry &telemetry, Outcome &out)
{
    if (telemetry.delivery_id() == delivery.deliveryId) {
        updatePosition(delivery, telemetry);
        switch (telemetry.state()) {
        case FLYING_TO_PICKUP:
            advanceTo(delivery, STAGE_HEADED_TO_PICKUP, telemetry, {}, out);
            break;
        case FLYING_TO_DROPOFF:
            advanceTo(delivery, STAGE_HEADED_TO_DROPOFF, telemetry, {}, out);
            break;
        case IDLE:
        case CHARGING:
            // On its pad with a target: reserved for a future pickup, it has not left yet.
            if (telemetry.has_target())
                break;
            [[fallthrough]];
        case RETURNING: // the drone keeps naming the delivery it dropped off
            advanceTo(delivery, STAGE_COMPLETED, telemetry, {}, out);
            break;
        default:
            break;
        }
    } else if (delivery.stage == STAGE_HEADED_TO_DROPOFF && !telemetry.delivery_id().empty()) {
        // A drone takes new work only once home: we missed its return, not the dropoff.
        advanceTo(delivery, STAGE_COMPLETED, telemetry, "drone " + telemetry.drone_id() + " moved on to its next delivery",
                  out);
    } else if (delivery.stage == STAGE_HEADED_TO_PICKUP || delivery.stage == STAGE_HEADED_TO_DROPOFF) {
        // The drone let it go (its booking was cancelled): wait for whoever flies it next.
        unmapDrone(delivery.droneId, delivery.deliveryId);
        delivery.droneId.clear();
    }
    // Created or Rescheduled and the drone still on its previous job: nothing yet.
}

void StageTracker::updatePosition(TrackedDelivery &delivery, const DroneTelemetry &telemetry)
{
    delivery.lastKnown.set_latitude(telemetry.latitude());
    delivery.lastKnown.set_longitude(telemetry.longitude());
    delivery.lastKnown.set_altitude(telemetry.altitude());
    delivery.lastKnown.clear_place(); // where the drone is, not a named place
    delivery.lastKnown.clear_stand_in();
    if (!delivery.positionDirty) {
        delivery.positionDirty = true;
        m_dirtyOrder.push_back(delivery.deliveryId);
    }
    const double speed = telemetry.speed() > 0 ? telemetry.speed() : m_nominalSpeed;
    const net::Micros at = telemetry.at_us();
    if (telemetry.state() == FLYING_TO_PICKUP) {
        if (telemetry.has_target() && !known(delivery.pickup))
            delivery.pickup = telemetry.target();
        if (known(delivery.pickup))
            delivery.pickupEta = at + realMicros(geo::distanceMeters(delivery.lastKnown, delivery.pickup), speed);
        if (known(delivery.pickup) && known(delivery.dropoff))
            delivery.deliveryEta =
                delivery.pickupEta + realMicros(geo::distanceMeters(delivery.pickup, delivery.dropoff), speed);
    } else if (telemetry.state() == FLYING_TO_DROPOFF) {
        if (telemetry.has_target() && !known(delivery.dropoff))
            delivery.dropoff = telemetry.target();
        if (known(delivery.dropoff))
            delivery.deliveryEta = at + realMicros(geo::distanceMeters(delivery.lastKnown, delivery.dropoff), speed);
    }
}

void StageTracker::advanceTo(TrackedDelivery &delivery, DeliveryStage stage, const DroneTelemetry &telemetry,
                             const std::string &reason, Outcome &out)
{
    if (delivery.stage == STAGE_RESCHEDULED) {
        recordChange(delivery, stage, telemetry, reason, out); // no filling in: it may have been picked up before
        return;
    }
    for (int r = rank(delivery.stage) + 1; r <= rank(stage); ++r)
        recordChange(delivery, stageOfRank(r), telemetry, reason, out);
}

void StageTracker::recordChange(TrackedDelivery &delivery, DeliveryStage stage, const DroneTelemetry &telemetry,
                        const std::string &reason, Outcome &out)
{
    if (stage == STAGE_COMPLETED) {
        delivery.deliveryEta = telemetry.at_us();
        if (delivery.pickupEta == 0 || delivery.pickupEta > telemetry.at_us())
            delivery.pickupEta = telemetry.at_us();
    }
    StageChange change;
    change.deliveryId = delivery.deliveryId;
    change.previous = delivery.stage;
    change.stage = stage;
    change.droneId = delivery.droneId;
    change.location = delivery.lastKnown;
    change.at = telemetry.at_us();
    change.pickupEta = delivery.pickupEta;
    change.deliveryEta = delivery.deliveryEta;
    change.reason = reason;
    delivery.stage = stage;
    out.changes.push_back(std::move(change));
}

std::vector<TrackedDelivery> StageTracker::takeDirtyPositions(std::size_t max)
{
    std::vector<TrackedDelivery> dirty;
    while (!m_dirtyOrder.empty() && dirty.size() < max) {
        const auto it = m_deliveries.find(m_dirtyOrder.front());
        m_dirtyOrder.pop_front();
        if (it != m_deliveries.end() && it->second.positionDirty) { // else untracked or tracked anew
            it->second.positionDirty = false;
            dirty.push_back(it->second);
        }
    }
    return dirty;
}

void StageTracker::mapDrone(const std::string &droneId, const std::string &deliveryId)
{
    auto &ids = m_byDrone[droneId];
    if (std::find(ids.begin(), ids.end(), deliveryId) == ids.end())
        ids.push_back(deliveryId);
}

void StageTracker::unmapDrone(const std::string &droneId, const std::string &deliveryId)
{
    if (droneId.empty())
        return;
    auto it = m_byDrone.find(droneId);
    if (it == m_byDrone.end())
        return;
    auto &ids = it->second;
    ids.erase(std::remove(ids.begin(), ids.end(), deliveryId), ids.end());
    if (ids.empty())
        m_byDrone.erase(it);
}

net::Micros StageTracker::realMicros(double meters, double speed) const
{
    return net::Micros(meters / speed / m_timeScale * double(net::kSeconds));
}

} // namespace dd::backend
