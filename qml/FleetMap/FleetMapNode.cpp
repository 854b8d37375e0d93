// Render-side root of the fleet map: one geometry node per layer, rebuilt only when its inputs changed.
#include "FleetMapNode.h"

#include "FleetPalette.h"

#include <QtQuick/QSGFlatColorMaterial>
#include <QtQuick/QSGGeometryNode>
#include <QtQuick/QSGVertexColorMaterial>

#include <cstring>

namespace dd::fleetmap {

namespace {

bool isFlat(FleetMapNode::Layer layer)
{
    return layer == FleetMapNode::Ground || layer == FleetMapNode::ServiceArea || layer == FleetMapNode::Water;
}

QRgb flatColour(FleetMapNode::Layer layer)
{
    switch (layer) {
    case FleetMapNode::ServiceArea: return FleetPalette::ServiceArea;
    case FleetMapNode::Water: return FleetPalette::Water;
    default: return FleetPalette::Background;
    }
}

} // namespace

FleetMapNode::FleetMapNode()
{
    // Child order is paint order: ground at the bottom, selection on top.
    for (int layer = 0; layer < LayerCount; ++layer) {
        m_layers[size_t(layer)] = makeLayer(Layer(layer));
        appendChildNode(m_layers[size_t(layer)]);
    }
}

QSGGeometryNode *FleetMapNode::makeLayer(Layer layer)
{
    auto *node = new QSGGeometryNode;
    QSGGeometry *geometry = nullptr;
    if (isFlat(layer)) {
        geometry = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), 0);
        auto *material = new QSGFlatColorMaterial;
        material->setColor(QColor::fromRgba(flatColour(layer))); // opaque: no blending
        node->setMaterial(material);
    } else {
        geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0);
        node->setMaterial(new QSGVertexColorMaterial);
    }
    const bool lines = layer == ReferenceLines || layer == Routes;
    geometry->setDrawingMode(lines ? QSGGeometry::DrawLines : QSGGeometry::DrawTriangles);
    // The data changes wholesale at up to display rate; hint the renderer accordingly.
    geometry->setVertexDataPattern(QSGGeometry::StreamPattern);
    node->setGeometry(geometry);
    node->setFlags(QSGNode::OwnsGeometry | QSGNode::OwnsMaterial);
    return node;
}

void FleetMapNode::commit(Layer layer)
{
    QSGGeometryNode *node = m_layers[size_t(layer)];
    QSGGeometry *geometry = node->geometry();
    const int count = int(m_scratch.size());
    if (geometry->vertexCount() != count)
        geometry->allocate(count);
    if (isFlat(layer)) {
        QSGGeometry::Point2D *points = geometry->vertexDataAsPoint2D();
        for (int i = 0; i < count; ++i)
            points[i].set(m_scratch[size_t(i)].x, m_scratch[size_t(i)].y);
    } else if (count > 0) {
        std::memcpy(geometry->vertexData(), m_scratch.data(), m_scratch.size() * sizeof(FleetLayerBuilder::Vertex));
    }
    geometry->markVertexDataDirty();
    node->markDirty(QSGNode::DirtyGeometry);
}

void FleetMapNode::sync(const FleetMapFrame &frame)
{
    if (!frame.snapshot)
        return;
    if (frame.viewDirty) {
        FleetLayerBuilder(m_scratch).ground(frame.projection);
        commit(Ground);
        FleetLayerBuilder(m_scratch).serviceArea(frame.projection);
        commit(ServiceArea);
        FleetLayerBuilder(m_scratch).water(frame.projection);
        commit(Water);
        FleetLayerBuilder(m_scratch).referenceLines(frame.projection);
        commit(ReferenceLines);
    }
    const bool moved = frame.viewDirty || frame.dataDirty;
    if (moved || frame.selectionDirty) {
        FleetLayerBuilder(m_scratch).routes(frame, m_routesDetailed);
        commit(Routes);
        FleetLayerBuilder(m_scratch).selection(frame);
        commit(Selection);
    }
    // Markers only move with the view or with delivery writes, not with every telemetry tick.
    if (frame.viewDirty || frame.snapshot->deliveryGeneration != m_markersGeneration) {
        FleetLayerBuilder(m_scratch).markers(frame, m_markersDetailed);
        commit(Markers);
        m_markersGeneration = frame.snapshot->deliveryGeneration;
    }
    if (moved) {
        FleetLayerBuilder(m_scratch).drones(frame);
        commit(Drones);
    }
}

int FleetMapNode::vertexCount(Layer layer) const
{
    return m_layers[size_t(layer)]->geometry()->vertexCount();
}

} // namespace dd::fleetmap
