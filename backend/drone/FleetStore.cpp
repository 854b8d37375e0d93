// FleetStore: drones and assignments as SQLite rows.
#include "backend/drone/FleetStore.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
Location location(double latitude, double longitude, double altitude = 0)
{
    Location out;
    out.set_latitude(latitude);
    out.set_longitude(longitude);
    out.set_altitude(altitude);
    return out;
}

/// PRAGMA user_version of this file's layout. 0: before reservations (no assignments.depart_at).
constexpr int kSchemaVersion = 1;

bool atPad(DroneState state)
{
    return state == IDLE || state == CHARGING;
}
} // namespace

FleetStore::FleetStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    migrate();
    m_db.exec("CREATE TABLE IF NOT EXISTS drones ("
              " drone_id TEXT PRIMARY KEY, home_lat REAL NOT NULL, home_lon REAL NOT NULL,"
              " max_payload REAL NOT NULL, range_m REAL NOT NULL, battery REAL NOT NULL,"
              " lat REAL NOT NULL, lon REAL NOT NULL, alt REAL NOT NULL, heading REAL NOT NULL,"
              " state INTEGER NOT NULL, delivery_id TEXT NOT NULL, left_pad INTEGER NOT NULL)");
    m_db.exec(
        "CREATE TABLE IF NOT EXISTS assignments ("
        " delivery_id TEXT PRIMARY KEY, drone_id TEXT NOT NULL,"
        " pickup_lat REAL NOT NULL, pickup_lon REAL NOT NULL, dropoff_lat REAL NOT NULL, dropoff_lon REAL NOT NULL,"
        " weight REAL NOT NULL, expedited INTEGER NOT NULL, pickup_eta INTEGER NOT NULL,"
        " dropoff_eta INTEGER NOT NULL, status INTEGER NOT NULL, airborne INTEGER NOT NULL,"
        " depart_at INTEGER NOT NULL DEFAULT 0)");
    m_db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    m_saveDrone = m_db.prepare("INSERT OR REPLACE INTO drones VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_findAssignment = m_db.prepare("SELECT drone_id, pickup_lat, pickup_lon, dropoff_lat, dropoff_lon, weight,"
                                    " expedited, pickup_eta, dropoff_eta, status, airborne, depart_at"
                                    " FROM assignments WHERE delivery_id=?");
    m_saveAssignment = m_db.prepare("INSERT OR REPLACE INTO assignments (delivery_id, drone_id, pickup_lat, pickup_lon,"
                                    " dropoff_lat, dropoff_lon, weight, expedited, pickup_eta, dropoff_eta, status,"
                                    " airborne, depart_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_setStatus = m_db.prepare("UPDATE assignments SET status=?, airborne=? WHERE delivery_id=?");
    m_db.exec("CREATE INDEX IF NOT EXISTS assignments_released ON assignments(status, dropoff_eta)");
}

std::vector<FleetDrone> FleetStore::loadDrones()
{
    std::vector<FleetDrone> drones;
    // Sized up front: growing a vector of 10,000+ drones by doubling peaks at three times the fleet.
    if (auto count = m_db.prepare("SELECT COUNT(*) FROM drones"); count.step())
        drones.reserve(std::size_t(count.integer(0)));
    auto select = m_db.prepare("SELECT drone_id, home_lat, home_lon, max_payload, range_m, battery, lat, lon, alt,"
                               " heading, state, delivery_id, left_pad FROM drones ORDER BY drone_id");
    while (select.step()) {
        FleetDrone drone;
        drone.id = select.text(0);
        drone.home = location(select.real(1), select.real(2));
        drone.maxPayloadKg = select.real(3);
        drone.rangeMeters = select.real(4);
        drone.battery = select.real(5);
        drone.position = location(select.real(6), select.real(7), select.real(8));
        drone.heading = select.real(9);
        const auto state = select.integer(10);
        drone.state = DroneState_IsValid(int(state)) ? DroneState(state) : IDLE;
        drone.assignment.deliveryId = select.text(11);
        drone.leftPad = select.integer(12) != 0;
        drones.push_back(std::move(drone));
    }
    for (FleetDrone &drone : drones) {
        if (drone.assignment.deliveryId.empty())
            continue;
        if (auto stored = findAssignment(drone.assignment.deliveryId);
            stored && stored->assignment.droneId == drone.id) {
            drone.assignment = stored->assignment;
            // Booked and still on its pad: a reservation (an immediate booking is written flying).
            drone.reserved = stored->status == AssignmentStatus::Active && atPad(drone.state);
        } else if (drone.state == FLYING_TO_PICKUP || drone.state == FLYING_TO_DROPOFF)
            drone.state = RETURNING; // its booking is gone: nothing to fly to but home
    }
    return drones;
}

