// Thread-safe holder of the fleet's latest state: writers merge from any thread, readers take snapshots.
#include "FleetState.h"

#include <utility>

namespace dd::fleetmap {

namespace {

// Swap-remove keeps removal O(1) per id; the moved row's index entry is patched.
template<typename Row, typename IdOf>
void swapRemove(std::vector<Row> &rows, QHash<QString, int> &index, const std::vector<QString> &ids, IdOf idOf)
{
    for (const QString &id : ids) {
        const auto it = index.find(id);
        if (it == index.end())
            continue;
        const int at = it.value();
        index.erase(it);
        const int last = int(rows.size()) - 1;
        if (at != last) {
            rows[size_t(at)] = std::move(rows[size_t(last)]);
            index[idOf(rows[size_t(at)])] = at;
        }
        rows.pop_back();
    }
}

const QString &droneId(const DroneView &d) { return d.id; }
const QString &deliveryId(const DeliveryMarker &m) { return m.deliveryId; }

// Latest wins: an existing id is overwritten in place, a new one appended, so indices stay stable.
template<typename Row, typename IdOf>
void merge(std::vector<Row> &rows, QHash<QString, int> &index, std::vector<Row> &changed, IdOf idOf)
{
    for (Row &row : changed) {
        const auto it = index.constFind(idOf(row));
        if (it != index.constEnd()) {
            rows[size_t(it.value())] = std::move(row);
        } else {
            index.insert(idOf(row), int(rows.size()));
            rows.push_back(std::move(row));
        }
    }
}

} // namespace

FleetState::FleetState()
    : m_data(std::make_shared<FleetSnapshot>())
{
}

FleetSnapshot &FleetState::mutableData()
{
    // Conservative: once handed out, a snapshot counts as still in use. Checking
    // use_count() instead would need a fence that sanitizers cannot follow.
    if (m_handedOut) {
        m_data = std::make_shared<FleetSnapshot>(*m_data);
        m_handedOut = false;
    }
    return *m_data;
}

void FleetState::publish()
{
    const std::uint64_t next = m_generation.load(std::memory_order_relaxed) + 1;
    m_data->generation = next;
    m_generation.store(next, std::memory_order_release);
}

void FleetState::notify()
{
    std::lock_guard lock(m_notifierMutex);
    if (m_notifier)
        m_notifier();
}

void FleetState::apply(FleetChanges changes)
{
    if (changes.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        FleetSnapshot &data = mutableData();
        merge(data.drones, m_droneIndex, changes.drones, droneId);
        merge(data.deliveries, m_deliveryIndex, changes.deliveries, deliveryId);
        swapRemove(data.drones, m_droneIndex, changes.removedDrones, droneId);
        swapRemove(data.deliveries, m_deliveryIndex, changes.removedDeliveries,
                   deliveryId);
        publish();
        if (!changes.deliveries.empty() || !changes.removedDeliveries.empty())
            data.deliveryGeneration = data.generation;
    }
    notify();
}

void FleetState::update(std::vector<DroneView> changed)
{
    apply({std::move(changed), {}, {}, {}});
}

void FleetState::updateDeliveries(std::vector<DeliveryMarker> changed)
{
    apply({{}, std::move(changed), {}, {}});
}

void FleetState::removeDrones(std::vector<QString> ids)
{
    apply({{}, {}, std::move(ids), {}});
}

void FleetState::removeDeliveries(std::vector<QString> ids)
{
    apply({{}, {}, {}, std::move(ids)});
}

void FleetState::clear()
{
    {
        std::lock_guard lock(m_mutex);
        const std::uint64_t generation = m_data->generation;
        m_data = std::make_shared<FleetSnapshot>();
        m_handedOut = false;
        m_data->generation = generation;
        m_droneIndex.clear();
        m_deliveryIndex.clear();
        publish();
        m_data->deliveryGeneration = m_data->generation;
    }
    notify();
}

FleetState::Snapshot FleetState::snapshot() const
{
    std::lock_guard lock(m_mutex);
    m_handedOut = true;
    return m_data;
}

int FleetState::droneCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_data->drones.size());
}

void FleetState::setChangeNotifier(std::function<void()> notifier)
{
    std::lock_guard lock(m_notifierMutex);
    m_notifier = std::move(notifier);
}

} // namespace dd::fleetmap
