// TelemetryCoalescer: latest-wins slots keyed by drone id, emptied by each take; shared id strings.
#include "bridge/TelemetryCoalescer.h"

#include "bridge/ProtoRecords.h"

#include <utility>

namespace dd::console {

void TelemetryCoalescer::add(const dronedelivery::v1::DroneTelemetry &t)
{
    ++m_received;
    auto it = m_drones.find(t.drone_id());
    if (it == m_drones.end()) {
        it = m_drones.emplace(t.drone_id(), Drone{}).first;
        it->second.id = QString::fromStdString(t.drone_id());
    }
    Drone &drone = it->second;
    if (drone.deliveryKey != t.delivery_id()) {
        drone.deliveryKey = t.delivery_id();
        drone.delivery = QString::fromStdString(t.delivery_id());
    }

    fleetmap::DroneView view = ProtoRecords::droneView(t, drone.id, drone.delivery);
    if (drone.mapSlot == kNone) {
        drone.mapSlot = m_map.size();
        m_map.push_back(std::move(view));
        m_mapOwners.push_back(&drone);
    } else {
        m_map[drone.mapSlot] = std::move(view);
    }

    DroneRecord record = ProtoRecords::drone(t, drone.id, drone.delivery);
    if (drone.listSlot == kNone) {
        drone.listSlot = m_list.size();
        m_list.push_back(std::move(record));
        m_listOwners.push_back(&drone);
    } else {
        m_list[drone.listSlot] = std::move(record);
    }
}

std::vector<fleetmap::DroneView> TelemetryCoalescer::takeForMap()
{
    for (Drone *drone : m_mapOwners)
        drone->mapSlot = kNone;
    m_mapOwners.clear();
    std::vector<fleetmap::DroneView> taken = std::exchange(m_map, {});
    m_map.reserve(taken.size()); // the next batch is likely as big: grow once, not log n times
    return taken;
}

std::vector<DroneRecord> TelemetryCoalescer::takeForList()
{
    for (Drone *drone : m_listOwners)
        drone->listSlot = kNone;
    m_listOwners.clear();
    std::vector<DroneRecord> taken = std::exchange(m_list, {});
    m_list.reserve(taken.size());
    return taken;
}

} // namespace dd::console
