// FleetSimulator: seeding the fleet, choosing a drone, flying the legs, draining and charging batteries.
#include "backend/drone/FleetSimulator.h"

#include "backend/common/Geo.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kMetersPerDegreeLatitude = 111320.0;

/// Uniform in [0, 1) from the generator's raw bits: the same on every standard library,
/// unlike std::uniform_real_distribution, so a seed means the same fleet everywhere.
double unit(std::mt19937_64 &random)
{
    return double(random() >> 11) * (1.0 / 9007199254740992.0);
}

bool flying(DroneState state)
{
    return state == FLYING_TO_PICKUP || state == FLYING_TO_DROPOFF || state == RETURNING;
}

bool freeAtPad(DroneState state)
{
    return state == IDLE || state == CHARGING;
}
} // namespace

FleetSimulator::FleetSimulator(const net::Clock &clock, FleetOptions options)
    : m_clock(clock), m_options(options), m_lastTick(clock.now())
{
    if (!(m_options.timeScale > 0))
        m_options.timeScale = 1.0;
}

std::string FleetSimulator::droneName(int number)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "drone-%04d", number);
    return buffer;
}

std::vector<FleetDrone> FleetSimulator::generateFleet(int size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<FleetDrone> fleet;
    fleet.reserve(std::size_t(std::max(size, 0)));
    const double metersPerDegreeLongitude = kMetersPerDegreeLatitude * std::cos(geo::kCenterLatitude * kPi / 180.0);
    for (int i = 1; i <= size; ++i) {
        FleetDrone drone;
        drone.id = droneName(i);
        // Pads spread uniformly by area over the inner 90 % of the service area.
        const double r = geo::kRadiusMeters * 0.9 * std::sqrt(unit(random));
        const double angle = 2 * kPi * unit(random);
        drone.home.set_latitude(geo::kCenterLatitude + r * std::cos(angle) / kMetersPerDegreeLatitude);
        drone.home.set_longitude(geo::kCenterLongitude + r * std::sin(angle) / metersPerDegreeLongitude);
        drone.position = drone.home;
        drone.battery = 0.5 + 0.5 * unit(random);
        drone.maxPayloadKg = std::round(5.0 + 15.0 * unit(random));
        drone.rangeMeters = std::round(50000.0 + 30000.0 * unit(random));
        drone.state = IDLE;
        fleet.push_back(std::move(drone));
    }
    return fleet;
}

void FleetSimulator::addDrone(FleetDrone drone)
{
    std::size_t index;
    if (auto it = m_byId.find(drone.id); it != m_byId.end()) {
        index = it->second;
        const FleetDrone &replaced = m_drones[index];
        m_byDelivery.erase(replaced.assignment.deliveryId);
        if (replaced.reserved)
            m_departures.erase({replaced.assignment.departAt, index});
        if (isFree(replaced))
            --m_freeAtPad;
        m_drones[index] = std::move(drone);
    } else {
        index = m_drones.size();
        m_byId.emplace(drone.id, index);
        m_drones.push_back(std::move(drone));
        m_changedFlag.push_back(false);
    }
    FleetDrone &added = m_drones[index];
    // Only a drone on its pad with a delivery can wait for one.
    added.reserved = added.reserved && freeAtPad(added.state) && !added.assignment.deliveryId.empty();
    if (isFree(added))
        ++m_freeAtPad;
    if ((added.state == FLYING_TO_PICKUP || added.state == FLYING_TO_DROPOFF || added.reserved)
        && !added.assignment.deliveryId.empty())
        m_byDelivery[added.assignment.deliveryId] = index;
    if (added.reserved)
        m_departures.insert({added.assignment.departAt, index});
    markChanged(index);
}

std::optional<std::size_t> FleetSimulator::indexOf(const std::string &droneId) const
{
    auto it = m_byId.find(droneId);
    return it == m_byId.end() ? std::nullopt : std::optional(it->second);
}

