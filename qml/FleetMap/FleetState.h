// Thread-safe holder of the fleet's latest state: writers merge from any thread, readers take snapshots.
#pragma once

#include "FleetTypes.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace dd::fleetmap {

/// Latest value per drone id (and per delivery id), published as immutable snapshots.
///
/// Copy-on-write: a snapshot is a shared_ptr to the current data, so taking one is O(1)
/// and never copies 50,000 records; the first write after a snapshot was taken copies
/// once, later writes until the next snapshot mutate that copy in place. Record order is stable (first-seen order) so the map's vertex
/// buffer and hit testing stay aligned across generations. No Qt Quick dependency: the
/// telemetry bridge thread feeds this directly.
class FleetState
{
public:
    using Snapshot = std::shared_ptr<const FleetSnapshot>;

    FleetState();
    FleetState(const FleetState &) = delete;
    FleetState &operator=(const FleetState &) = delete;

    /// Applies a batch as one generation: merges, then removals. Readers see all of it or none.
    void apply(FleetChanges changes);
    /// Merges the latest value of each drone in `changed` (later entries win); new ids are appended.
    void update(std::vector<DroneView> changed);
    void updateDeliveries(std::vector<DeliveryMarker> changed);
    void removeDrones(std::vector<QString> ids);
    void removeDeliveries(std::vector<QString> ids);
    void clear();

    /// A consistent picture: every record from the same set of completed writes.
    Snapshot snapshot() const;
    /// Bumped by every write; cheap to poll from any thread.
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }
    int droneCount() const;

    /// Called on the writer's thread after each write, outside the data lock. Keep it
    /// cheap and thread-safe (FleetStateSource posts a queued call). Empty to detach.
    void setChangeNotifier(std::function<void()> notifier);

private:
    /// Makes m_data safe to mutate (copying it if a reader may hold it); caller holds m_mutex.
    FleetSnapshot &mutableData();
    void publish(); // caller holds m_mutex
    void notify();

    mutable std::mutex m_mutex;
    std::shared_ptr<FleetSnapshot> m_data;
    mutable bool m_handedOut = false; // m_data may be held by a reader: copy before writing
    // Writer-side indexes; never part of a snapshot, so readers never pay to copy them.
    QHash<QString, int> m_droneIndex;
    QHash<QString, int> m_deliveryIndex;
    std::atomic<std::uint64_t> m_generation{0};

    std::mutex m_notifierMutex;
    std::function<void()> m_notifier;
};

} // namespace dd::fleetmap
