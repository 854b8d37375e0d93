// Helpers of the FleetSimulator tests: points measured in metres from the city centre, drones on their pads.
#pragma once

#include "backend/common/Geo.h"
#include "backend/drone/FleetSimulator.h"

#include <cmath>
#include <string>

// A namespace of their own: DeliveryTestSupport.h has an at(latitude, longitude) in dd::backend::test.
namespace dd::backend::test::fleet {

using namespace dronedelivery::v1;

/// A point `north` and `east` metres from the city centre.
inline Location at(double north, double east)
{
    Location l;
    l.set_latitude(geo::kCenterLatitude + north / 111320.0);
    l.set_longitude(
        geo::kCenterLongitude + east / (111320.0 * std::cos(geo::kCenterLatitude * 3.14159265358979323846 / 180.0)));
    return l;
}

inline FleetDrone droneAt(
    const std::string &id, const Location &home, double battery = 1.0, double maxPayload = 10, double range = 60000)
{
    FleetDrone drone;
    drone.id = id;
    drone.home = home;
    drone.position = home;
    drone.battery = battery;
    drone.maxPayloadKg = maxPayload;
    drone.rangeMeters = range;
    return drone;
}

} // namespace dd::backend::test::fleet
