// Lat/lon ↔ item pixels for a city-sized map: a local equirectangular projection around a fixed origin.
#pragma once

#include <QPointF>
#include <QSizeF>

namespace dd::fleetmap {

struct GeoPoint
{
    double latitude = 0.0;
    double longitude = 0.0;
};

/// Within a 12 km service area an equirectangular projection is off by well under a
/// pixel, and being affine in lat/lon lets the renderer project 50,000 drones with two
/// multiply-adds each. The cosine is taken at a fixed origin (not the view centre) so
/// panning is a pure translation and the drones never "breathe" while dragging.
class GeoProjection
{
public:
    static constexpr double OriginLatitude = 47.6062;   // Seattle, centre of the service area
    static constexpr double OriginLongitude = -122.3321;
    static constexpr double ServiceRadiusMeters = 12000.0;
    static constexpr double MetersPerDegreeLatitude = 111320.0;

    /// Pixel = (longitude * ax + bx, latitude * ay + by).
    struct Affine
    {
        double ax = 1.0, bx = 0.0, ay = 1.0, by = 0.0;
        QPointF map(double latitude, double longitude) const
        {
            return {longitude * ax + bx, latitude * ay + by};
        }
    };

    /// East/north metres from the origin.
    static QPointF toMeters(double latitude, double longitude);
    static GeoPoint fromMeters(QPointF meters);
    static double metersPerDegreeLongitude();

    void setViewport(QSizeF size) { m_viewport = size; }
    void setCenter(GeoPoint center) { m_center = center; }
    void setMetersPerPixel(double metersPerPixel) { m_metersPerPixel = metersPerPixel; }
    QSizeF viewport() const { return m_viewport; }
    GeoPoint center() const { return m_center; }
    double metersPerPixel() const { return m_metersPerPixel; }

    QPointF toPixel(double latitude, double longitude) const { return affine().map(latitude, longitude); }
    QPointF metersToPixel(QPointF meters) const;
    GeoPoint toGeo(QPointF pixel) const;
    Affine affine() const;

private:
    QSizeF m_viewport{1, 1};
    GeoPoint m_center{OriginLatitude, OriginLongitude};
    double m_metersPerPixel = 30.0;
};

} // namespace dd::fleetmap