std::vector<std::size_t> FleetSimulator::page(const std::string &after, std::size_t limit) const
{
    std::vector<std::size_t> out;
    for (auto it = after.empty() ? m_byId.begin() : m_byId.upper_bound(after); it != m_byId.end() && out.size() < limit;
         ++it)
        out.push_back(it->second);
    return out;
}

double FleetSimulator::metersPerBattery(const FleetDrone &drone, double weightKg) const
{
    // A full payload costs half as much again per metre as flying empty.
    return drone.rangeMeters / (1.0 + 0.5 * weightKg / std::max(drone.maxPayloadKg, 0.1));
}

double FleetSimulator::energyFor(const FleetDrone &drone, const Location &pickup, const Location &dropoff,
                                 double weightKg) const
{
    return geo::distanceMeters(drone.position, pickup) / metersPerBattery(drone, 0)
        + geo::distanceMeters(pickup, dropoff) / metersPerBattery(drone, weightKg)
        + geo::distanceMeters(dropoff, drone.home) / metersPerBattery(drone, 0);
}

std::optional<Assignment> FleetSimulator::assign(const std::string &deliveryId, const Location &pickup,
    const Location &dropoff, double weightKg, bool expedited, net::Micros pickupAt)
{
    // One pass over the fleet per booking: compare squared planar distances (no cos, no sqrt per drone).
    const double xScale = kMetersPerDegreeLatitude * std::cos(pickup.latitude() * kPi / 180.0);
    const auto squaredDistance = [&](const Location &from) {
        const double dx = (from.longitude() - pickup.longitude()) * xScale;
        const double dy = (from.latitude() - pickup.latitude()) * kMetersPerDegreeLatitude;
        return dx * dx + dy * dy;
    };
    if (m_freeAtPad == 0) // the whole fleet is out: the usual case under load
        return std::nullopt;
    std::optional<std::size_t> best;
    double bestSquared = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < m_drones.size(); ++i) {
        const FleetDrone &drone = m_drones[i];
        if (!isFree(drone) || drone.maxPayloadKg < weightKg)
            continue;
        const double squared = squaredDistance(drone.position);
        if (squared > bestSquared || (squared == bestSquared && best && drone.id > m_drones[*best].id))
            continue;
        if (drone.battery - energyFor(drone, pickup, dropoff, weightKg) < m_options.reserve)
            continue;
        best = i;
        bestSquared = squared;
    }
    if (!best)
        return std::nullopt;

    FleetDrone &drone = m_drones[*best];
    Assignment assignment;
    assignment.deliveryId = deliveryId;
    assignment.droneId = drone.id;
    assignment.pickup = pickup;
    assignment.dropoff = dropoff;
    assignment.weightKg = weightKg;
    assignment.expedited = expedited;
    const double speed = expedited ? m_options.expeditedSpeed : m_options.cruiseSpeed;
    const auto realMicros = [&](double meters) {
        return net::Micros(meters / speed / m_options.timeScale * double(net::kSeconds));
    };
    const net::Micros now = m_clock.now();
    const net::Micros toPickup = realMicros(geo::distanceMeters(drone.position, pickup));
    // The wait is clock time, not scaled by timeScale: a pickup at 10:42 is at 10:42 whatever
    // --time-scale says; only the flights (and so the legs of the ETAs) run faster.
    const bool waits = pickupAt > now + toPickup;
    assignment.departAt = waits ? pickupAt - toPickup : now;
    assignment.pickupEta = assignment.departAt + toPickup;
    assignment.dropoffEta = assignment.pickupEta + realMicros(geo::distanceMeters(pickup, dropoff));
    drone.assignment = assignment;
    drone.leftPad = false;
    m_byDelivery[deliveryId] = *best;
    drone.heading = geo::bearingDegrees(drone.position, pickup);
    if (waits) {
        // Taken from the free drones now; it keeps charging on its pad, so the battery the
        // check above found enough is still there (or more) when it leaves.
        drone.reserved = true;
        --m_freeAtPad;
        m_departures.insert({assignment.departAt, *best});
        markChanged(*best);
    } else {
        setState(*best, FLYING_TO_PICKUP);
        drone.speed = legSpeed(drone);
    }
    return assignment;
}

