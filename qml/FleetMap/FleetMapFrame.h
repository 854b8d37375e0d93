// What the fleet map hands its render-side node at each sync: data, view and what changed.
#pragma once

#include "FleetState.h"
#include "GeoProjection.h"

namespace dd::fleetmap {

/// Copied in updatePaintNode while the GUI thread is blocked, so the render side never
/// reads the item's members later. Indices point into snapshot->drones / ->deliveries.
struct FleetMapFrame
{
    FleetState::Snapshot snapshot;
    GeoProjection projection;
    int selectedDrone = -1;
    int selectedDelivery = -1;
    int deliveryDrone = -1; ///< the drone carrying the selected delivery, if any
    bool showRoutes = true;

    bool viewDirty = true;      ///< centre, zoom or size changed
    bool dataDirty = true;      ///< a new snapshot generation
    bool selectionDirty = true; ///< selection or showRoutes changed
};

} // namespace dd::fleetmap
