// The Account service's own SQLite table of owners (DATA_DIR/account.sqlite).
#pragma once

#include "backend/common/SqliteDb.h"
#include "services.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::backend {

/// One connection, used from the Account service's loop thread only.
class AccountStore
{
public:
    /// Opens (creating if needed) the store; throws SqliteError if it cannot.
    explicit AccountStore(const std::string &path);

    /// Inserts `accounts` only when the table is empty, so an operator's later
    /// changes (a lifted suspension, a removed owner) survive restarts.
    /// Returns how many rows were inserted (0 when already seeded).
    int seedIfEmpty(const std::vector<dronedelivery::v1::Account> &accounts);

    std::optional<dronedelivery::v1::Account> find(std::string_view ownerId);
    std::int64_t count();

private:
    SqliteDb m_db; // declared first: the statements below are finalized before it closes
    Statement m_find;
    Statement m_count;
    Statement m_insert;
};

} // namespace dd::backend
