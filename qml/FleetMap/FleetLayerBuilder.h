// Writes the vertices of each fleet map layer (backdrop, routes, markers, drones, selection).
#pragma once

#include "FleetMapFrame.h"

#include <QRgb>
#include <QtQuick/QSGGeometry>

#include <vector>

namespace dd::fleetmap {

/// All layers are plain coloured triangles or lines in item pixels, so every layer uses
/// QSGVertexColorMaterial and the whole map needs no custom shader. Shapes keep a
/// constant pixel size whatever the zoom, like markers on any map.
class FleetLayerBuilder
{
public:
    using Vertex = QSGGeometry::ColoredPoint2D;

    /// Vertices per drone in the drones layer: one triangle.
    static constexpr int VerticesPerDrone = 3;
    /// Past this many visible routes or deliveries a layer declutters: routes are hidden
    /// (except the selection's), markers shrink to one dot at each delivery's next stop,
    /// and past DotBudget those dots go too. Thousands of overlapping lines and markers
    /// read as noise, and on software GL they cost as much as the drones themselves.
    /// A layer returns to full detail below 80 % of its budget, so the edge does not flicker.
    static constexpr int RouteBudget = 1500;
    static constexpr int MarkerBudget = 1500;
    static constexpr int DotBudget = 10000;

    explicit FleetLayerBuilder(std::vector<Vertex> &out) : m_out(out) { m_out.clear(); }

    // The backdrop: three opaque single-colour layers (the colour written here is unused).
    void ground(const GeoProjection &projection);         // triangles
    void serviceArea(const GeoProjection &projection);    // triangles
    void water(const GeoProjection &projection);          // triangles
    void referenceLines(const GeoProjection &projection); // lines
    void routes(const FleetMapFrame &frame, bool &detailed);  // lines
    void markers(const FleetMapFrame &frame, bool &detailed); // triangles
    void drones(const FleetMapFrame &frame);              // triangles
    void selection(const FleetMapFrame &frame);           // triangles

private:
    struct Rgba
    {
        uchar r, g, b, a;
    };
    /// QSGVertexColorMaterial expects premultiplied colours.
    static Rgba premultiplied(QRgb rgb, float alpha = 1.0f);

    void add(float x, float y, Rgba c) { m_out.push_back({x, y, c.r, c.g, c.b, c.a}); }
    void triangle(QPointF a, QPointF b, QPointF c, Rgba colour);
    void line(QPointF a, QPointF b, Rgba from, Rgba to);
    void ring(QPointF centre, double radius, int segments, Rgba colour);          // line loop
    void annulus(QPointF centre, float inner, float outer, int segments, Rgba colour);
    void droneShape(float x, float y, float heading, bool airborne, float scale, Rgba light, Rgba dark);
    void markerShape(QPointF at, bool pickup, float scale, Rgba colour);
    void deliveryMarkers(const DeliveryMarker &marker, const GeoProjection::Affine &affine, float grow,
                         Rgba outline);

    std::vector<Vertex> &m_out;
};

} // namespace dd::fleetmap
