// WorkflowStore: group-committed checkpoints in SQLite.
#include "backend/scheduler/WorkflowStore.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
constexpr const char *kWorkflowColumns =
    "id, request, step, package_id, drone_id, booking_id, error, updated_at, state, pickup_eta, dropoff_eta";
} // namespace

WorkflowStore::WorkflowStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS workflows ("
              " id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, request BLOB NOT NULL,"
              " step INTEGER NOT NULL, state INTEGER NOT NULL, package_id TEXT, drone_id TEXT,"
              " booking_id TEXT, error TEXT, updated_at INTEGER NOT NULL)");
    // Version 2: the booking's ETAs travel to Delivery.Create; workflows are found by delivery.
    bool hasEtas = false;
    for (auto info = m_db.prepare("PRAGMA table_info(workflows)"); info.step();)
        hasEtas = hasEtas || info.text(1) == "pickup_eta";
    if (!hasEtas) {
        m_db.exec("ALTER TABLE workflows ADD COLUMN pickup_eta INTEGER NOT NULL DEFAULT 0");
        m_db.exec("ALTER TABLE workflows ADD COLUMN dropoff_eta INTEGER NOT NULL DEFAULT 0");
    }
    m_db.exec("CREATE INDEX IF NOT EXISTS workflows_delivery ON workflows(delivery_id, updated_at)");
    // Retention finds the old finished rows of each state; it also serves state=0 (a prefix).
    m_db.exec("CREATE INDEX IF NOT EXISTS workflows_state_updated ON workflows(state, updated_at)");
    m_db.exec("DROP INDEX IF EXISTS workflows_state"); // (state) alone: the index above replaces it
    m_db.exec("CREATE TABLE IF NOT EXISTS stream (id INTEGER PRIMARY KEY CHECK (id = 1), acked_through INTEGER NOT NULL)");
    m_db.exec("INSERT OR IGNORE INTO stream VALUES (1, 0)");
    m_db.exec("CREATE TABLE IF NOT EXISTS failed_outbox (id TEXT PRIMARY KEY, tx BLOB NOT NULL)");
    m_insert = m_db.prepare("INSERT OR IGNORE INTO workflows VALUES (?,?,?,?,?,?,?,?,?,?,0,0)");
    m_checkpoint = m_db.prepare("UPDATE workflows SET step=?, state=?, package_id=?, drone_id=?, booking_id=?,"
                                " error=?, updated_at=?, pickup_eta=?, dropoff_eta=? WHERE id=?");
    m_enqueueFailed = m_db.prepare("INSERT OR REPLACE INTO failed_outbox VALUES (?,?)");
    m_removeFailed = m_db.prepare("DELETE FROM failed_outbox WHERE id=?");
    m_exists = m_db.prepare("SELECT 1 FROM workflows WHERE id=?");
    m_setAcked = m_db.prepare("UPDATE stream SET acked_through=? WHERE id=1 AND acked_through < ?");
    auto acked = m_db.prepare("SELECT acked_through FROM stream WHERE id=1");
    if (acked.step())
        m_ackedThrough = std::uint64_t(acked.integer(0));
}

int WorkflowStore::stateCode(Workflow::State state)
{
    return state == Workflow::State::Running ? 0 : state == Workflow::State::Done ? 1 : 2;
}

Workflow::State WorkflowStore::stateOf(int code)
{
    return code == 0 ? Workflow::State::Running : code == 1 ? Workflow::State::Done : Workflow::State::Failed;
}

WorkflowStore::Progress WorkflowStore::progressOf(const Workflow &workflow)
{
    return {workflow.request.delivery_id(), int(workflow.step), stateCode(workflow.state),
            workflow.packageId, workflow.droneId, workflow.bookingId, workflow.error, workflow.updatedAt,
            workflow.pickupEta, workflow.dropoffEta};
}

void WorkflowStore::insert(const Workflow &workflow, std::uint64_t streamSequence)
{
    m_pending.push_back(
        {Write::Insert, workflow.id, progressOf(workflow), workflow.request.SerializeAsString(), streamSequence});
}

void WorkflowStore::checkpoint(const Workflow &workflow)
{
    m_pending.push_back({Write::Checkpoint, workflow.id, progressOf(workflow), {}, 0});
}

void WorkflowStore::enqueueFailed(const FailedTransaction &tx)
{
    m_pending.push_back({Write::EnqueueFailed, tx.transaction_id(), {}, tx.SerializeAsString(), 0});
}

void WorkflowStore::removeFailed(const std::string &transactionId)
{
    m_pending.push_back({Write::RemoveFailed, transactionId, {}, {}, 0});
}

