// The demo city's geometry: where text locations land, distances, bearings, travel times.
#pragma once

#include "services.pb.h"

#include <string_view>

namespace dd::backend::geo {

/// The city the fleet flies over (centre and radius of the service area).
constexpr double kCenterLatitude = 47.6062;
constexpr double kCenterLongitude = -122.3321;
constexpr double kRadiusMeters = 12000;

/// "47.61,-122.33" is taken as coordinates; any other text (an address, a
/// place name) lands on a stable pseudo-random point inside the service area, so
/// the reference API's free-text locations still fly somewhere sensible.
dronedelivery::v1::Location parseLocation(std::string_view text);
bool insideServiceArea(const dronedelivery::v1::Location &location);

double distanceMeters(const dronedelivery::v1::Location &a, const dronedelivery::v1::Location &b);
double bearingDegrees(const dronedelivery::v1::Location &from, const dronedelivery::v1::Location &to);
/// The point `meters` along the great circle from `from` towards `to` (clamped at `to`).
dronedelivery::v1::Location moveTowards(const dronedelivery::v1::Location &from,
                                        const dronedelivery::v1::Location &to, double meters);

} // namespace dd::backend::geo
