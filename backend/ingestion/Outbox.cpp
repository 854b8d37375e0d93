// Outbox: group-committed appends, acknowledgements by sequence, idempotency keys.
#include "backend/ingestion/Outbox.h"

#include <algorithm>
#include <unordered_map>

namespace dd::backend {

using dronedelivery::v1::DeliveryRequest;

Outbox::Outbox(const std::string &path, std::uint64_t capacity)
    // Shared: what was accepted can be checked on disk while Ingestion runs.
    : m_db(path, SqliteDb::Durability::Full, SqliteDb::Access::Shared), m_capacity(capacity)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, delivery_id TEXT NOT NULL,"
              " request BLOB NOT NULL, accepted_at INTEGER NOT NULL)");
    m_db.exec("CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
              " request BLOB NOT NULL, created_at INTEGER NOT NULL)");
    m_db.exec("CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency(created_at)");
    m_db.exec("CREATE INDEX IF NOT EXISTS outbox_delivery ON outbox(delivery_id)");
    // The sequence high-water marks survive even when every row has been acknowledged
    // and deleted, so a restarted outbox never hands out a sequence twice.
    m_db.exec("CREATE TABLE IF NOT EXISTS stream_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
              " acked_through INTEGER NOT NULL, last_seq INTEGER NOT NULL)");
    m_db.exec("INSERT OR IGNORE INTO stream_state (id, acked_through, last_seq) VALUES (1, 0, 0)");

    auto state = m_db.prepare("SELECT acked_through, last_seq FROM stream_state WHERE id = 1");
    if (state.step()) {
        m_ackedThrough = std::uint64_t(state.integer(0));
        m_lastSequence = std::uint64_t(state.integer(1));
    }
    auto maxSeq = m_db.prepare("SELECT COALESCE(MAX(seq), 0) FROM outbox");
    if (maxSeq.step())
        m_lastSequence = std::max(m_lastSequence, std::uint64_t(maxSeq.integer(0)));
    m_lastSequence = std::max(m_lastSequence, m_ackedThrough);

    m_insert = m_db.prepare("INSERT INTO outbox (seq, delivery_id, request, accepted_at) VALUES (?, ?, ?, ?)");
    m_insertKey = m_db.prepare("INSERT INTO idempotency (key, seq, request, created_at) VALUES (?, ?, ?, ?)");
    m_findKey = m_db.prepare("SELECT request FROM idempotency WHERE key = ?");
    m_deleteThrough = m_db.prepare("DELETE FROM outbox WHERE seq <= ?");
    m_setState = m_db.prepare("UPDATE stream_state SET acked_through = ?, last_seq = ? WHERE id = 1");
    m_pending = m_db.prepare("SELECT request FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
    // The oldest first off idempotency_created; LIMIT -1 (an unlimited slice) is no limit.
    m_pruneKeys = m_db.prepare("DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency"
                               " WHERE created_at < ? ORDER BY created_at LIMIT ?)");
    m_findPending = m_db.prepare("SELECT request FROM outbox WHERE delivery_id = ? ORDER BY seq DESC LIMIT 1");
}

std::vector<Outbox::Result> Outbox::append(const std::vector<Append> &group, net::Micros now)
{
    std::vector<Result> results(group.size());
    std::unordered_map<std::string, std::size_t> keysInGroup;
    std::uint64_t last = m_lastSequence;
    std::string bytes;
    bool wrote = false;

    if (m_db.durability() != SqliteDb::Durability::Full) // an acknowledgement left it at Normal
        m_db.setDurability(SqliteDb::Durability::Full);
    m_db.transaction([&] {
        for (std::size_t i = 0; i < group.size(); ++i) {
            const Append &item = group[i];
            Result &result = results[i];
            if (!item.idempotencyKey.empty()) {
                auto earlier = keysInGroup.find(item.idempotencyKey);
                if (earlier != keysInGroup.end()) {
                    result.outcome = Outcome::Replayed;
                    result.request = results[earlier->second].request;
                    continue;
                }
                if (auto stored = findKey(item.idempotencyKey)) {
                    result.outcome = Outcome::Replayed;
                    result.request = std::move(*stored);
                    continue;
                }
            }
            if (last - m_ackedThrough >= m_capacity) {
                result.outcome = Outcome::Full;
                continue;
            }
            result.outcome = Outcome::Appended;
            result.request = item.request;
            result.request.set_stream_sequence(++last);
            bytes.clear();
            result.request.SerializeToString(&bytes);
            m_insert.bind(1, std::int64_t(last))
                .bind(2, result.request.delivery_id())
                .bindBlob(3, bytes)
                .bind(4, std::int64_t(result.request.accepted_at_us()));
            m_insert.run();
            if (!item.idempotencyKey.empty()) {
                m_insertKey.bind(1, item.idempotencyKey).bind(2, std::int64_t(last)).bindBlob(3, bytes).bind(4, now);
                m_insertKey.run();
                keysInGroup.emplace(item.idempotencyKey, i);
            }
            wrote = true;
        }
        if (wrote) {
            m_setState.bind(1, std::int64_t(m_ackedThrough)).bind(2, std::int64_t(last));
            m_setState.run();
        }
    });
    // Only a committed transaction moves the sequence on.
    m_lastSequence = last;
    if (wrote)
        ++m_commits;
    return results;
}

