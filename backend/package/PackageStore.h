// The Package service's own SQLite table of packages (DATA_DIR/package.sqlite).
#pragma once

#include "backend/common/SqliteDb.h"
#include "services.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dd::backend {

/// One connection, used from the Package service's loop thread only.
class PackageStore
{
public:
    enum class CreateOutcome {
        Created,       ///< a new row
        AlreadyStored, ///< same package id, same delivery: the stored one, untouched
        Conflict,      ///< same package id, another delivery: the stored one, untouched
    };
    struct CreateResult
    {
        CreateOutcome outcome = CreateOutcome::Created;
        dronedelivery::v1::Package package; ///< what the store holds now
    };

    /// Opens (creating if needed) the store; throws SqliteError if it cannot.
    explicit PackageStore(const std::string &path);
    SqliteDb &db() { return m_db; }

    /// Upsert by package id that never overwrites: the first Create wins, so a
    /// replayed workflow step has no second effect. Durable when it returns.
    CreateResult create(const dronedelivery::v1::Package &package);
    std::optional<dronedelivery::v1::Package> find(std::string_view packageId);
    /// True if a row was deleted.
    bool remove(std::string_view packageId);
    std::int64_t count();
    /// Retention: at most `slice` packages created before `cutoff`, oldest first; returns how
    /// many went. This service does not learn when a delivery ends: the retention is taken to
    /// be longer than any delivery runs (docs/operating.md, "Retention").
    std::size_t pruneBefore(std::int64_t cutoff, std::size_t slice);

private:
    SqliteDb m_db; // declared first: the statements below are finalized before it closes
    Statement m_insert;
    Statement m_find;
    Statement m_remove;
    Statement m_count;
    Statement m_prune;
};

} // namespace dd::backend
