// DeliveryStore: deliveries as a protobuf blob plus the columns that are filtered or updated often.
#include "backend/delivery/DeliveryStore.h"

#include <sqlite3.h>

#include <algorithm>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
// Columns read back into a Delivery: the blob, then the position columns that supersede it.
constexpr const char *kRowColumns = "data, lat, lon, alt, pickup_eta, delivery_eta";

bool hasColumn(SqliteDb &db, const char *table, const char *column)
{
    for (auto info = db.prepare(std::string("PRAGMA table_info(") + table + ")"); info.step();)
        if (info.text(1) == column)
            return true;
    return false;
}
} // namespace

DeliveryStore::DeliveryStore(const std::string &path, const net::Clock &clock)
    : m_db(path, SqliteDb::Durability::Full), m_clock(clock)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS deliveries ("
              " delivery_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, stage INTEGER NOT NULL,"
              " drone_id TEXT NOT NULL, data BLOB NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
              " alt REAL NOT NULL, pickup_eta INTEGER NOT NULL, delivery_eta INTEGER NOT NULL)");
    m_db.exec("CREATE INDEX IF NOT EXISTS deliveries_stage ON deliveries(stage, delivery_id)");
    m_db.exec("CREATE INDEX IF NOT EXISTS deliveries_owner ON deliveries(owner_id, delivery_id)");
    m_db.exec("CREATE TABLE IF NOT EXISTS events ("
              " sequence INTEGER PRIMARY KEY, topic TEXT NOT NULL, envelope BLOB NOT NULL, payload BLOB NOT NULL)");
    // Retention (version 2): when a delivery last changed, and when an event was stored. Rows of
    // an older file count from the upgrade, so none is pruned before a full retention has passed.
    if (!hasColumn(m_db, "deliveries", "updated_at")) {
        m_db.exec("ALTER TABLE deliveries ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0");
        m_db.exec("UPDATE deliveries SET updated_at = " + std::to_string(m_clock.now()));
    }
    if (!hasColumn(m_db, "events", "stored_at")) {
        m_db.exec("ALTER TABLE events ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0");
        m_db.exec("UPDATE events SET stored_at = " + std::to_string(m_clock.now()));
    }
    // Only terminal rows are pruned: (stage, updated_at) finds the old ones of each terminal stage.
    m_db.exec("CREATE INDEX IF NOT EXISTS deliveries_stage_updated ON deliveries(stage, updated_at)");
    m_find = m_db.prepare(std::string("SELECT ") + kRowColumns + " FROM deliveries WHERE delivery_id=?");
    m_save = m_db.prepare("INSERT OR REPLACE INTO deliveries (delivery_id, owner_id, stage, drone_id, data, lat, lon,"
                          " alt, pickup_eta, delivery_eta, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    m_savePosition = m_db.prepare("UPDATE deliveries SET lat=?, lon=?, alt=?, pickup_eta=?, delivery_eta=?"
                                  " WHERE delivery_id=?");
    m_appendEvent = m_db.prepare("INSERT OR REPLACE INTO events (sequence, topic, envelope, payload, stored_at)"
                                 " VALUES (?,?,?,?,?)");
    m_pruneDeliveries = m_db.prepare("DELETE FROM deliveries WHERE delivery_id IN (SELECT delivery_id FROM deliveries"
                                     " WHERE stage IN (?1, ?2, ?3) AND updated_at < ?4 LIMIT ?5)");
    // Events are appended in time order, so the old ones are a prefix of the primary key: the
    // slice is the oldest `slice` rows, of which those stored before the cutoff go (no index
    // on stored_at, which would cost every append a second b-tree write).
    m_pruneEvents = m_db.prepare("DELETE FROM events WHERE sequence IN (SELECT sequence FROM events"
                                 " WHERE sequence < (SELECT MAX(sequence) FROM events) ORDER BY sequence LIMIT ?2)"
                                 " AND stored_at < ?1");
}

Delivery DeliveryStore::readRow(Statement &statement)
{
    Delivery delivery;
    const std::string blob = statement.blob(0);
    delivery.ParseFromString(blob);
    Location *location = delivery.mutable_last_known_location();
    location->set_latitude(statement.real(1));
    location->set_longitude(statement.real(2));
    location->set_altitude(statement.real(3));
    delivery.set_pickup_eta_us(statement.integer(4));
    delivery.set_delivery_eta_us(statement.integer(5));
    return delivery;
}

std::optional<Delivery> DeliveryStore::find(const std::string &deliveryId)
{
    m_find.bind(1, deliveryId);
    std::optional<Delivery> found;
    if (m_find.step())
        found = readRow(m_find);
    m_find.reset();
    return found;
}

void DeliveryStore::save(const Delivery &delivery)
{
    m_save.bind(1, delivery.delivery_id())
        .bind(2, delivery.owner_id())
        .bind(3, int(delivery.stage()))
        .bind(4, delivery.drone_id())
        .bindBlob(5, delivery.SerializeAsString())
        .bind(6, delivery.last_known_location().latitude())
        .bind(7, delivery.last_known_location().longitude())
        .bind(8, delivery.last_known_location().altitude())
        .bind(9, delivery.pickup_eta_us())
        .bind(10, delivery.delivery_eta_us())
        .bind(11, delivery.updated_at_us() > 0 ? delivery.updated_at_us() : m_clock.now())
        .run();
}

void DeliveryStore::savePosition(const std::string &deliveryId, const Location &location, net::Micros pickupEta,
                                 net::Micros deliveryEta)
{
    m_savePosition.bind(1, location.latitude())
        .bind(2, location.longitude())
        .bind(3, location.altitude())
        .bind(4, pickupEta)
        .bind(5, deliveryEta)
        .bind(6, deliveryId)
        .run();
}

