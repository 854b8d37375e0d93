// The fleet map's colours in one place, for the C++ renderer and (as a singleton) for QML.
#include "FleetPalette.h"

namespace dd::fleetmap {

QString FleetPalette::stateName(int state) const
{
    switch (state) {
    case 1: return tr("Idle");
    case 2: return tr("To pickup");
    case 3: return tr("To dropoff");
    case 4: return tr("Returning");
    case 5: return tr("Charging");
    case 6: return tr("Maintenance");
    default: return tr("Unknown");
    }
}

} // namespace dd::fleetmap
