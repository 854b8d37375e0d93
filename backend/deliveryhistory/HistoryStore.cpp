// HistoryStore: an append-only event table keyed by (source, sequence), indexed by delivery and by stage/time.
#include "backend/deliveryhistory/HistoryStore.h"

#include <sqlite3.h>

namespace dd::backend {

using namespace dronedelivery::v1;

// Normal, not Full: everything here is derived from Delivery's durable event log. A power
// loss can only roll back the last events together with the cursor (one transaction), and
// the subscription then replays them from Delivery's store. Saves an fsync per batch (~6 %
// of the e2e benchmark's CPU).
HistoryStore::HistoryStore(const std::string &path) : m_db(path, SqliteDb::Durability::Normal)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS events ("
              " source TEXT NOT NULL, sequence INTEGER NOT NULL, delivery_id TEXT NOT NULL, stage INTEGER NOT NULL,"
              " at_us INTEGER NOT NULL, type TEXT NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (source, sequence))");
    m_db.exec("CREATE INDEX IF NOT EXISTS events_delivery ON events(delivery_id, sequence)");
    m_db.exec("CREATE INDEX IF NOT EXISTS events_stage ON events(stage, at_us)");
    m_db.exec("CREATE INDEX IF NOT EXISTS events_time ON events(at_us)");
    m_db.exec("CREATE TABLE IF NOT EXISTS cursors (source TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL)");
    m_insert = m_db.prepare("INSERT OR IGNORE INTO events VALUES (?,?,?,?,?,?,?)");
    m_advance = m_db.prepare("INSERT INTO cursors VALUES (?1, ?2) ON CONFLICT(source) DO UPDATE"
                             " SET last_sequence = MAX(last_sequence, ?2)");
    m_cursor = m_db.prepare("SELECT last_sequence FROM cursors WHERE source=?");
    m_history = m_db.prepare("SELECT payload FROM events WHERE delivery_id=? ORDER BY sequence, source");
    // The oldest by events_time, a bounded slice at a time.
    m_prune = m_db.prepare("DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE at_us < ?"
                           " ORDER BY at_us LIMIT ?)");
}

bool HistoryStore::append(const std::string &source, std::uint64_t sequence, const std::string &type,
                          const DeliveryEvent &event)
{
    m_insert.bind(1, source)
        .bind(2, std::int64_t(sequence))
        .bind(3, event.delivery_id())
        .bind(4, int(event.stage()))
        .bind(5, event.at_us())
        .bind(6, type)
        .bindBlob(7, event.SerializeAsString())
        .run();
    const bool inserted = m_db.changes() > 0;
    skip(source, sequence);
    return inserted;
}

void HistoryStore::skip(const std::string &source, std::uint64_t sequence)
{
    m_advance.bind(1, source).bind(2, std::int64_t(sequence)).run();
}

std::uint64_t HistoryStore::lastSequence(const std::string &source)
{
    m_cursor.bind(1, source);
    const std::uint64_t last = m_cursor.step() ? std::uint64_t(m_cursor.integer(0)) : 0;
    m_cursor.reset();
    return last;
}

std::vector<DeliveryEvent> HistoryStore::history(const std::string &deliveryId)
{
    std::vector<DeliveryEvent> events;
    m_history.bind(1, deliveryId);
    while (m_history.step()) {
        DeliveryEvent event;
        if (event.ParseFromString(m_history.blob(0)))
            events.push_back(std::move(event));
    }
    m_history.reset();
    return events;
}

std::vector<DeliveryEvent> HistoryStore::query(DeliveryStage stage, net::Micros since, std::uint32_t limit)
{
    const bool byStage = stage != STAGE_UNSPECIFIED;
    auto select = m_db.prepare(std::string("SELECT payload FROM events WHERE at_us >= ?1")
                               + (byStage ? " AND stage = ?2" : "") + " ORDER BY at_us, sequence LIMIT ?3");
    select.bind(1, since);
    if (byStage)
        select.bind(2, int(stage));
    select.bind(3, std::int64_t(limit));
    std::vector<DeliveryEvent> events;
    while (select.step()) {
        DeliveryEvent event;
        if (event.ParseFromString(select.blob(0)))
            events.push_back(std::move(event));
    }
    return events;
}

std::uint64_t HistoryStore::count()
{
    auto select = m_db.prepare("SELECT COUNT(*) FROM events");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

std::size_t HistoryStore::pruneBefore(net::Micros cutoff, std::size_t slice)
{
    m_prune.bind(1, cutoff).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

void HistoryStore::begin()
{
    m_db.exec("BEGIN IMMEDIATE");
}

void HistoryStore::commit()
{
    m_db.exec("COMMIT");
}

void HistoryStore::rollback() noexcept
{
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace dd::backend
