// TransactionStore: SQLite tables for failed transactions, the audit trail and the event log.
#include "backend/supervisor/TransactionStore.h"

#include <algorithm>

namespace dd::backend {

using namespace dronedelivery::v1;

TransactionStore::TransactionStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS transactions (id TEXT PRIMARY KEY, state INTEGER NOT NULL,"
              " updated_at INTEGER NOT NULL, tx BLOB NOT NULL)");
    m_db.exec("CREATE INDEX IF NOT EXISTS transactions_state ON transactions(state, updated_at)");
    m_db.exec("CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
              " user TEXT, role TEXT, action TEXT, transaction_id TEXT, comment TEXT, outcome TEXT)");
    m_db.exec("CREATE TABLE IF NOT EXISTS events ("
              " sequence INTEGER PRIMARY KEY, topic TEXT NOT NULL, envelope BLOB NOT NULL, payload BLOB NOT NULL)");
    // Retention looks for old audit entries by time (they are not always appended in time order).
    m_db.exec("CREATE INDEX IF NOT EXISTS audit_at ON audit(at)");
    m_get = m_db.prepare("SELECT tx FROM transactions WHERE id=?");
    m_save = m_db.prepare("INSERT OR REPLACE INTO transactions VALUES (?,?,?,?)");
    m_audit = m_db.prepare("INSERT INTO audit (at, user, role, action, transaction_id, comment, outcome)"
                           " VALUES (?,?,?,?,?,?,?)");
    m_appendEvent = m_db.prepare("INSERT OR REPLACE INTO events VALUES (?,?,?,?)");
    // The oldest rows below the newest `keep`, a bounded slice at a time: a range on the primary key.
    m_pruneEvents = m_db.prepare("DELETE FROM events WHERE sequence IN (SELECT sequence FROM events"
                                 " WHERE sequence <= (SELECT MAX(sequence) FROM events) - ? ORDER BY sequence LIMIT ?)");
    m_pruneResolved = m_db.prepare("DELETE FROM transactions WHERE id IN (SELECT id FROM transactions"
                                   " WHERE state IN (?1, ?2, ?3) AND updated_at < ?4 LIMIT ?5)");
    m_pruneAudit = m_db.prepare("DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE at < ?1"
                                " AND NOT EXISTS (SELECT 1 FROM transactions WHERE id = audit.transaction_id)"
                                " ORDER BY at LIMIT ?2)");
}

std::optional<FailedTransaction> TransactionStore::get(const std::string &id)
{
    m_get.bind(1, id);
    std::optional<FailedTransaction> out;
    if (m_get.step()) {
        FailedTransaction tx;
        if (tx.ParseFromString(m_get.blob(0)))
            out = std::move(tx);
    }
    m_get.reset();
    return out;
}

void TransactionStore::save(const FailedTransaction &tx)
{
    m_save.bind(1, tx.transaction_id())
        .bind(2, int(tx.state()))
        .bind(3, tx.updated_at_us())
        .bindBlob(4, tx.SerializeAsString())
        .run();
}

std::uint64_t TransactionStore::count(TransactionState state)
{
    auto query = state == TX_UNSPECIFIED ? m_db.prepare("SELECT COUNT(*) FROM transactions")
                                         : m_db.prepare("SELECT COUNT(*) FROM transactions WHERE state=?");
    if (state != TX_UNSPECIFIED)
        query.bind(1, int(state));
    return query.step() ? std::uint64_t(query.integer(0)) : 0;
}

std::pair<std::uint64_t, std::int64_t> TransactionStore::countAndOldest(TransactionState state)
{
    // Served by the (state, updated_at) index: cheap enough to run after every save.
    auto query = m_db.prepare("SELECT COUNT(*), COALESCE(MIN(updated_at), 0) FROM transactions WHERE state=?");
    query.bind(1, int(state));
    if (!query.step())
        return {0, 0};
    return {std::uint64_t(query.integer(0)), std::int64_t(query.integer(1))};
}

std::vector<FailedTransaction> TransactionStore::list(TransactionState state, std::size_t limit)
{
    auto query = state == TX_UNSPECIFIED
        ? m_db.prepare("SELECT tx FROM transactions ORDER BY updated_at DESC LIMIT ?")
        : m_db.prepare("SELECT tx FROM transactions WHERE state=? ORDER BY updated_at DESC LIMIT ?");
    int index = 1;
    if (state != TX_UNSPECIFIED)
        query.bind(index++, int(state));
    query.bind(index, std::int64_t(limit));
    std::vector<FailedTransaction> out;
    while (query.step()) {
        FailedTransaction tx;
        if (tx.ParseFromString(query.blob(0)))
            out.push_back(std::move(tx));
    }
    return out;
}