DeliveryList DeliveryStore::list(const DeliveryListRequest &request, std::uint32_t limit)
{
    // Only the filters asked for go into the SQL, so each shape can use its index.
    std::string where = " WHERE 1=1";
    if (request.stage() != STAGE_UNSPECIFIED)
        where += " AND stage=?1";
    if (!request.owner_id().empty())
        where += " AND owner_id=?2";
    if (!request.search().empty())
        where += " AND (instr(delivery_id, ?3) > 0 OR instr(owner_id, ?3) > 0)";
    const auto bindFilters = [&](Statement &statement) {
        if (request.stage() != STAGE_UNSPECIFIED)
            statement.bind(1, int(request.stage()));
        if (!request.owner_id().empty())
            statement.bind(2, request.owner_id());
        if (!request.search().empty())
            statement.bind(3, request.search());
    };

    DeliveryList list;
    auto count = m_db.prepare("SELECT COUNT(*) FROM deliveries" + where);
    bindFilters(count);
    if (count.step())
        list.set_total(std::uint64_t(count.integer(0)));

    auto page = m_db.prepare(std::string("SELECT ") + kRowColumns + " FROM deliveries" + where
                             + (request.after().empty() ? "" : " AND delivery_id > ?4") + " ORDER BY delivery_id LIMIT ?5");
    bindFilters(page);
    if (!request.after().empty())
        page.bind(4, request.after());
    page.bind(5, std::int64_t(limit) + 1); // one more tells whether there is a next page
    while (page.step()) {
        if (std::uint32_t(list.deliveries_size()) == limit) {
            list.set_next_after(list.deliveries(list.deliveries_size() - 1).delivery_id());
            break;
        }
        *list.add_deliveries() = readRow(page);
    }
    return list;
}

std::vector<Delivery> DeliveryStore::unfinished()
{
    std::vector<Delivery> out;
    auto select = m_db.prepare(std::string("SELECT ") + kRowColumns + " FROM deliveries WHERE stage NOT IN (?,?,?)");
    select.bind(1, int(STAGE_COMPLETED)).bind(2, int(STAGE_CANCELLED)).bind(3, int(STAGE_FAILED));
    while (select.step())
        out.push_back(readRow(select));
    return out;
}

void DeliveryStore::appendEvent(const net::StoredEvent &event)
{
    m_appendEvent.bind(1, std::int64_t(event.sequence))
        .bind(2, event.topic)
        .bindBlob(3, event.envelope)
        .bindBlob(4, event.payload)
        .bind(5, m_clock.now())
        .run();
}

std::vector<net::StoredEvent> DeliveryStore::recentEvents(std::size_t max)
{
    std::vector<net::StoredEvent> events;
    // Newest first straight off the primary key, reversed here: an outer ORDER BY would
    // make SQLite sort all the blobs in memory (8 MB for 20,000 events).
    auto select = m_db.prepare("SELECT sequence, topic, envelope, payload FROM events ORDER BY sequence DESC LIMIT ?");
    select.bind(1, std::int64_t(max));
    events.reserve(std::min<std::size_t>(max, 1 << 16));
    while (select.step())
        events.push_back({std::uint64_t(select.integer(0)), select.text(1), select.blob(2), select.blob(3)});
    std::reverse(events.begin(), events.end());
    return events;
}

std::vector<net::StoredEvent> DeliveryStore::eventsFrom(std::uint64_t from, std::size_t max)
{
    std::vector<net::StoredEvent> events;
    auto select = m_db.prepare("SELECT sequence, topic, envelope, payload FROM events WHERE sequence >= ?"
                               " ORDER BY sequence LIMIT ?");
    select.bind(1, std::int64_t(from));
    select.bind(2, std::int64_t(max));
    while (select.step())
        events.push_back({std::uint64_t(select.integer(0)), select.text(1), select.blob(2), select.blob(3)});
    return events;
}

std::uint64_t DeliveryStore::lastEventSequence()
{
    auto select = m_db.prepare("SELECT COALESCE(MAX(sequence), 0) FROM events");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

std::size_t DeliveryStore::pruneDeliveriesBefore(net::Micros cutoff, std::size_t slice)
{
    m_pruneDeliveries.bind(1, int(STAGE_COMPLETED))
        .bind(2, int(STAGE_CANCELLED))
        .bind(3, int(STAGE_FAILED))
        .bind(4, cutoff)
        .bind(5, std::int64_t(slice))
        .run();
    return std::size_t(m_db.changes());
}

std::size_t DeliveryStore::pruneEventsBefore(net::Micros cutoff, std::size_t slice)
{
    m_pruneEvents.bind(1, cutoff).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

std::uint64_t DeliveryStore::eventCount()
{
    auto select = m_db.prepare("SELECT COUNT(*) FROM events");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

std::uint64_t DeliveryStore::deliveryCount()
{
    auto select = m_db.prepare("SELECT COUNT(*) FROM deliveries");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

void DeliveryStore::begin()
{
    m_db.exec("BEGIN IMMEDIATE");
}

void DeliveryStore::commit()
{
    m_db.exec("COMMIT");
}

void DeliveryStore::rollback() noexcept
{
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void DeliveryStore::savepoint()
{
    m_db.exec("SAVEPOINT change");
}

void DeliveryStore::releaseSavepoint()
{
    m_db.exec("RELEASE change");
}

void DeliveryStore::rollbackToSavepoint() noexcept
{
    sqlite3_exec(m_db.handle(), "ROLLBACK TO change; RELEASE change", nullptr, nullptr, nullptr);
}

} // namespace dd::backend