bool FleetSimulator::isFree(const FleetDrone &drone) const
{
    return freeAtPad(drone.state) && !drone.reserved;
}

void FleetSimulator::unreserve(std::size_t index)
{
    FleetDrone &drone = m_drones[index];
    m_departures.erase({drone.assignment.departAt, index});
    drone.reserved = false;
    if (isFree(drone))
        ++m_freeAtPad;
    markChanged(index);
}

void FleetSimulator::depart(std::size_t index)
{
    unreserve(index);
    FleetDrone &drone = m_drones[index];
    drone.leftPad = false;
    setState(index, FLYING_TO_PICKUP);
    drone.speed = legSpeed(drone);
    drone.heading = geo::bearingDegrees(drone.position, drone.assignment.pickup);
}

std::optional<ReleaseResult> FleetSimulator::release(const std::string &deliveryId)
{
    auto it = m_byDelivery.find(deliveryId);
    if (it == m_byDelivery.end())
        return std::nullopt;
    const std::size_t index = it->second;
    m_byDelivery.erase(it);
    FleetDrone &drone = m_drones[index];
    ReleaseResult result{drone.id, drone.leftPad};
    if (drone.reserved) { // never left: it stays as it was, idle or charging
        unreserve(index);
        drone.assignment = Assignment {};
        return result;
    }
    drone.assignment = Assignment{};
    if (drone.leftPad) {
        setState(index, RETURNING);
        drone.speed = legSpeed(drone);
    } else {
        drone.position = drone.home;
        drone.speed = 0;
        setState(index, drone.battery < m_options.lowBattery ? CHARGING : IDLE);
    }
    return result;
}

std::optional<std::size_t> FleetSimulator::activeDrone(const std::string &deliveryId) const
{
    auto it = m_byDelivery.find(deliveryId);
    return it == m_byDelivery.end() ? std::nullopt : std::optional(it->second);
}

double FleetSimulator::legSpeed(const FleetDrone &drone) const
{
    if (drone.state == FLYING_TO_PICKUP || drone.state == FLYING_TO_DROPOFF)
        return drone.assignment.expedited ? m_options.expeditedSpeed : m_options.cruiseSpeed;
    return drone.state == RETURNING ? m_options.cruiseSpeed : 0.0;
}

const Location &FleetSimulator::targetOf(const FleetDrone &drone) const
{
    if (drone.state == FLYING_TO_PICKUP)
        return drone.assignment.pickup;
    if (drone.state == FLYING_TO_DROPOFF)
        return drone.assignment.dropoff;
    return drone.home;
}

void FleetSimulator::tick()
{
    const net::Micros now = m_clock.now();
    const net::Micros previous = m_lastTick;
    m_lastTick = now;
    if (now > previous)
        advance(net::Micros(double(now - previous) * m_options.timeScale));
    // A reserved drone leaves at its own departure time, not at the tick's: it flies the part of
    // this step after it, so it is at the pickup at the booked time however coarse the ticks.
    // (It charged on its pad for the whole step: at most one tick's worth.) Time before the
    // previous tick, such as a restart's downtime, is not caught up, as for a flight in the air.
    while (!m_departures.empty() && m_departures.begin()->first <= now) {
        const auto [departAt, index] = *m_departures.begin();
        depart(index);
        const net::Micros airborne = now - std::max(departAt, previous);
        if (airborne > 0)
            fly(index, double(airborne) * m_options.timeScale / double(net::kSeconds));
    }
}

void FleetSimulator::advance(net::Micros simulated)
{
    if (simulated <= 0)
        return;
    const double seconds = double(simulated) / double(net::kSeconds);
    for (std::size_t i = 0; i < m_drones.size(); ++i) {
        FleetDrone &drone = m_drones[i];
        if (flying(drone.state)) {
            fly(i, seconds);
        } else if (drone.battery < 1.0) {
            drone.battery = std::min(1.0, drone.battery + m_options.chargePerSecond * seconds);
            if (drone.state == CHARGING && drone.battery >= m_options.chargedBattery)
                setState(i, IDLE);
        }
    }
}