std::vector<FailedTransaction> TransactionStore::unfinished()
{
    auto query = m_db.prepare("SELECT tx FROM transactions WHERE state=?");
    query.bind(1, int(TX_COMPENSATING));
    std::vector<FailedTransaction> out;
    while (query.step()) {
        FailedTransaction tx;
        if (tx.ParseFromString(query.blob(0)))
            out.push_back(std::move(tx));
    }
    return out;
}

void TransactionStore::audit(const AuditEntry &entry)
{
    m_audit.bind(1, entry.at_us())
        .bind(2, entry.user())
        .bind(3, entry.role())
        .bind(4, entry.action())
        .bind(5, entry.transaction_id())
        .bind(6, entry.comment())
        .bind(7, entry.outcome())
        .run();
}

std::vector<AuditEntry> TransactionStore::auditLog(const std::string &transactionId, std::size_t limit)
{
    auto query = transactionId.empty()
        ? m_db.prepare("SELECT at, user, role, action, transaction_id, comment, outcome FROM audit"
                       " ORDER BY seq DESC LIMIT ?")
        : m_db.prepare("SELECT at, user, role, action, transaction_id, comment, outcome FROM audit"
                       " WHERE transaction_id=? ORDER BY seq DESC LIMIT ?");
    int index = 1;
    if (!transactionId.empty())
        query.bind(index++, transactionId);
    query.bind(index, std::int64_t(limit));
    std::vector<AuditEntry> out;
    while (query.step()) {
        AuditEntry entry;
        entry.set_at_us(query.integer(0));
        entry.set_user(query.text(1));
        entry.set_role(query.text(2));
        entry.set_action(query.text(3));
        entry.set_transaction_id(query.text(4));
        entry.set_comment(query.text(5));
        entry.set_outcome(query.text(6));
        out.push_back(std::move(entry));
    }
    return out;
}

void TransactionStore::appendEvent(const net::StoredEvent &event)
{
    m_appendEvent.bind(1, std::int64_t(event.sequence))
        .bind(2, event.topic)
        .bindBlob(3, event.envelope)
        .bindBlob(4, event.payload)
        .run();
}

std::vector<net::StoredEvent> TransactionStore::recentEvents(std::size_t max)
{
    std::vector<net::StoredEvent> events;
    // Newest first off the primary key, reversed here (no sort of the blobs in SQLite).
    auto select = m_db.prepare("SELECT sequence, topic, envelope, payload FROM events ORDER BY sequence DESC LIMIT ?");
    select.bind(1, std::int64_t(max));
    while (select.step())
        events.push_back({std::uint64_t(select.integer(0)), select.text(1), select.blob(2), select.blob(3)});
    std::reverse(events.begin(), events.end());
    return events;
}

std::vector<net::StoredEvent> TransactionStore::eventsFrom(std::uint64_t from, std::size_t max)
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

std::uint64_t TransactionStore::lastEventSequence()
{
    auto select = m_db.prepare("SELECT COALESCE(MAX(sequence), 0) FROM events");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

std::size_t TransactionStore::pruneEvents(std::size_t keep, std::size_t slice)
{
    m_pruneEvents.bind(1, std::int64_t(keep)).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

std::size_t TransactionStore::pruneResolvedBefore(std::int64_t cutoff, std::size_t slice)
{
    m_pruneResolved.bind(1, int(TX_COMPENSATED))
        .bind(2, int(TX_REJECTED))
        .bind(3, int(TX_RETRIED))
        .bind(4, cutoff)
        .bind(5, std::int64_t(slice))
        .run();
    return std::size_t(m_db.changes());
}

std::size_t TransactionStore::pruneAuditBefore(std::int64_t cutoff, std::size_t slice)
{
    m_pruneAudit.bind(1, cutoff).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

std::uint64_t TransactionStore::auditCount()
{
    auto select = m_db.prepare("SELECT COUNT(*) FROM audit");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

std::uint64_t TransactionStore::eventCount()
{
    auto select = m_db.prepare("SELECT COUNT(*) FROM events");
    return select.step() ? std::uint64_t(select.integer(0)) : 0;
}

} // namespace dd::backend
