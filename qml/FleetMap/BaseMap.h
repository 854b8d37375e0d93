// The static backdrop of the service area: schematic water bodies of Seattle, triangulated once.
#pragma once

#include "GeoProjection.h"

#include <vector>

namespace dd::fleetmap {

/// Hand-traced, deliberately coarse outlines (a few hundred metres of error): enough to
/// orient a dispatcher — Sound to the west, Lake Washington to the east — without
/// shipping map tiles. Triangulated on first use and shared by every map item.
class BaseMap
{
public:
    using Polygon = std::vector<GeoPoint>;

    static const BaseMap &instance();

    /// Triangle list (3 points per triangle) in lat/lon; islands are holes, not overdrawn,
    /// so the water can be one opaque layer.
    const std::vector<GeoPoint> &waterTriangles() const { return m_water; }
    /// Closed outlines of water and islands, for a thin shoreline stroke.
    const std::vector<Polygon> &shorelines() const { return m_shorelines; }
    /// Whether a point lies on (schematic) water; simulators use it to keep stops ashore.
    bool isWater(GeoPoint point) const;

    /// Ear clipping in local metres; fine for the simple (non-self-intersecting) outlines here.
    static std::vector<GeoPoint> triangulate(const Polygon &polygon);

private:
    BaseMap();

    std::vector<GeoPoint> m_water;
    std::vector<Polygon> m_waterOutlines;
    std::vector<Polygon> m_islands;
    std::vector<Polygon> m_shorelines;
};

} // namespace dd::fleetmap
