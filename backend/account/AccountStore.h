// The Account service's own SQLite tables: owners and the changes made to them (DATA_DIR/account.sqlite).
#pragma once

#include "backend/common/SqliteDb.h"
#include "services.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::backend {

/// One connection, used from the Account service's loop thread only. Writes are
/// made inside the caller's transaction (the service group-commits them).
class AccountStore
{
public:
    /// Opens (creating or migrating if needed) the store; throws SqliteError if it cannot.
    explicit AccountStore(const std::string &path);

    /// Inserts `accounts` only when the table is empty, so an operator's later
    /// changes (a lifted suspension, a removed owner) survive restarts.
    /// Returns how many rows were inserted (0 when already seeded).
    int seedIfEmpty(const std::vector<dronedelivery::v1::Account> &accounts);

    std::optional<dronedelivery::v1::Account> find(std::string_view ownerId);
    /// The account with its change log, newest first.
    std::optional<dronedelivery::v1::Account> findWithChanges(std::string_view ownerId);
    std::int64_t count();
    /// A page in owner-id order after `after`, and how many match in all.
    dronedelivery::v1::AccountList list(const dronedelivery::v1::AccountListRequest &request, std::uint32_t limit);

    /// The open policy's registration of an owner a request named (in good standing).
    void insertRegistered(const dronedelivery::v1::Account &account);
    /// Suspends or reinstates, recording who and why.
    void setStatus(const dronedelivery::v1::Account &updated, const dronedelivery::v1::AccountChange &change);
    void recordChange(std::string_view ownerId, const dronedelivery::v1::AccountChange &change);

    SqliteDb &db() { return m_db; }

private:
    static dronedelivery::v1::Account read(const Statement &row);

    SqliteDb m_db; // declared first: the statements below are finalized before it closes
    Statement m_find;
    Statement m_count;
    Statement m_insert;
    Statement m_update;
    Statement m_insertChange;
    Statement m_changes;
};

} // namespace dd::backend