void FleetStore::saveDrone(const FleetDrone &drone)
{
    m_saveDrone.bind(1, drone.id)
        .bind(2, drone.home.latitude())
        .bind(3, drone.home.longitude())
        .bind(4, drone.maxPayloadKg)
        .bind(5, drone.rangeMeters)
        .bind(6, drone.battery)
        .bind(7, drone.position.latitude())
        .bind(8, drone.position.longitude())
        .bind(9, drone.position.altitude())
        .bind(10, drone.heading)
        .bind(11, int(drone.state))
        .bind(12, drone.assignment.deliveryId)
        .bind(13, drone.leftPad ? 1 : 0)
        .run();
}

std::optional<StoredAssignment> FleetStore::findAssignment(const std::string &deliveryId)
{
    m_findAssignment.bind(1, deliveryId);
    if (!m_findAssignment.step()) {
        m_findAssignment.reset();
        return std::nullopt;
    }
    StoredAssignment stored;
    Assignment &a = stored.assignment;
    a.deliveryId = deliveryId;
    a.droneId = m_findAssignment.text(0);
    a.pickup = location(m_findAssignment.real(1), m_findAssignment.real(2));
    a.dropoff = location(m_findAssignment.real(3), m_findAssignment.real(4));
    a.weightKg = m_findAssignment.real(5);
    a.expedited = m_findAssignment.integer(6) != 0;
    a.pickupEta = m_findAssignment.integer(7);
    a.dropoffEta = m_findAssignment.integer(8);
    const auto status = m_findAssignment.integer(9);
    stored.status = status == 1 ? AssignmentStatus::Delivered
        : status == 2           ? AssignmentStatus::Cancelled
                                : AssignmentStatus::Active;
    stored.airborneAtCancel = m_findAssignment.integer(10) != 0;
    a.departAt = m_findAssignment.integer(11);
    m_findAssignment.reset();
    return stored;
}

void FleetStore::saveAssignment(const StoredAssignment &stored)
{
    const Assignment &a = stored.assignment;
    m_saveAssignment.bind(1, a.deliveryId)
        .bind(2, a.droneId)
        .bind(3, a.pickup.latitude())
        .bind(4, a.pickup.longitude())
        .bind(5, a.dropoff.latitude())
        .bind(6, a.dropoff.longitude())
        .bind(7, a.weightKg)
        .bind(8, a.expedited ? 1 : 0)
        .bind(9, a.pickupEta)
        .bind(10, a.dropoffEta)
        .bind(11, int(stored.status))
        .bind(12, stored.airborneAtCancel ? 1 : 0)
        .bind(13, a.departAt)
        .run();
}

void FleetStore::migrate()
{
    auto version = m_db.prepare("PRAGMA user_version");
    const std::int64_t found = version.step() ? version.integer(0) : 0;
    version.reset();
    if (found >= kSchemaVersion)
        return;
    // Version 0 files (no reservations yet): their assignments left at once, depart_at 0 says so.
    auto hasAssignments = m_db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='assignments'");
    const bool existing = hasAssignments.step();
    hasAssignments.reset();
    if (existing) {
        auto hasColumn = m_db.prepare("SELECT 1 FROM pragma_table_info('assignments') WHERE name='depart_at'");
        const bool migrated = hasColumn.step();
        hasColumn.reset();
        if (!migrated)
            m_db.exec("ALTER TABLE assignments ADD COLUMN depart_at INTEGER NOT NULL DEFAULT 0");
    }
}

void FleetStore::setAssignmentStatus(const std::string &deliveryId, AssignmentStatus status, bool airborne)
{
    m_setStatus.bind(1, int(status)).bind(2, airborne ? 1 : 0).bind(3, deliveryId).run();
}

std::size_t FleetStore::pruneReleasedBefore(std::int64_t cutoff, std::size_t slice)
{
    auto prune = m_db.prepare("DELETE FROM assignments WHERE delivery_id IN (SELECT delivery_id FROM assignments"
                              " WHERE status IN (?1, ?2) AND dropoff_eta < ?3 LIMIT ?4)");
    prune.bind(1, int(AssignmentStatus::Delivered))
        .bind(2, int(AssignmentStatus::Cancelled))
        .bind(3, cutoff)
        .bind(4, std::int64_t(slice))
        .run();
    return std::size_t(m_db.changes());
}

} // namespace dd::backend
