// ServiceArea: distances from downtown on the same flat-earth approximation as backend/common/Geo.cpp.
#include "backend/domain/ServiceArea.h"

#include <cmath>

namespace dd::domain {

namespace {
constexpr double kMetersPerDegreeLatitude = 111320.0;
constexpr double kPi = 3.14159265358979323846;

double metersPerDegreeLongitude(double latitude)
{
    return kMetersPerDegreeLatitude * std::cos(latitude * kPi / 180.0);
}
} // namespace

double ServiceArea::metersFromCenter(double latitude, double longitude)
{
    const double dy = (latitude - kCenterLatitude) * kMetersPerDegreeLatitude;
    const double dx = (longitude - kCenterLongitude) * metersPerDegreeLongitude((latitude + kCenterLatitude) / 2);
    return std::hypot(dx, dy);
}

bool ServiceArea::contains(double latitude, double longitude)
{
    // Written so that NaN is outside.
    return std::isfinite(latitude) && std::isfinite(longitude) && std::abs(latitude) <= 90 && std::abs(longitude) <= 180
        && metersFromCenter(latitude, longitude) <= kRadiusMeters;
}

void ServiceArea::pointAt(double meters, double bearingRadians, double &latitude, double &longitude)
{
    latitude = kCenterLatitude + meters * std::cos(bearingRadians) / kMetersPerDegreeLatitude;
    longitude = kCenterLongitude + meters * std::sin(bearingRadians) / metersPerDegreeLongitude(kCenterLatitude);
}

} // namespace dd::domain
