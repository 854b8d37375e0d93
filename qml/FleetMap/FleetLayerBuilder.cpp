// Writes the vertices of each fleet map layer (backdrop, routes, markers, drones, selection).
#include "FleetLayerBuilder.h"

#include "BaseMap.h"
#include "FleetPalette.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace dd::fleetmap {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr float kCullMargin = 16.0f; // px: a shape centred just outside still shows its edge
constexpr double kMinGridPixels = 56.0;
constexpr std::array<double, 9> kGridSteps = {100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000};

QRgb shaded(QRgb rgb, float factor)
{
    return qRgba(int(qRed(rgb) * factor), int(qGreen(rgb) * factor), int(qBlue(rgb) * factor), qAlpha(rgb));
}

} // namespace

FleetLayerBuilder::Rgba FleetLayerBuilder::premultiplied(QRgb rgb, float alpha)
{
    const float a = alpha * float(qAlpha(rgb)) / 255.0f;
    return {uchar(float(qRed(rgb)) * a + 0.5f), uchar(float(qGreen(rgb)) * a + 0.5f),
            uchar(float(qBlue(rgb)) * a + 0.5f), uchar(a * 255.0f + 0.5f)};
}

void FleetLayerBuilder::triangle(QPointF a, QPointF b, QPointF c, Rgba colour)
{
    add(float(a.x()), float(a.y()), colour);
    add(float(b.x()), float(b.y()), colour);
    add(float(c.x()), float(c.y()), colour);
}

void FleetLayerBuilder::line(QPointF a, QPointF b, Rgba from, Rgba to)
{
    add(float(a.x()), float(a.y()), from);
    add(float(b.x()), float(b.y()), to);
}

void FleetLayerBuilder::ring(QPointF centre, double radius, int segments, Rgba colour)
{
    QPointF previous = centre + QPointF(radius, 0);
    for (int i = 1; i <= segments; ++i) {
        const double a = 2 * std::numbers::pi * i / segments;
        const QPointF next = centre + QPointF(radius * std::cos(a), radius * std::sin(a));
        line(previous, next, colour, colour);
        previous = next;
    }
}

void FleetLayerBuilder::annulus(QPointF centre, float inner, float outer, int segments, Rgba colour)
{
    for (int i = 0; i < segments; ++i) {
        const double a0 = 2 * std::numbers::pi * i / segments, a1 = 2 * std::numbers::pi * (i + 1) / segments;
        const QPointF d0(std::cos(a0), std::sin(a0)), d1(std::cos(a1), std::sin(a1));
        triangle(centre + d0 * inner, centre + d0 * outer, centre + d1 * outer, colour);
        triangle(centre + d0 * inner, centre + d1 * outer, centre + d1 * inner, colour);
    }
}

void FleetLayerBuilder::droneShape(float x, float y, float heading, bool airborne, float scale, Rgba light,
                                   Rgba dark)
{
    // One triangle per drone: on software GL the cost is per triangle, and 50,000 of
    // them must fit a frame. Shading the tip light and one rear corner dark gives it
    // some relief at no cost. Parked drones are smaller and point north: on the pad
    // their heading means nothing, and their colour already says parked.
    if (!airborne) {
        scale *= 0.75f;
        heading = 0.0f;
    }
    const float s = std::sin(heading * float(kDegToRad)), c = std::cos(heading * float(kDegToRad));
    const float tip = 7.0f * scale, wing = 4.5f * scale, rear = 5.0f * scale;
    const Rgba mid = {uchar((light.r + dark.r) / 2), uchar((light.g + dark.g) / 2), uchar((light.b + dark.b) / 2),
                      uchar((light.a + dark.a) / 2)};
    add(x + tip * s, y - tip * c, light);
    add(x + wing * c - rear * s, y + wing * s + rear * c, dark);
    add(x - wing * c - rear * s, y - wing * s + rear * c, mid);
}

void FleetLayerBuilder::markerShape(QPointF at, bool pickup, float scale, Rgba colour)
{
    const float x = float(at.x()), y = float(at.y());
    if (pickup) { // diamond
        const float h = 4.5f * scale;
        add(x, y - h, colour), add(x - h, y, colour), add(x, y + h, colour);
        add(x, y - h, colour), add(x, y + h, colour), add(x + h, y, colour);
    } else { // square
        const float h = 3.5f * scale;
        add(x - h, y - h, colour), add(x - h, y + h, colour), add(x + h, y + h, colour);
        add(x - h, y - h, colour), add(x + h, y + h, colour), add(x + h, y - h, colour);
    }
}

