// The demo city's geometry: where text locations land, distances, bearings, travel times.
#pragma once

#include "services.pb.h"

#include <string_view>

namespace dd::backend::geo {

/// The city the fleet flies over (centre and radius of the service area).
constexpr double kCenterLatitude = 47.6062;
constexpr double kCenterLongitude = -122.3321;
constexpr double kRadiusMeters = 12000;

/// "47.61,-122.33" (or "alt,lat,lon") is taken as coordinates, a gazetteer place name
/// as its true coordinates, any other text as its stable stand-in point inside the
/// service area (domain::PlaceResolver::locate): never fails, for text already stored.
dronedelivery::v1::Location parseLocation(std::string_view text);
/// Within kRadiusMeters of the centre: the same circle the request rules use (domain::ServiceArea).
bool insideServiceArea(const dronedelivery::v1::Location &location);

double distanceMeters(const dronedelivery::v1::Location &a, const dronedelivery::v1::Location &b);
double bearingDegrees(const dronedelivery::v1::Location &from, const dronedelivery::v1::Location &to);
/// The point `meters` along the great circle from `from` towards `to` (clamped at `to`).
dronedelivery::v1::Location moveTowards(const dronedelivery::v1::Location &from,
                                        const dronedelivery::v1::Location &to, double meters);

} // namespace dd::backend::geo
