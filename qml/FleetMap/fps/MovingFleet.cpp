// A self-contained fleet animation for the frame-rate probe: drones cycling hub → pickup → dropoff → hub.
#include "MovingFleet.h"

#include "BaseMap.h"
#include "GeoProjection.h"

#include <cmath>
#include <numbers>

namespace dd::fleetmap {

namespace {

QString deliveryName(int number)
{
    return QStringLiteral("dlv-%1").arg(number, 6, 10, QLatin1Char('0'));
}

double bearingDegrees(QPointF from, QPointF to)
{
    const double degrees = std::atan2(to.x() - from.x(), to.y() - from.y()) * 180.0 / std::numbers::pi;
    return degrees < 0 ? degrees + 360.0 : degrees;
}

} // namespace

MovingFleet::MovingFleet(int droneCount, unsigned seed)
    : m_random(seed)
{
    // Charging hubs spread over the area; parked drones sit in a small grid around them.
    for (int i = 0; i < 36; ++i)
        m_hubs.push_back(randomPointInArea());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<DeliveryMarker> deliveries;
    for (int i = 0; i < droneCount; ++i) {
        m_ids.push_back(QStringLiteral("drone-%1").arg(i + 1, 5, 10, QLatin1Char('0')));
        const QPointF hub = m_hubs[size_t(i) % m_hubs.size()];
        const int slot = i / int(m_hubs.size());
        Drone d;
        d.home = hub + QPointF((slot % 20 - 10) * 18.0, (slot / 20 % 20 - 10) * 18.0);
        d.position = d.target = d.home;
        d.battery = float(0.3 + 0.7 * unit(m_random));
        const double roll = unit(m_random);
        d.state = roll < 0.22 ? DroneIdle : roll < 0.32 ? DroneCharging : roll < 0.35 ? DroneMaintenance : DroneIdle;
        m_drones.push_back(d);
        if (roll >= 0.35) { // airborne somewhere along a delivery
            startDelivery(m_drones.back(), deliveries);
            Drone &flying = m_drones.back();
            const double along = unit(m_random);
            flying.position = flying.home + (flying.pickup - flying.home) * along;
            if (roll > 0.75) {
                flying.state = DroneFlyingToDropoff;
                flying.target = flying.dropoff;
                flying.position = flying.pickup + (flying.dropoff - flying.pickup) * along;
            }
        }
    }
    m_pendingDeliveries = std::move(deliveries);
}

QPointF MovingFleet::randomPointInArea()
{
    // Ashore, and denser towards downtown like real demand (u^0.9 rather than the uniform √u).
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (;;) {
        const double u = unit(m_random);
        const double r = GeoProjection::ServiceRadiusMeters * 0.97 * std::pow(u, 0.9);
        const double a = 2 * std::numbers::pi * unit(m_random);
        const QPointF p(r * std::cos(a), r * std::sin(a));
        if (!BaseMap::instance().isWater(GeoProjection::fromMeters(p)))
            return p;
    }
}

void MovingFleet::startDelivery(Drone &drone, std::vector<DeliveryMarker> &changed)
{
    drone.deliveryId = deliveryName(m_nextDelivery++);
    drone.pickup = randomPointInArea();
    drone.dropoff = randomPointInArea();
    drone.state = DroneFlyingToPickup;
    drone.target = drone.pickup;
    const GeoPoint p = GeoProjection::fromMeters(drone.pickup), q = GeoProjection::fromMeters(drone.dropoff);
    changed.push_back({drone.deliveryId, p.latitude, p.longitude, q.latitude, q.longitude,
                       StageHeadedToPickup});
}

void MovingFleet::step(double seconds, FleetState &state)
{
    std::vector<DeliveryMarker> changed = std::move(m_pendingDeliveries);
    m_pendingDeliveries.clear();
    std::vector<QString> finished;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<DroneView> views;
    views.reserve(m_drones.size());
    const double reach = m_speed * seconds;

    for (size_t i = 0; i < m_drones.size(); ++i) {
        Drone &d = m_drones[i];
        const bool flying = d.state == DroneFlyingToPickup || d.state == DroneFlyingToDropoff || d.state == DroneReturning;
        double heading = 0.0;
        if (flying) {
            const QPointF to = d.target - d.position;
            const double distance = std::hypot(to.x(), to.y());
            heading = bearingDegrees(d.position, d.target);
            d.battery = std::max(0.0f, d.battery - float(seconds * 0.0004));
            if (distance > reach) {
                d.position += to * (reach / distance);
            } else { // leg done: next leg of the cycle
                d.position = d.target;
                if (d.state == DroneFlyingToPickup) {
                    d.state = DroneFlyingToDropoff;
                    d.target = d.dropoff;
                    const GeoPoint p = GeoProjection::fromMeters(d.pickup), q = GeoProjection::fromMeters(d.dropoff);
                    changed.push_back({d.deliveryId, p.latitude, p.longitude, q.latitude, q.longitude,
                                       StageHeadedToDropoff});
                } else if (d.state == DroneFlyingToDropoff) {
                    finished.push_back(d.deliveryId);
                    d.deliveryId.clear();
                    d.state = DroneReturning;
                    d.target = d.home;
                } else {
                    d.state = d.battery < 0.5f ? DroneCharging : DroneIdle;
                }
            }
        } else if (d.state == DroneCharging) {
            d.battery = std::min(1.0f, d.battery + float(seconds * 0.01));
            if (d.battery >= 0.95f)
                d.state = DroneIdle;
        } else if (d.state == DroneIdle && unit(m_random) < seconds * 0.05) {
            startDelivery(d, changed);
        }

        const GeoPoint at = GeoProjection::fromMeters(d.position);
        const GeoPoint target = GeoProjection::fromMeters(d.target);
        DroneView view;
        view.id = m_ids[i];
        view.deliveryId = d.deliveryId;
        view.latitude = at.latitude;
        view.longitude = at.longitude;
        if (flying) {
            view.targetLatitude = target.latitude;
            view.targetLongitude = target.longitude;
        }
        view.heading = float(heading);
        view.battery = d.battery;
        view.state = d.state;
        views.push_back(std::move(view));
    }
    state.apply({std::move(views), std::move(changed), {}, std::move(finished)});
}

} // namespace dd::fleetmap