void FleetLayerBuilder::ground(const GeoProjection &projection)
{
    const QSizeF size = projection.viewport();
    const Rgba colour = premultiplied(FleetPalette::Background);
    triangle({0, 0}, {size.width(), 0}, {size.width(), size.height()}, colour);
    triangle({0, 0}, {size.width(), size.height()}, {0, size.height()}, colour);
}

void FleetLayerBuilder::serviceArea(const GeoProjection &projection)
{
    const QPointF centre = projection.toPixel(GeoProjection::OriginLatitude, GeoProjection::OriginLongitude);
    const double radius = GeoProjection::ServiceRadiusMeters / projection.metersPerPixel();
    const int segments = std::clamp(int(radius / 3), 32, 256);
    const Rgba colour = premultiplied(FleetPalette::ServiceArea);
    for (int i = 0; i < segments; ++i) {
        const double a0 = 2 * std::numbers::pi * i / segments, a1 = 2 * std::numbers::pi * (i + 1) / segments;
        triangle(centre, centre + QPointF(radius * std::cos(a0), radius * std::sin(a0)),
                 centre + QPointF(radius * std::cos(a1), radius * std::sin(a1)), colour);
    }
}

void FleetLayerBuilder::water(const GeoProjection &projection)
{
    const GeoProjection::Affine affine = projection.affine();
    const Rgba colour = premultiplied(FleetPalette::Water);
    for (const GeoPoint &p : BaseMap::instance().waterTriangles()) {
        const QPointF px = affine.map(p.latitude, p.longitude);
        add(float(px.x()), float(px.y()), colour);
    }
}

void FleetLayerBuilder::referenceLines(const GeoProjection &projection)
{
    const QSizeF size = projection.viewport();
    const double mpp = projection.metersPerPixel();

    // Grid: the finest round step that keeps lines comfortably apart at this zoom.
    double step = kGridSteps.back();
    for (double candidate : kGridSteps) {
        if (candidate / mpp >= kMinGridPixels) {
            step = candidate;
            break;
        }
    }
    const GeoPoint topLeft = projection.toGeo({0, 0}), bottomRight = projection.toGeo({size.width(), size.height()});
    const QPointF m0 = GeoProjection::toMeters(topLeft.latitude, topLeft.longitude);
    const QPointF m1 = GeoProjection::toMeters(bottomRight.latitude, bottomRight.longitude);
    // Every fifth line is a little brighter, like the heavier lines on graph paper.
    const Rgba minor = premultiplied(FleetPalette::Grid);
    const Rgba major = premultiplied(shaded(FleetPalette::RangeRing, 0.8f), 0.55f);
    for (double x = std::ceil(m0.x() / step) * step; x <= m1.x(); x += step) {
        const double px = projection.metersToPixel({x, 0}).x();
        const Rgba c = std::fmod(std::abs(x), step * 5) < 1 ? major : minor;
        line({px, 0}, {px, size.height()}, c, c);
    }
    for (double y = std::ceil(m1.y() / step) * step; y <= m0.y(); y += step) {
        const double py = projection.metersToPixel({0, y}).y();
        const Rgba c = std::fmod(std::abs(y), step * 5) < 1 ? major : minor;
        line({0, py}, {size.width(), py}, c, c);
    }

    // Shorelines, then the range rings and axes of the service area on top.
    const GeoProjection::Affine affine = projection.affine();
    const Rgba shore = premultiplied(FleetPalette::Shoreline);
    for (const BaseMap::Polygon &outline : BaseMap::instance().shorelines()) {
        for (size_t i = 0; i < outline.size(); ++i) {
            const GeoPoint &a = outline[i], &b = outline[(i + 1) % outline.size()];
            line(affine.map(a.latitude, a.longitude), affine.map(b.latitude, b.longitude), shore, shore);
        }
    }
    const QPointF centre = projection.toPixel(GeoProjection::OriginLatitude, GeoProjection::OriginLongitude);
    const double radius = GeoProjection::ServiceRadiusMeters / mpp;
    const int segments = std::clamp(int(radius / 3), 32, 256);
    for (int km = 3; km < 12; km += 3)
        ring(centre, km * 1000.0 / mpp, segments, premultiplied(FleetPalette::RangeRing, 0.45f));
    ring(centre, radius, segments, premultiplied(FleetPalette::RangeRing));
    const Rgba axis = premultiplied(FleetPalette::RangeRing, 0.35f);
    line(centre - QPointF(radius, 0), centre + QPointF(radius, 0), axis, axis);
    line(centre - QPointF(0, radius), centre + QPointF(0, radius), axis, axis);
}

