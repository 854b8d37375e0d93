// The fleet's physics: drones at charging pads, flights pickup → dropoff → home, battery; no sockets, no SQL.
#pragma once

#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dd::backend {

struct FleetOptions
{
    double cruiseSpeed = 15.0;        ///< m/s (simulated)
    double expeditedSpeed = 20.0;     ///< m/s on the legs of an expedited delivery
    double cruiseAltitude = 120.0;    ///< m while airborne
    double timeScale = 1.0;           ///< simulated seconds per real second (tick() and ETAs)
    double reserve = 0.10;            ///< battery a drone must still have when back home
    double chargePerSecond = 1.0 / 2700; ///< empty to full in 45 simulated minutes
    double lowBattery = 0.30;         ///< home with less than this: CHARGING until chargedBattery
    double chargedBattery = 0.90;
};

/// One delivery booked on one drone; the ETAs and the departure are real (clock) time.
struct Assignment
{
    std::string deliveryId;
    std::string droneId;
    dronedelivery::v1::Location pickup;
    dronedelivery::v1::Location dropoff;
    double weightKg = 0;
    bool expedited = false;
    net::Micros pickupEta = 0;
    net::Micros dropoffEta = 0;
    /// When it leaves its pad: the booking time, or later for a pickup time further ahead
    /// than the flight there (the drone waits reserved until then).
    net::Micros departAt = 0;
};

struct FleetDrone
{
    std::string id;
    dronedelivery::v1::Location home; ///< its charging pad
    dronedelivery::v1::Location position;
    double battery = 1.0;             ///< 0..1
    double maxPayloadKg = 10;
    double rangeMeters = 60000;       ///< on a full battery, unladen
    dronedelivery::v1::DroneState state = dronedelivery::v1::IDLE;
    double heading = 0;
    double speed = 0;
    /// The current delivery while FLYING_TO_*; the one just delivered while it
    /// flies home and idles (so trackers see the completion); empty after a cancel.
    Assignment assignment;
    bool leftPad = false;             ///< airborne since its assignment began
    /// Booked for assignment but waiting at its pad (IDLE or CHARGING, still charging) until
    /// assignment.departAt. No DroneState says "reserved": its telemetry tells it by naming the
    /// delivery with a target (the pickup) while at the pad; a drone home after a delivery has no target.
    bool reserved = false;
};

/// A drone's flight phase changed (the service persists these at once).
struct PhaseChange
{
    std::size_t index = 0;
    dronedelivery::v1::DroneState from = dronedelivery::v1::DRONE_STATE_UNSPECIFIED;
    dronedelivery::v1::DroneState to = dronedelivery::v1::DRONE_STATE_UNSPECIFIED;
    std::string deliveryId;
};

struct ReleaseResult
{
    std::string droneId;
    bool airborne = false;
};

/// Used from one thread (the Drone service's loop). Time only moves through
/// advance(simulated) or tick(), which reads the injected clock.
class FleetSimulator
{
public:
    explicit FleetSimulator(const net::Clock &clock, FleetOptions options = {});

    /// `size` drones "drone-0001"…, pads, batteries, payloads and ranges drawn from `seed`.
    static std::vector<FleetDrone> generateFleet(int size, std::uint64_t seed);
    static std::string droneName(int number);

    /// Adds (or replaces, by id) a drone, e.g. restored from the store with its assignment.
    void addDrone(FleetDrone drone);
    std::size_t size() const { return m_drones.size(); }
    const FleetDrone &drone(std::size_t index) const { return m_drones[index]; }
    std::optional<std::size_t> indexOf(const std::string &droneId) const;
    /// Up to `limit` drone indices in id order, ids strictly after `after`.
    std::vector<std::size_t> page(const std::string &after, std::size_t limit) const;

    /// Battery fraction a trip home → pickup → dropoff → home costs this drone.
    double energyFor(const FleetDrone &drone, const dronedelivery::v1::Location &pickup,
                     const dronedelivery::v1::Location &dropoff, double weightKg) const;
    /// Books the free drone (at its pad, unreserved, payload and battery enough) nearest to the
    /// pickup; nullopt when none fits. Fills droneId, the departure and the ETAs. With `pickupAt`
    /// (clock time) further ahead than the flight to the pickup, the drone is reserved and leaves
    /// at pickupAt − that flight; otherwise (0, past, too near) it leaves now.
    std::optional<Assignment> assign(const std::string &deliveryId, const dronedelivery::v1::Location &pickup,
        const dronedelivery::v1::Location &dropoff, double weightKg, bool expedited, net::Micros pickupAt = 0);
    /// Drops the delivery's active assignment; an airborne drone flies home, a reserved one is
    /// free again. nullopt: not active.
    std::optional<ReleaseResult> release(const std::string &deliveryId);
    /// The drone reserved for or flying this delivery (to pickup or dropoff), if any.
    std::optional<std::size_t> activeDrone(const std::string &deliveryId) const;

    /// Advances by the real time since the last tick × timeScale, and sends off the reserved
    /// drones whose departure time the clock has reached.
    void tick();
    /// Simulated time only (flights, charging): departures wait for the clock (tick()).
    void advance(net::Micros simulated);

    /// Drones that moved or changed since the last call (each once).
    std::vector<std::size_t> takeChanged();
    std::vector<PhaseChange> takePhaseChanges();

    dronedelivery::v1::DroneTelemetry telemetry(std::size_t index) const;
    const FleetOptions &options() const { return m_options; }
    const net::Clock &clock() const { return m_clock; }

private:
    bool isFree(const FleetDrone &drone) const;
    void depart(std::size_t index);
    void unreserve(std::size_t index);
    double legSpeed(const FleetDrone &drone) const;
    double metersPerBattery(const FleetDrone &drone, double weightKg) const;
    const dronedelivery::v1::Location &targetOf(const FleetDrone &drone) const;
    void fly(std::size_t index, double seconds);
    void arrive(std::size_t index);
    void setState(std::size_t index, dronedelivery::v1::DroneState state);
    void markChanged(std::size_t index);

    const net::Clock &m_clock;
    FleetOptions m_options;
    net::Micros m_lastTick;
    std::vector<FleetDrone> m_drones;
    /// Drones idle or charging at their pad, not reserved: with none, a booking needs no pass over the fleet.
    std::size_t m_freeAtPad = 0;
    std::set<std::pair<net::Micros, std::size_t>> m_departures; ///< reserved drones by departure time
    std::map<std::string, std::size_t> m_byId;                  ///< ordered: List pages by id
    std::unordered_map<std::string, std::size_t> m_byDelivery;  ///< active assignments only
    std::vector<bool> m_changedFlag;
    std::vector<std::size_t> m_changed;
    std::vector<PhaseChange> m_phaseChanges;
};

} // namespace dd::backend
