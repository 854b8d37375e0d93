// Plain value types the fleet map draws: one compact record per drone and per delivery.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace dd::fleetmap {

/// Drone states, numbered exactly as dronedelivery.v1.DroneState so telemetry maps 1:1.
enum DroneStateCode : int {
    DroneStateUnspecified = 0,
    DroneIdle = 1,
    DroneFlyingToPickup = 2,
    DroneFlyingToDropoff = 3,
    DroneReturning = 4,
    DroneCharging = 5,
    DroneMaintenance = 6,
};

/// Delivery stages, numbered as dronedelivery.v1.DeliveryStage.
enum DeliveryStageCode : int {
    StageUnspecified = 0,
    StageCreated = 1,
    StageHeadedToPickup = 2,
    StageHeadedToDropoff = 3,
    StageCompleted = 4,
    StageRescheduled = 5,
    StageCancelled = 6,
    StageFailed = 7,
};

/// Latest known position and state of one drone. Kept flat (no pointers besides the
/// implicitly shared strings) so 50,000 of them are one contiguous vector.
struct DroneView
{
    QString id;
    QString deliveryId;
    double latitude = 0.0;
    double longitude = 0.0;
    double targetLatitude = 0.0;  // meaningful while flying; 0/0 means "no target"
    double targetLongitude = 0.0;
    float heading = 0.0f;         // degrees clockwise from north, like the telemetry
    float battery = 1.0f;         // 0..1
    int state = DroneStateUnspecified;

    bool hasTarget() const { return targetLatitude != 0.0 || targetLongitude != 0.0; }
    bool isFlying() const
    {
        return state == DroneFlyingToPickup || state == DroneFlyingToDropoff || state == DroneReturning;
    }
};

/// Pickup and dropoff of one delivery, drawn as two markers.
struct DeliveryMarker
{
    QString deliveryId;
    double pickupLatitude = 0.0;
    double pickupLongitude = 0.0;
    double dropoffLatitude = 0.0;
    double dropoffLongitude = 0.0;
    int stage = StageUnspecified;

    bool isFinished() const
    {
        return stage == StageCompleted || stage == StageCancelled || stage == StageFailed;
    }
};

/// One batch of writes, applied atomically as one generation (e.g. one bridge flush).
struct FleetChanges
{
    std::vector<DroneView> drones;          ///< merged by id; later entries win
    std::vector<DeliveryMarker> deliveries; ///< merged by delivery id
    std::vector<QString> removedDrones;
    std::vector<QString> removedDeliveries;

    bool empty() const
    {
        return drones.empty() && deliveries.empty() && removedDrones.empty() && removedDeliveries.empty();
    }
};

/// An immutable, internally consistent picture of the fleet at one generation.
struct FleetSnapshot
{
    std::uint64_t generation = 0;
    /// Generation of the last write that touched deliveries: markers rarely change
    /// while drones move every tick, so the map redraws them only when this moves.
    std::uint64_t deliveryGeneration = 0;
    std::vector<DroneView> drones;
    std::vector<DeliveryMarker> deliveries;
};

} // namespace dd::fleetmap
