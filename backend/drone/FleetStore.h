// The Drone service's own store: the fleet (pads, batteries, positions) and the assignments.
#pragma once

#include "backend/common/SqliteDb.h"
#include "backend/drone/FleetSimulator.h"

#include <optional>
#include <string>
#include <vector>

namespace dd::backend {

enum class AssignmentStatus { Active = 0, Delivered = 1, Cancelled = 2 };

struct StoredAssignment
{
    Assignment assignment;
    AssignmentStatus status = AssignmentStatus::Active;
    bool airborneAtCancel = false; ///< what Cancel answered, so a repeat answers the same
};

/// Used from the Drone service's loop only. Throws SqliteError.
class FleetStore
{
public:
    explicit FleetStore(const std::string &path);
    SqliteDb &db() { return m_db; }

    /// Every stored drone; one with a delivery gets that assignment back (legs, ETAs, departure),
    /// and is reserved when that booking is active while the drone is still on its pad.
    std::vector<FleetDrone> loadDrones();
    void saveDrone(const FleetDrone &drone);

    std::optional<StoredAssignment> findAssignment(const std::string &deliveryId);
    /// Insert or replace (a new booking after a cancelled one replaces it).
    void saveAssignment(const StoredAssignment &stored);
    void setAssignmentStatus(const std::string &deliveryId, AssignmentStatus status, bool airborne = false);
    /// Retention: at most `slice` delivered or cancelled assignments due at the drop-off before
    /// `cutoff`; returns how many went. Active ones stay.
    std::size_t pruneReleasedBefore(std::int64_t cutoff, std::size_t slice);

    template <typename F>
    void transaction(F &&body)
    {
        m_db.transaction(std::forward<F>(body));
    }

private:
    /// Brings a file of an earlier version up to this one's columns (PRAGMA user_version).
    void migrate();

    SqliteDb m_db;
    Statement m_saveDrone;
    Statement m_findAssignment;
    Statement m_saveAssignment;
    Statement m_setStatus;
};

} // namespace dd::backend