void FleetLayerBuilder::routes(const FleetMapFrame &frame, bool &detailed)
{
    const auto &drones = frame.snapshot->drones;
    const GeoProjection::Affine affine = frame.projection.affine();
    const QSizeF size = frame.projection.viewport();
    const auto visible = [&](QPointF a, QPointF b) {
        return std::max(a.x(), b.x()) >= 0 && std::min(a.x(), b.x()) <= size.width()
            && std::max(a.y(), b.y()) >= 0 && std::min(a.y(), b.y()) <= size.height();
    };
    if (frame.showRoutes) {
        std::array<Rgba, 7> near{}, far{};
        for (int state = 0; state < 7; ++state) {
            near[size_t(state)] = premultiplied(FleetPalette::stateRgb(state), 0.30f);
            far[size_t(state)] = premultiplied(FleetPalette::stateRgb(state), 0.05f);
        }
        for (const DroneView &d : drones) {
            if (!d.isFlying() || !d.hasTarget())
                continue;
            const QPointF a = affine.map(d.latitude, d.longitude);
            const QPointF b = affine.map(d.targetLatitude, d.targetLongitude);
            if (visible(a, b))
                line(a, b, near[size_t(d.state)], far[size_t(d.state)]);
        }
        const size_t limit = size_t(detailed ? RouteBudget : RouteBudget * 4 / 5);
        detailed = m_out.size() / 2 <= limit;
        if (!detailed)
            m_out.clear();
    }
    // Selected things keep their route even with routes hidden, drawn last to sit on top.
    const Rgba strong = premultiplied(FleetPalette::Selection, 0.85f), faint = premultiplied(FleetPalette::Selection, 0.3f);
    for (int index : {frame.selectedDrone, frame.deliveryDrone}) {
        if (index < 0 || size_t(index) >= drones.size())
            continue;
        const DroneView &d = drones[size_t(index)];
        if (d.hasTarget())
            line(affine.map(d.latitude, d.longitude), affine.map(d.targetLatitude, d.targetLongitude), strong, faint);
    }
    if (frame.selectedDelivery >= 0 && size_t(frame.selectedDelivery) < frame.snapshot->deliveries.size()) {
        const DeliveryMarker &m = frame.snapshot->deliveries[size_t(frame.selectedDelivery)];
        const Rgba leg = premultiplied(FleetPalette::Selection, 0.45f);
        line(affine.map(m.pickupLatitude, m.pickupLongitude), affine.map(m.dropoffLatitude, m.dropoffLongitude), leg, leg);
    }
}

void FleetLayerBuilder::deliveryMarkers(const DeliveryMarker &m, const GeoProjection::Affine &affine, float grow,
                                        Rgba outline)
{
    const QPointF pickup = affine.map(m.pickupLatitude, m.pickupLongitude);
    const QPointF dropoff = affine.map(m.dropoffLatitude, m.dropoffLongitude);
    // The pickup greys out once collected, the dropoff once the delivery is over.
    const bool collected = m.isFinished() || m.stage == StageHeadedToDropoff;
    const Rgba pickupColour = premultiplied(collected ? FleetPalette::FinishedMarker : FleetPalette::PickupMarker);
    const Rgba dropoffColour = premultiplied(m.isFinished() ? FleetPalette::FinishedMarker : FleetPalette::DropoffMarker);
    markerShape(pickup, true, 1.45f * grow, outline);
    markerShape(pickup, true, grow, pickupColour);
    markerShape(dropoff, false, 1.45f * grow, outline);
    markerShape(dropoff, false, grow, dropoffColour);
}

