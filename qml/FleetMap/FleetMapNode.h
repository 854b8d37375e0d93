// Render-side root of the fleet map: one geometry node per layer, rebuilt only when its inputs changed.
#pragma once

#include "FleetLayerBuilder.h"
#include "FleetMapFrame.h"

#include <QtQuick/QSGNode>

#include <array>
#include <vector>

class QSGGeometryNode;

namespace dd::fleetmap {

/// Lives on the render thread; the item only calls sync() from updatePaintNode().
/// Every drone is in the single `Drones` node, whatever the fleet size. The backdrop
/// layers are opaque flat colours: the renderer draws them front to back with depth
/// testing, so software GL shades each backdrop pixel about once instead of blending
/// three full-window layers (measured: that blending cost as much as 10,000 drones).
class FleetMapNode : public QSGNode
{
public:
    enum Layer { Ground, ServiceArea, Water, ReferenceLines, Routes, Markers, Drones, Selection, LayerCount };

    FleetMapNode();

    void sync(const FleetMapFrame &frame);
    int vertexCount(Layer layer) const;

private:
    QSGGeometryNode *makeLayer(Layer layer);
    /// Copies m_scratch into the layer's geometry, reallocating only when the size changed.
    void commit(Layer layer);

    std::array<QSGGeometryNode *, LayerCount> m_layers{};
    std::vector<FleetLayerBuilder::Vertex> m_scratch; // reused frame to frame: no per-frame allocation
    std::uint64_t m_markersGeneration = 0;            // deliveries the markers layer shows
    bool m_routesDetailed = true;                      // level of detail, kept for hysteresis
    bool m_markersDetailed = true;
};

} // namespace dd::fleetmap
