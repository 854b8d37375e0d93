// Geometry on a local flat-earth approximation: fine at city scale.
#include "backend/common/Geo.h"

#include <charconv>
#include <cmath>
#include <functional>
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

bool parseDouble(std::string_view text, double &out)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text.empty())
        return false;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() && std::isfinite(out);
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
    const auto comma = text.find(',');
    double latitude = 0, longitude = 0;
    if (comma != std::string_view::npos && parseDouble(text.substr(0, comma), latitude)
        && parseDouble(text.substr(comma + 1), longitude) && std::abs(latitude) <= 90 && std::abs(longitude) <= 180)
        return make(latitude, longitude);
    // Stable hash → polar coordinates inside the service area (sqrt: uniform by area).
    const std::size_t h = std::hash<std::string_view>{}(text);
    const double u = double(h & 0xffffffffu) / 4294967296.0;
    const double v = double((h >> 32) & 0xffffffffu) / 4294967296.0;
    const double r = kRadiusMeters * 0.9 * std::sqrt(u);
    const double angle = 2 * kPi * v;
    return make(kCenterLatitude + r * std::cos(angle) / kMetersPerDegreeLatitude,
                kCenterLongitude + r * std::sin(angle) / metersPerDegreeLongitude(kCenterLatitude));
}

bool insideServiceArea(const Location &location)
{
    return distanceMeters(location, make(kCenterLatitude, kCenterLongitude)) <= kRadiusMeters * 1.5;
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