void FleetLayerBuilder::markers(const FleetMapFrame &frame, bool &detailed)
{
    const GeoProjection::Affine affine = frame.projection.affine();
    const float w = float(frame.projection.viewport().width()), h = float(frame.projection.viewport().height());
    const auto inside = [&](QPointF p) {
        return p.x() >= -kCullMargin && p.x() <= w + kCullMargin && p.y() >= -kCullMargin && p.y() <= h + kCullMargin;
    };
    const auto &deliveries = frame.snapshot->deliveries;
    size_t visible = 0;
    for (const DeliveryMarker &m : deliveries) {
        if (inside(affine.map(m.pickupLatitude, m.pickupLongitude))
            || inside(affine.map(m.dropoffLatitude, m.dropoffLongitude)))
            ++visible;
    }
    detailed = visible <= size_t(detailed ? MarkerBudget : MarkerBudget * 4 / 5);

    if (detailed) {
        const Rgba outline = premultiplied(FleetPalette::Background);
        m_out.reserve(visible * 24);
        for (const DeliveryMarker &m : deliveries) {
            if (inside(affine.map(m.pickupLatitude, m.pickupLongitude))
                || inside(affine.map(m.dropoffLatitude, m.dropoffLongitude)))
                deliveryMarkers(m, affine, 1.0f, outline);
        }
        return;
    }
    // Decluttered: each open delivery's next stop only, as a dot (one small triangle).
    if (visible > size_t(DotBudget))
        return;
    const Rgba pickup = premultiplied(FleetPalette::PickupMarker, 0.75f);
    const Rgba dropoff = premultiplied(FleetPalette::DropoffMarker, 0.75f);
    m_out.reserve(visible * 3);
    for (const DeliveryMarker &m : deliveries) {
        if (m.isFinished())
            continue;
        const bool collected = m.stage == StageHeadedToDropoff;
        const QPointF p = collected ? affine.map(m.dropoffLatitude, m.dropoffLongitude)
                                    : affine.map(m.pickupLatitude, m.pickupLongitude);
        if (!inside(p))
            continue;
        const float x = float(p.x()), y = float(p.y());
        const Rgba colour = collected ? dropoff : pickup;
        add(x, y - 2.0f, colour), add(x - 2.0f, y + 1.5f, colour), add(x + 2.0f, y + 1.5f, colour);
    }
}

void FleetLayerBuilder::drones(const FleetMapFrame &frame)
{
    // The hot path at 50,000 drones: precomputed colours, no allocation per drone.
    std::array<Rgba, 7> light{}, dark{};
    for (int state = 0; state < 7; ++state) {
        light[size_t(state)] = premultiplied(FleetPalette::stateRgb(state));
        dark[size_t(state)] = premultiplied(shaded(FleetPalette::stateRgb(state), 0.72f));
    }
    const GeoProjection::Affine affine = frame.projection.affine();
    const float w = float(frame.projection.viewport().width()), h = float(frame.projection.viewport().height());
    // A little smaller when zoomed out, where drones crowd; continuous, so zooming never pops.
    const float scale = std::clamp(float(1.1 - frame.projection.metersPerPixel() / 100.0), 0.75f, 1.0f);
    m_out.reserve(frame.snapshot->drones.size() * VerticesPerDrone);
    for (const DroneView &d : frame.snapshot->drones) {
        const float x = float(d.longitude * affine.ax + affine.bx), y = float(d.latitude * affine.ay + affine.by);
        if (x < -kCullMargin || x > w + kCullMargin || y < -kCullMargin || y > h + kCullMargin)
            continue;
        const size_t state = d.state >= 0 && d.state < 7 ? size_t(d.state) : 0;
        droneShape(x, y, d.heading, d.isFlying(), scale, light[state], dark[state]);
    }
}

void FleetLayerBuilder::selection(const FleetMapFrame &frame)
{
    const auto &drones = frame.snapshot->drones;
    const GeoProjection::Affine affine = frame.projection.affine();
    const Rgba white = premultiplied(FleetPalette::Selection);
    const auto highlight = [&](int index, float ringAlpha) {
        if (index < 0 || size_t(index) >= drones.size())
            return;
        const DroneView &d = drones[size_t(index)];
        const QPointF p = affine.map(d.latitude, d.longitude);
        const QRgb rgb = FleetPalette::stateRgb(d.state);
        annulus(p, 13.0f, 15.0f, 40, premultiplied(FleetPalette::Selection, ringAlpha));
        droneShape(float(p.x()), float(p.y()), d.heading, d.isFlying(), 1.9f, white, white);
        droneShape(float(p.x()), float(p.y()), d.heading, d.isFlying(), 1.4f, premultiplied(rgb),
                   premultiplied(shaded(rgb, 0.72f)));
    };
    if (frame.deliveryDrone != frame.selectedDrone)
        highlight(frame.deliveryDrone, 0.5f);
    highlight(frame.selectedDrone, 0.95f);
    if (frame.selectedDelivery >= 0 && size_t(frame.selectedDelivery) < frame.snapshot->deliveries.size())
        deliveryMarkers(frame.snapshot->deliveries[size_t(frame.selectedDelivery)], affine, 1.5f, white);
}

} // namespace dd::fleetmap
