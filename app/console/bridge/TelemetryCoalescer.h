// Keeps the latest telemetry per drone between flushes, separately for the fleet map and the drone list.
#pragma once

#include "models/ConsoleRecords.h"

#include "FleetTypes.h"
#include "services.pb.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace dd::console {

/// Bridge thread only. Each drone is at most once in a take, whatever number of
/// messages arrived for it. The map and the list drain independently: the map is
/// written every flush, the list only when the GUI has caught up with the last
/// batch, so a busy GUI thread makes the list's batches bigger, never more frequent.
///
/// Drone ids (and each drone's current delivery id) are converted to QString once
/// and shared afterwards: at 10,000 drones × 10 Hz, a fresh string per message would
/// be 200,000 allocations a second, freed on the GUI thread.
class TelemetryCoalescer
{
public:
    void add(const dronedelivery::v1::DroneTelemetry &telemetry);

    std::vector<fleetmap::DroneView> takeForMap();
    std::vector<DroneRecord> takeForList();

    std::size_t pendingForMap() const { return m_map.size(); }
    std::size_t pendingForList() const { return m_list.size(); }
    std::uint64_t received() const { return m_received; }

private:
    static constexpr std::size_t kNone = std::size_t(-1);
    struct Drone
    {
        QString id;
        std::string deliveryKey; ///< the delivery id `delivery` was made from
        QString delivery;
        std::size_t mapSlot = kNone;  ///< index in m_map while pending
        std::size_t listSlot = kNone; ///< index in m_list while pending
    };

    std::unordered_map<std::string, Drone> m_drones;
    std::vector<fleetmap::DroneView> m_map;
    std::vector<Drone *> m_mapOwners; ///< parallel to m_map: whose slot to clear on take (nodes never move)
    std::vector<DroneRecord> m_list;
    std::vector<Drone *> m_listOwners;
    std::uint64_t m_received = 0;
};

} // namespace dd::console
