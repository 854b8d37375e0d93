// The static backdrop of the service area: schematic water bodies of Seattle, triangulated once.
#include "BaseMap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace dd::fleetmap {

namespace {

// Puget Sound's eastern shore, north to south, then closed far to the west.
const BaseMap::Polygon kPugetSound = {
    {47.800, -122.385}, {47.765, -122.386}, {47.735, -122.378}, {47.712, -122.378},
    {47.692, -122.403}, {47.676, -122.405}, {47.667, -122.398}, {47.665, -122.420},
    {47.662, -122.436}, {47.648, -122.428}, {47.636, -122.412}, {47.630, -122.395},
    {47.628, -122.383}, {47.620, -122.365}, {47.612, -122.352}, {47.606, -122.343},
    {47.598, -122.338}, {47.588, -122.342}, {47.583, -122.350}, {47.585, -122.365},
    {47.590, -122.378}, {47.596, -122.388}, {47.590, -122.398}, {47.581, -122.410},
    {47.576, -122.421}, {47.566, -122.410}, {47.550, -122.402}, {47.530, -122.397},
    {47.515, -122.392}, {47.495, -122.370}, {47.470, -122.360}, {47.430, -122.340},
    {47.430, -122.700}, {47.800, -122.700},
};

const BaseMap::Polygon kLakeWashington = {
    // West shore, north to south.
    {47.758, -122.262}, {47.745, -122.275}, {47.720, -122.278}, {47.697, -122.273},
    {47.688, -122.262}, {47.685, -122.250}, {47.675, -122.252}, {47.668, -122.262},
    {47.660, -122.272}, {47.652, -122.282}, {47.650, -122.300}, {47.645, -122.300},
    {47.642, -122.283}, {47.635, -122.277}, {47.620, -122.281}, {47.600, -122.285},
    {47.585, -122.288}, {47.570, -122.275}, {47.560, -122.258}, {47.550, -122.250},
    {47.542, -122.262}, {47.525, -122.262}, {47.510, -122.245}, {47.500, -122.222},
    // East shore, south to north.
    {47.502, -122.205}, {47.520, -122.200}, {47.545, -122.195}, {47.570, -122.197},
    {47.585, -122.200}, {47.605, -122.203}, {47.615, -122.207}, {47.622, -122.225},
    {47.632, -122.240}, {47.642, -122.230}, {47.640, -122.220}, {47.650, -122.222},
    {47.662, -122.215}, {47.678, -122.208}, {47.700, -122.225}, {47.720, -122.240},
    {47.745, -122.252},
};

const BaseMap::Polygon kLakeUnion = {
    {47.650, -122.335}, {47.647, -122.325}, {47.635, -122.326},
    {47.627, -122.336}, {47.632, -122.342}, {47.645, -122.347},
};

const BaseMap::Polygon kMercerIsland = {
    {47.598, -122.232}, {47.590, -122.245}, {47.575, -122.250}, {47.555, -122.240},
    {47.535, -122.228}, {47.525, -122.220}, {47.535, -122.207}, {47.555, -122.205},
    {47.575, -122.210}, {47.590, -122.220},
};

const BaseMap::Polygon kBainbridgeIsland = {
    {47.710, -122.530}, {47.700, -122.500}, {47.660, -122.490}, {47.630, -122.495},
    {47.610, -122.500}, {47.585, -122.520}, {47.600, -122.560}, {47.650, -122.580},
    {47.690, -122.570},
};

BaseMap::Polygon ellipse(GeoPoint centre, double radiusNorthMeters, double radiusEastMeters, int segments)
{
    BaseMap::Polygon points;
    const QPointF c = GeoProjection::toMeters(centre.latitude, centre.longitude);
    for (int i = 0; i < segments; ++i) {
        const double a = 2 * std::numbers::pi * i / segments;
        points.push_back(GeoProjection::fromMeters(
            {c.x() + radiusEastMeters * std::cos(a), c.y() + radiusNorthMeters * std::sin(a)}));
    }
    return points;
}

double cross(QPointF o, QPointF a, QPointF b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

bool inTriangle(QPointF p, QPointF a, QPointF b, QPointF c)
{
    return cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;
}

std::vector<QPointF> toMeters(const BaseMap::Polygon &polygon)
{
    std::vector<QPointF> points;
    points.reserve(polygon.size());
    for (const GeoPoint &g : polygon)
        points.push_back(GeoProjection::toMeters(g.latitude, g.longitude));
    return points;
}

/// Positive for a counter-clockwise outline (x east, y north).
double signedArea(const BaseMap::Polygon &polygon)
{
    const std::vector<QPointF> p = toMeters(polygon);
    double area = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        const QPointF a = p[i], b = p[(i + 1) % p.size()];
        area += a.x() * b.y() - b.x() * a.y();
    }
    return area / 2;
}

BaseMap::Polygon oriented(BaseMap::Polygon polygon, bool counterClockwise)
{
    if ((signedArea(polygon) > 0) != counterClockwise)
        std::reverse(polygon.begin(), polygon.end());
    return polygon;
}

bool properlyCross(QPointF a, QPointF b, QPointF c, QPointF d)
{
    const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

bool crossesAnyEdge(QPointF a, QPointF b, const std::vector<QPointF> &outline)
{
    for (size_t i = 0; i < outline.size(); ++i) {
        if (properlyCross(a, b, outline[i], outline[(i + 1) % outline.size()]))
            return true;
    }
    return false;
}

/// Joins an island into the water around it with a two-way cut, giving one simple
/// outline that plain ear clipping handles (the usual way to triangulate a hole).
BaseMap::Polygon withHole(const BaseMap::Polygon &outerIn, const BaseMap::Polygon &holeIn)
{
    const BaseMap::Polygon outer = oriented(outerIn, true), hole = oriented(holeIn, false);
    const std::vector<QPointF> po = toMeters(outer), ph = toMeters(hole);
    size_t bestOuter = 0, bestHole = 0;
    double best = std::numeric_limits<double>::max();
    for (size_t o = 0; o < po.size(); ++o) {
        for (size_t h = 0; h < ph.size(); ++h) {
            const QPointF d = po[o] - ph[h];
            const double distance = d.x() * d.x() + d.y() * d.y();
            if (distance < best && !crossesAnyEdge(po[o], ph[h], po) && !crossesAnyEdge(po[o], ph[h], ph)) {
                best = distance;
                bestOuter = o;
                bestHole = h;
            }
        }
    }
    BaseMap::Polygon joined(outer.begin(), outer.begin() + std::ptrdiff_t(bestOuter) + 1);
    for (size_t i = 0; i <= hole.size(); ++i)
        joined.push_back(hole[(bestHole + i) % hole.size()]);
    joined.insert(joined.end(), outer.begin() + std::ptrdiff_t(bestOuter), outer.end());
    return joined;
}

bool contains(const BaseMap::Polygon &polygon, GeoPoint point)
{
    bool inside = false;
    for (size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const GeoPoint &a = polygon[i], &b = polygon[j];
        if ((a.latitude > point.latitude) != (b.latitude > point.latitude)
            && point.longitude < (b.longitude - a.longitude) * (point.latitude - a.latitude) / (b.latitude - a.latitude)
                    + a.longitude)
            inside = !inside;
    }
    return inside;
}

void append(std::vector<GeoPoint> &to, const std::vector<GeoPoint> &from)
{
    to.insert(to.end(), from.begin(), from.end());
}

} // namespace

const BaseMap &BaseMap::instance()
{
    static const BaseMap map;
    return map;
}

BaseMap::BaseMap()
{
    const Polygon greenLake = ellipse({47.6800, -122.3285}, 620, 420, 14);
    append(m_water, triangulate(withHole(kPugetSound, kBainbridgeIsland)));
    append(m_water, triangulate(withHole(kLakeWashington, kMercerIsland)));
    append(m_water, triangulate(kLakeUnion));
    append(m_water, triangulate(greenLake));
    m_waterOutlines = {kPugetSound, kLakeWashington, kLakeUnion, greenLake};
    m_islands = {kMercerIsland, kBainbridgeIsland};
    m_shorelines = m_waterOutlines;
    m_shorelines.insert(m_shorelines.end(), m_islands.begin(), m_islands.end());
}

bool BaseMap::isWater(GeoPoint point) const
{
    for (const Polygon &island : m_islands) {
        if (contains(island, point))
            return false;
    }
    for (const Polygon &water : m_waterOutlines) {
        if (contains(water, point))
            return true;
    }
    return false;
}

std::vector<GeoPoint> BaseMap::triangulate(const Polygon &polygonIn)
{
    const Polygon polygon = oriented(polygonIn, true); // ears are found on a counter-clockwise outline
    const std::vector<QPointF> p = toMeters(polygon);
    std::vector<int> left(p.size());
    for (size_t i = 0; i < p.size(); ++i)
        left[i] = int(i);

    std::vector<GeoPoint> triangles;
    while (left.size() > 3) {
        bool clipped = false;
        const size_t n = left.size();
        for (size_t i = 0; i < n && !clipped; ++i) {
            const QPointF a = p[size_t(left[(i + n - 1) % n])], b = p[size_t(left[i])], c = p[size_t(left[(i + 1) % n])];
            if (cross(a, b, c) <= 0)
                continue; // reflex or flat corner: not an ear
            bool empty = true;
            for (int j : left) {
                const QPointF q = p[size_t(j)];
                // Cut vertices appear twice; a copy sitting on a corner does not block the ear.
                if (q == a || q == b || q == c)
                    continue;
                if (inTriangle(q, a, b, c)) {
                    empty = false;
                    break;
                }
            }
            if (!empty)
                continue;
            triangles.insert(triangles.end(), {polygon[size_t(left[(i + n - 1) % n])], polygon[size_t(left[i])],
                                               polygon[size_t(left[(i + 1) % n])]});
            left.erase(left.begin() + std::ptrdiff_t(i));
            clipped = true;
        }
        if (!clipped)
            break; // degenerate outline: keep what we have rather than loop forever
    }
    if (left.size() == 3)
        triangles.insert(triangles.end(), {polygon[size_t(left[0])], polygon[size_t(left[1])], polygon[size_t(left[2])]});
    return triangles;
}

} // namespace dd::fleetmap
