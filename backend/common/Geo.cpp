// Geometry on a local flat-earth approximation: fine at city scale.
#include "backend/common/Geo.h"

#include "backend/domain/PlaceResolver.h"
#include "backend/domain/ServiceArea.h"

#include <cmath>
#include <string>

namespace dd::backend::geo {

using dronedelivery::v1::Location;

namespace {
constexpr double kMetersPerDegreeLatitude = 111320.0;
constexpr double kPi = 3.14159265358979323846;

double metersPerDegreeLongitude(double latitude)
{
    return kMetersPerDegreeLatitude * std::cos(latitude * kPi / 180.0);
}

Location make(double latitude, double longitude)
{
    Location location;
    location.set_latitude(latitude);
    location.set_longitude(longitude);
    return location;
}
} // namespace

Location parseLocation(std::string_view text)
{
    // Requests are resolved when accepted (domain::RequestRules); this reads text stored
    // before that, or by callers that skip Ingestion, the same way and never fails.
    return domain::PlaceResolver::standard().locate(text);
}

bool insideServiceArea(const Location &location)
{
    return domain::ServiceArea::contains(location.latitude(), location.longitude());
}

double distanceMeters(const Location &a, const Location &b)
{
    const double dy = (b.latitude() - a.latitude()) * kMetersPerDegreeLatitude;
    const double dx = (b.longitude() - a.longitude()) * metersPerDegreeLongitude((a.latitude() + b.latitude()) / 2);
    return std::hypot(dx, dy);
}

double bearingDegrees(const Location &from, const Location &to)
{
    const double dy = (to.latitude() - from.latitude()) * kMetersPerDegreeLatitude;
    const double dx = (to.longitude() - from.longitude()) * metersPerDegreeLongitude(from.latitude());
    double degrees = std::atan2(dx, dy) * 180.0 / kPi;
    return degrees < 0 ? degrees + 360 : degrees;
}

Location moveTowards(const Location &from, const Location &to, double meters)
{
    const double total = distanceMeters(from, to);
    if (total <= meters || total <= 0)
        return to;
    const double f = meters / total;
    Location out = make(from.latitude() + (to.latitude() - from.latitude()) * f,
                        from.longitude() + (to.longitude() - from.longitude()) * f);
    out.set_altitude(from.altitude() + (to.altitude() - from.altitude()) * f);
    return out;
}

} // namespace dd::backend::geo