void WorkflowStore::flush()
{
    if (m_pending.empty())
        return;
    std::uint64_t acked = m_ackedThrough;
    m_db.transaction([&] {
        for (const Write &w : m_pending) {
            switch (w.kind) {
            case Write::Insert:
                m_insert.bind(1, w.id)
                    .bind(2, w.progress.deliveryId)
                    .bindBlob(3, w.blob)
                    .bind(4, w.progress.step)
                    .bind(5, w.progress.state)
                    .bind(6, w.progress.packageId)
                    .bind(7, w.progress.droneId)
                    .bind(8, w.progress.bookingId)
                    .bind(9, w.progress.error)
                    .bind(10, w.progress.updatedAt)
                    .run();
                acked = std::max(acked, w.sequence);
                break;
            case Write::Checkpoint:
                m_checkpoint.bind(1, w.progress.step)
                    .bind(2, w.progress.state)
                    .bind(3, w.progress.packageId)
                    .bind(4, w.progress.droneId)
                    .bind(5, w.progress.bookingId)
                    .bind(6, w.progress.error)
                    .bind(7, w.progress.updatedAt)
                    .bind(8, w.progress.pickupEta)
                    .bind(9, w.progress.dropoffEta)
                    .bind(10, w.id)
                    .run();
                break;
            case Write::EnqueueFailed: m_enqueueFailed.bind(1, w.id).bindBlob(2, w.blob).run(); break;
            case Write::RemoveFailed: m_removeFailed.bind(1, w.id).run(); break;
            }
        }
        if (acked > m_ackedThrough)
            m_setAcked.bind(1, std::int64_t(acked)).bind(2, std::int64_t(acked)).run();
    });
    m_ackedThrough = acked;
    m_pending.clear();
}

bool WorkflowStore::exists(const std::string &workflowId)
{
    m_exists.bind(1, workflowId);
    const bool found = m_exists.step();
    m_exists.reset();
    return found;
}

std::vector<Workflow> WorkflowStore::running()
{
    std::vector<Workflow> out;
    auto query = m_db.prepare(std::string("SELECT ") + kWorkflowColumns + " FROM workflows WHERE state=0 ORDER BY updated_at");
    while (query.step())
        out.push_back(readWorkflow(query));
    return out;
}

Workflow WorkflowStore::readWorkflow(const Statement &row)
{
    Workflow w;
    w.id = row.text(0);
    w.request.ParseFromString(row.blob(1));
    w.step = WorkflowStep(row.integer(2));
    w.packageId = row.text(3);
    w.droneId = row.text(4);
    w.bookingId = row.text(5);
    w.error = row.text(6);
    w.updatedAt = row.integer(7);
    w.state = stateOf(int(row.integer(8)));
    w.pickupEta = row.integer(9);
    w.dropoffEta = row.integer(10);
    return w;
}

std::optional<Workflow> WorkflowStore::latestFor(const std::string &deliveryId)
{
    auto query = m_db.prepare(std::string("SELECT ") + kWorkflowColumns
                              + " FROM workflows WHERE delivery_id=? ORDER BY updated_at DESC LIMIT 1");
    query.bind(1, deliveryId);
    if (!query.step())
        return std::nullopt;
    return readWorkflow(query);
}

std::vector<FailedTransaction> WorkflowStore::failedOutbox()
{
    std::vector<FailedTransaction> out;
    auto query = m_db.prepare("SELECT tx FROM failed_outbox");
    while (query.step()) {
        FailedTransaction tx;
        if (tx.ParseFromString(query.blob(0)))
            out.push_back(std::move(tx));
    }
    return out;
}

std::size_t WorkflowStore::countByState(Workflow::State state)
{
    auto query = m_db.prepare("SELECT COUNT(*) FROM workflows WHERE state=?");
    query.bind(1, stateCode(state));
    return query.step() ? std::size_t(query.integer(0)) : 0;
}

std::size_t WorkflowStore::pruneFinishedBefore(std::int64_t cutoff, std::size_t slice)
{
    auto prune = m_db.prepare("DELETE FROM workflows WHERE id IN (SELECT id FROM workflows"
                              " WHERE state IN (?1, ?2) AND updated_at < ?3 LIMIT ?4)");
    prune.bind(1, stateCode(Workflow::State::Done))
        .bind(2, stateCode(Workflow::State::Failed))
        .bind(3, cutoff)
        .bind(4, std::int64_t(slice))
        .run();
    return std::size_t(m_db.changes());
}

} // namespace dd::backend
