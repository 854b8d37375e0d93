// The Supervisor's durable state: failed transactions with their compensations, and the audit log.
#pragma once

#include "backend/common/SqliteDb.h"
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

private:
    SqliteDb m_db;
    Statement m_get, m_save, m_audit;
};

} // namespace dd::backend
