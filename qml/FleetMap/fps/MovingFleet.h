// A self-contained fleet animation for the frame-rate probe: drones cycling hub → pickup → dropoff → hub.
#pragma once

#include "FleetState.h"

#include <QPointF>

#include <random>
#include <vector>

namespace dd::fleetmap {

/// Worst-case writer for FleetState: every tick rewrites every drone (the real bridge
/// sends only changed drones, ~10 times a second). Positions are in local metres and
/// converted once per tick; no Qt event loop involved, so it can run on any thread.
class MovingFleet
{
public:
    MovingFleet(int droneCount, unsigned seed = 42);

    /// Advances by `seconds` of simulated time and writes the result into `state`.
    void step(double seconds, FleetState &state);

private:
    struct Drone
    {
        QPointF position, target, home;
        int state = DroneIdle;
        QString deliveryId; // formatted once per delivery, not per tick
        QPointF pickup, dropoff;
        float battery = 1.0f;
    };

    QPointF randomPointInArea();
    void startDelivery(Drone &drone, std::vector<DeliveryMarker> &changed);

    std::mt19937 m_random;
    std::vector<Drone> m_drones;
    std::vector<QString> m_ids;
    std::vector<QPointF> m_hubs;
    std::vector<DeliveryMarker> m_pendingDeliveries; // created before the first step
    int m_nextDelivery = 1;
    double m_speed = 240.0; // m/s: 16x a real drone so motion shows within a 5 s run
};

} // namespace dd::fleetmap