void FleetSimulator::fly(std::size_t index, double seconds)
{
    FleetDrone &drone = m_drones[index];
    // Leg by leg: one long step (a coarse tick, a big time scale) may finish several.
    while (seconds > 0 && flying(drone.state)) {
        const Location &target = targetOf(drone);
        const double speed = legSpeed(drone);
        const double distance = geo::distanceMeters(drone.position, target);
        const double legSeconds = distance / speed;
        const double step = legSeconds > seconds ? speed * seconds : distance;
        const double weight = drone.state == FLYING_TO_DROPOFF ? drone.assignment.weightKg : 0.0;
        if (distance > 0)
            drone.heading = geo::bearingDegrees(drone.position, target);
        drone.position = geo::moveTowards(drone.position, target, step);
        drone.position.set_altitude(m_options.cruiseAltitude);
        drone.battery = std::max(0.0, drone.battery - step / metersPerBattery(drone, weight));
        drone.speed = speed;
        if (step > 0)
            drone.leftPad = true;
        markChanged(index);
        if (legSeconds > seconds)
            break;
        seconds -= legSeconds;
        arrive(index);
    }
}

void FleetSimulator::arrive(std::size_t index)
{
    FleetDrone &drone = m_drones[index];
    switch (drone.state) {
    case FLYING_TO_PICKUP:
        setState(index, FLYING_TO_DROPOFF);
        break;
    case FLYING_TO_DROPOFF:
        // Delivered: no longer cancellable, but the id stays so trackers see the completion.
        m_byDelivery.erase(drone.assignment.deliveryId);
        setState(index, RETURNING);
        break;
    case RETURNING:
        drone.position = drone.home;
        drone.position.set_altitude(0);
        drone.speed = 0;
        drone.leftPad = false;
        setState(index, drone.battery < m_options.lowBattery ? CHARGING : IDLE);
        break;
    default:
        break;
    }
}

void FleetSimulator::setState(std::size_t index, DroneState state)
{
    FleetDrone &drone = m_drones[index];
    if (drone.state == state)
        return;
    m_phaseChanges.push_back({index, drone.state, state, drone.assignment.deliveryId});
    const bool wasFree = isFree(drone);
    drone.state = state;
    if (wasFree && !isFree(drone))
        --m_freeAtPad;
    else if (!wasFree && isFree(drone))
        ++m_freeAtPad;
    markChanged(index);
}

void FleetSimulator::markChanged(std::size_t index)
{
    if (!m_changedFlag[index]) {
        m_changedFlag[index] = true;
        m_changed.push_back(index);
    }
}

std::vector<std::size_t> FleetSimulator::takeChanged()
{
    for (std::size_t index : m_changed)
        m_changedFlag[index] = false;
    return std::exchange(m_changed, {});
}

std::vector<PhaseChange> FleetSimulator::takePhaseChanges()
{
    return std::exchange(m_phaseChanges, {});
}

DroneTelemetry FleetSimulator::telemetry(std::size_t index) const
{
    const FleetDrone &drone = m_drones[index];
    DroneTelemetry out;
    out.set_drone_id(drone.id);
    out.set_latitude(drone.position.latitude());
    out.set_longitude(drone.position.longitude());
    out.set_altitude(drone.position.altitude());
    out.set_heading(drone.heading);
    out.set_speed(flying(drone.state) ? drone.speed : 0.0);
    out.set_battery(drone.battery);
    out.set_state(drone.state);
    out.set_delivery_id(drone.assignment.deliveryId);
    out.set_at_us(m_clock.now());
    if (flying(drone.state))
        *out.mutable_target() = targetOf(drone);
    else if (drone.reserved) // what tells "reserved for this delivery" from "home after it"
        *out.mutable_target() = drone.assignment.pickup;
    return out;
}

} // namespace dd::backend
