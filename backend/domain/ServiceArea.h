// The service area: the circle around downtown Seattle that the fleet serves and requests must fall in.
#pragma once

#include "backend/common/Geo.h"

namespace dd::domain {

/// One circle for every rule that asks "is this point ours?": the request rules, the
/// gazetteer, the Drone service (geo::insideServiceArea) and the stand-in points.
class ServiceArea
{
public:
    static constexpr double kCenterLatitude = backend::geo::kCenterLatitude;
    static constexpr double kCenterLongitude = backend::geo::kCenterLongitude;
    static constexpr double kRadiusMeters = backend::geo::kRadiusMeters;
    /// How the area is named in messages to people.
    static constexpr const char *kDescription = "12 km around downtown Seattle";

    /// Metres from downtown on a local flat-earth approximation (fine at city scale).
    static double metersFromCenter(double latitude, double longitude);
    static bool contains(double latitude, double longitude);
    /// The point `meters` from downtown at `bearingRadians` (0 = north, clockwise).
    static void pointAt(double meters, double bearingRadians, double &latitude, double &longitude);
};

} // namespace dd::domain
