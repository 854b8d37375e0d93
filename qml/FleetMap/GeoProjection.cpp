// Lat/lon ↔ item pixels for a city-sized map: a local equirectangular projection around a fixed origin.
#include "GeoProjection.h"

#include <cmath>
#include <numbers>

namespace dd::fleetmap {

double GeoProjection::metersPerDegreeLongitude()
{
    static const double value = MetersPerDegreeLatitude * std::cos(OriginLatitude * std::numbers::pi / 180.0);
    return value;
}

QPointF GeoProjection::toMeters(double latitude, double longitude)
{
    return {(longitude - OriginLongitude) * metersPerDegreeLongitude(),
            (latitude - OriginLatitude) * MetersPerDegreeLatitude};
}

GeoPoint GeoProjection::fromMeters(QPointF meters)
{
    return {OriginLatitude + meters.y() / MetersPerDegreeLatitude,
            OriginLongitude + meters.x() / metersPerDegreeLongitude()};
}

QPointF GeoProjection::metersToPixel(QPointF meters) const
{
    const QPointF c = toMeters(m_center.latitude, m_center.longitude);
    return {m_viewport.width() / 2 + (meters.x() - c.x()) / m_metersPerPixel,
            m_viewport.height() / 2 - (meters.y() - c.y()) / m_metersPerPixel};
}

GeoPoint GeoProjection::toGeo(QPointF pixel) const
{
    const QPointF c = toMeters(m_center.latitude, m_center.longitude);
    return fromMeters({c.x() + (pixel.x() - m_viewport.width() / 2) * m_metersPerPixel,
                       c.y() - (pixel.y() - m_viewport.height() / 2) * m_metersPerPixel});
}

GeoProjection::Affine GeoProjection::affine() const
{
    // Screen y grows downwards, north grows upwards: hence the negative ay.
    Affine a;
    a.ax = metersPerDegreeLongitude() / m_metersPerPixel;
    a.ay = -MetersPerDegreeLatitude / m_metersPerPixel;
    a.bx = m_viewport.width() / 2 - m_center.longitude * a.ax;
    a.by = m_viewport.height() / 2 - m_center.latitude * a.ay;
    return a;
}

} // namespace dd::fleetmap
