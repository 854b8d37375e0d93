// The Supervisor's durable state: failed transactions with their compensations, the audit log and its events.
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/pubsub/ReplayBuffer.h"
#include "workflow.pb.h"

#include <optional>
#include <vector>

namespace dd::backend {

class TransactionStore
{
public:
    explicit TransactionStore(const std::string &path);

    std::optional<dronedelivery::v1::FailedTransaction> get(const std::string &id);
    void save(const dronedelivery::v1::FailedTransaction &tx);
    /// Newest first; TX_UNSPECIFIED = every state.
    std::vector<dronedelivery::v1::FailedTransaction> list(dronedelivery::v1::TransactionState state,
                                                           std::size_t limit);
    /// How many transactions are in `state` (TX_UNSPECIFIED: all).
    std::uint64_t count(dronedelivery::v1::TransactionState state);
    /// How many are in `state` and the oldest updated_at_us among them (0 when none).
    std::pair<std::uint64_t, std::int64_t> countAndOldest(dronedelivery::v1::TransactionState state);
    std::vector<dronedelivery::v1::FailedTransaction> unfinished();

    void audit(const dronedelivery::v1::AuditEntry &entry);
    std::vector<dronedelivery::v1::AuditEntry> auditLog(const std::string &transactionId, std::size_t limit);

    // The "supervisor.events" log: written in the transaction of the change it describes
    // (see transaction()), so an event is stored exactly when its change is.
    void appendEvent(const net::StoredEvent &event);
    /// The newest `max` events, oldest first (to restore the publisher's replay buffer).
    std::vector<net::StoredEvent> recentEvents(std::size_t max);
    /// At most `max` events from sequence `from` on, oldest first (replay beyond the buffer).
    std::vector<net::StoredEvent> eventsFrom(std::uint64_t from, std::size_t max);
    /// 0 when no event was ever stored.
    std::uint64_t lastEventSequence();
    /// Deletes at most `slice` of the oldest events beyond the newest `keep`; returns how many.
    std::size_t pruneEvents(std::size_t keep, std::size_t slice);
    std::uint64_t eventCount();

    // Retention (RetentionSweeper steps): at most `slice` rows per call; returns how many went.
    /// Compensated, rejected and retried transactions last updated before `cutoff`. Open ones
    /// (compensating, awaiting approval, escalated to a person) stay whatever their age.
    std::size_t pruneResolvedBefore(std::int64_t cutoff, std::size_t slice);
    /// Audit entries older than `cutoff` of transactions no longer stored (pruned, or none).
    std::size_t pruneAuditBefore(std::int64_t cutoff, std::size_t slice);
    std::uint64_t auditCount();

    /// The connection, for the service's GroupCommit (one transaction and fsync per loop turn).
    SqliteDb &db() { return m_db; }

    /// BEGIN IMMEDIATE … COMMIT around `body`; rolled back (and rethrown) if it throws.
    template <typename F>
    void transaction(F &&body)
    {
        m_db.transaction(std::forward<F>(body));
    }

private:
    SqliteDb m_db;
    Statement m_get, m_save, m_audit, m_appendEvent, m_pruneEvents, m_pruneResolved, m_pruneAudit;
};

} // namespace dd::backend
