// The Scheduler's durable state: workflow checkpoints, the stream position, the failed-transaction outbox.
#pragma once

#include "backend/common/SqliteDb.h"
#include "backend/scheduler/Workflow.h"

#include <optional>
#include <vector>

namespace dd::backend {

class WorkflowStore
{
public:
    explicit WorkflowStore(const std::string &path);

    /// Highest Ingestion stream sequence already checkpointed here.
    std::uint64_t streamAckedThrough() const { return m_ackedThrough; }

    /// Queues writes; flush() commits them all in one transaction (one fsync).
    void insert(const Workflow &workflow, std::uint64_t streamSequence);
    void checkpoint(const Workflow &workflow);
    void enqueueFailed(const dronedelivery::v1::FailedTransaction &tx);
    void removeFailed(const std::string &transactionId);
    bool hasPendingWrites() const { return !m_pending.empty(); }
    void flush();

    bool exists(const std::string &workflowId);
    std::vector<Workflow> running();
    /// The newest workflow of a delivery (any state), as last checkpointed.
    std::optional<Workflow> latestFor(const std::string &deliveryId);
    std::vector<dronedelivery::v1::FailedTransaction> failedOutbox();
    std::size_t countByState(Workflow::State state);
    /// Retention: at most `slice` finished (done or failed) workflows last checkpointed before
    /// `cutoff`; returns how many went. Running ones stay. (failed_outbox rows are deleted
    /// as soon as the Supervisor has them, so none waits here for retention.)
    std::size_t pruneFinishedBefore(std::int64_t cutoff, std::size_t slice);

private:
    /// What a checkpoint persists: the workflow's progress, not its request (written once,
    /// at insert). Copying the whole Workflow per step cost ~5 % of the Scheduler's CPU.
    struct Progress
    {
        std::string deliveryId;
        int step = 0;
        int state = 0;
        std::string packageId, droneId, bookingId, error;
        std::int64_t updatedAt = 0;
        std::int64_t pickupEta = 0, dropoffEta = 0;
    };
    struct Write
    {
        enum Kind { Insert, Checkpoint, EnqueueFailed, RemoveFailed } kind;
        std::string id;
        Progress progress;
        std::string blob;
        std::uint64_t sequence = 0;
    };
    static Progress progressOf(const Workflow &workflow);
    static Workflow readWorkflow(const Statement &row);
    static int stateCode(Workflow::State state);
    static Workflow::State stateOf(int code);

    SqliteDb m_db;
    Statement m_insert, m_checkpoint, m_enqueueFailed, m_removeFailed, m_exists, m_setAcked;
    std::vector<Write> m_pending;
    std::uint64_t m_ackedThrough = 0;
};

} // namespace dd::backend
