// Turns drone telemetry into delivery stage changes (pure logic: no sockets, no SQL, no clock).
#pragma once

#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace dd::backend {

/// What the tracker keeps per delivery in flight: small, in memory, so ~10
/// telemetry messages per drone per second cost no SQL.
struct TrackedDelivery
{
    std::string deliveryId;
    std::string droneId;
    dronedelivery::v1::DeliveryStage stage = dronedelivery::v1::STAGE_CREATED;
    dronedelivery::v1::Location pickup;  ///< (0,0) when unknown
    dronedelivery::v1::Location dropoff;
    dronedelivery::v1::Location lastKnown;
    net::Micros pickupEta = 0;
    net::Micros deliveryEta = 0;
    bool positionDirty = false; ///< moved since takeDirtyPositions()
};

struct StageChange
{
    std::string deliveryId;
    dronedelivery::v1::DeliveryStage previous = dronedelivery::v1::STAGE_UNSPECIFIED;
    dronedelivery::v1::DeliveryStage stage = dronedelivery::v1::STAGE_UNSPECIFIED;
    std::string droneId;
    dronedelivery::v1::Location location;
    net::Micros at = 0;
    net::Micros pickupEta = 0;
    net::Micros deliveryEta = 0;
    std::string reason;
};

/// Rules: a drone flying to the pickup with the delivery means HeadedToPickup, to
/// the dropoff HeadedToDropoff; flying home or idle still naming it means it was
/// dropped off: Completed. Stages skipped by conflated telemetry are filled in, in
/// order. A drone that moved on to other work while headed to the dropoff had
/// delivered; one that drops the delivery earlier (a cancel) just stops tracking it.
class StageTracker
{
public:
    explicit StageTracker(double timeScale = 1.0, double nominalSpeed = 15.0);

    /// Starts (or updates) tracking; terminal stages are not tracked.
    void track(TrackedDelivery delivery);
    void untrack(const std::string &deliveryId);
    /// An RPC moved the delivery (Reschedule); a terminal stage stops tracking.
    void setStage(const std::string &deliveryId, dronedelivery::v1::DeliveryStage stage);
    const TrackedDelivery *find(const std::string &deliveryId) const;
    std::size_t size() const { return m_deliveries.size(); }

    struct Outcome
    {
        std::vector<StageChange> changes;
        /// Telemetry names a delivery not tracked here: the caller may look it up and
        /// track() it (asked once per drone and delivery).
        std::string lookup;
    };
    Outcome onTelemetry(const dronedelivery::v1::DroneTelemetry &telemetry);

    /// Tracked deliveries whose position moved since they were last taken, oldest first,
    /// at most `max` (copies; flags cleared).
    std::vector<TrackedDelivery> takeDirtyPositions(std::size_t max = std::size_t(-1));
    /// How many may be waiting (an upper bound: untracked ones are skipped when taken).
    std::size_t dirtyBacklog() const { return m_dirtyOrder.size(); }

    static bool terminal(dronedelivery::v1::DeliveryStage stage);

private:
    void apply(TrackedDelivery &delivery, const dronedelivery::v1::DroneTelemetry &telemetry, Outcome &out);
    void updatePosition(TrackedDelivery &delivery, const dronedelivery::v1::DroneTelemetry &telemetry);
    void advanceTo(TrackedDelivery &delivery, dronedelivery::v1::DeliveryStage stage,
                   const dronedelivery::v1::DroneTelemetry &telemetry, const std::string &reason, Outcome &out);
    void recordChange(TrackedDelivery &delivery, dronedelivery::v1::DeliveryStage stage,
              const dronedelivery::v1::DroneTelemetry &telemetry, const std::string &reason, Outcome &out);
    void mapDrone(const std::string &droneId, const std::string &deliveryId);
    void unmapDrone(const std::string &droneId, const std::string &deliveryId);
    net::Micros realMicros(double meters, double speed) const;

    double m_timeScale;
    double m_nominalSpeed;
    std::unordered_map<std::string, TrackedDelivery> m_deliveries;
    std::unordered_map<std::string, std::vector<std::string>> m_byDrone;
    std::deque<std::string> m_dirtyOrder; ///< ids in the order their position first moved
    std::unordered_map<std::string, std::string> m_asked; ///< per drone: the last delivery looked up
};

} // namespace dd::backend