std::uint64_t Outbox::acknowledge(std::uint64_t through)
{
    through = std::min(through, m_lastSequence);
    if (through <= m_ackedThrough)
        return 0;
    // No fsync for an acknowledgement: if a power loss takes it, the rows are streamed
    // again and the Scheduler knows them by sequence. The next append's fsync covers it
    // anyway (the WAL is one ordered log). Halves the outbox's fsyncs under load.
    if (m_db.durability() != SqliteDb::Durability::Normal)
        m_db.setDurability(SqliteDb::Durability::Normal);
    m_db.transaction([&] {
        m_deleteThrough.bind(1, std::int64_t(through));
        m_deleteThrough.run();
        m_setState.bind(1, std::int64_t(through)).bind(2, std::int64_t(m_lastSequence));
        m_setState.run();
    });
    const std::uint64_t acknowledged = through - m_ackedThrough;
    m_ackedThrough = through;
    ++m_commits;
    return acknowledged;
}

std::vector<DeliveryRequest> Outbox::pending(std::uint64_t after, std::size_t limit)
{
    std::vector<DeliveryRequest> requests;
    requests.reserve(std::min<std::size_t>(limit, backlog()));
    m_pending.bind(1, std::int64_t(after)).bind(2, std::int64_t(limit));
    try {
        while (m_pending.step()) {
            DeliveryRequest request;
            const std::string bytes = m_pending.blob(0);
            if (request.ParseFromString(bytes))
                requests.push_back(std::move(request));
        }
    } catch (...) {
        m_pending.reset();
        throw;
    }
    m_pending.reset();
    return requests;
}

std::optional<DeliveryRequest> Outbox::findKey(const std::string &key)
{
    m_findKey.bind(1, key);
    std::optional<DeliveryRequest> found;
    try {
        if (m_findKey.step()) {
            DeliveryRequest request;
            if (request.ParseFromString(m_findKey.blob(0)))
                found = std::move(request);
        }
    } catch (...) {
        m_findKey.reset();
        throw;
    }
    m_findKey.reset();
    return found;
}

std::size_t Outbox::pruneKeys(net::Micros before, std::size_t slice)
{
    // No fsync of its own, as for an acknowledgement: a prune a power loss takes is redone.
    if (m_db.durability() != SqliteDb::Durability::Normal)
        m_db.setDurability(SqliteDb::Durability::Normal);
    const std::int64_t limit = slice > std::size_t(std::numeric_limits<std::int64_t>::max()) ? -1 : std::int64_t(slice);
    m_pruneKeys.bind(1, before).bind(2, limit);
    m_pruneKeys.run();
    return std::size_t(m_db.changes());
}

std::uint64_t Outbox::keyCount()
{
    auto count = m_db.prepare("SELECT COUNT(*) FROM idempotency");
    return count.step() ? std::uint64_t(count.integer(0)) : 0;
}

std::uint64_t Outbox::rowCount()
{
    auto count = m_db.prepare("SELECT COUNT(*) FROM outbox");
    return count.step() ? std::uint64_t(count.integer(0)) : 0;
}

bool Outbox::hasPending(const std::string &deliveryId)
{
    return findPending(deliveryId).has_value();
}

std::optional<DeliveryRequest> Outbox::findPending(const std::string &deliveryId)
{
    m_findPending.bind(1, deliveryId);
    std::optional<DeliveryRequest> found;
    if (m_findPending.step()) {
        found.emplace();
        if (!found->ParseFromString(m_findPending.blob(0)))
            found.reset();
    }
    m_findPending.reset();
    return found;
}

} // namespace dd::backend
