// The Delivery service's own store: deliveries (with their stage and last position) and its status events.
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/pubsub/ReplayBuffer.h"
#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace dd::backend {

/// Used from the Delivery service's loop only. Throws SqliteError. Writes are
/// made inside begin() … commit() (the service's group commit); each change in
/// its own savepoint so one failing change is undone alone.
class DeliveryStore
{
public:
    /// `clock` stamps the events (for retention) and the rows of an older file on upgrade.
    explicit DeliveryStore(const std::string &path, const net::Clock &clock = net::Clock::system());

    std::optional<dronedelivery::v1::Delivery> find(const std::string &deliveryId);
    /// Insert or replace the whole delivery.
    void save(const dronedelivery::v1::Delivery &delivery);
    /// The cheap, coalesced write of a tracked delivery's position and ETAs.
    void savePosition(const std::string &deliveryId, const dronedelivery::v1::Location &location,
                      net::Micros pickupEta, net::Micros deliveryEta);
    /// Filtered by stage, owner and search (substring of id or owner), after `after`
    /// in id order; `total` counts every match regardless of paging.
    dronedelivery::v1::DeliveryList list(const dronedelivery::v1::DeliveryListRequest &request, std::uint32_t limit);
    /// Deliveries not yet completed, cancelled or failed: the tracker's starting point.
    std::vector<dronedelivery::v1::Delivery> unfinished();

    void appendEvent(const net::StoredEvent &event);
    /// The newest `max` events, oldest first (to restore the publisher's replay buffer).
    std::vector<net::StoredEvent> recentEvents(std::size_t max);
    /// At most `max` events from sequence `from` on, oldest first (replay beyond the buffer).
    std::vector<net::StoredEvent> eventsFrom(std::uint64_t from, std::size_t max);
    std::uint64_t lastEventSequence();

    // Retention (RetentionSweeper steps): at most `slice` rows older than `cutoff` per call,
    // returning how many went.
    /// Completed, cancelled and failed deliveries last updated before `cutoff`; others stay.
    std::size_t pruneDeliveriesBefore(net::Micros cutoff, std::size_t slice);
    /// Events stored before `cutoff`, oldest first; the newest event always stays, so the
    /// sequence goes on from it after a restart. A replay from before the oldest left is a reset.
    std::size_t pruneEventsBefore(net::Micros cutoff, std::size_t slice);
    std::uint64_t eventCount();
    std::uint64_t deliveryCount();

    SqliteDb &db() { return m_db; }
    void begin();
    void commit();
    void rollback() noexcept;
    void savepoint();
    void releaseSavepoint();
    void rollbackToSavepoint() noexcept;

private:
    dronedelivery::v1::Delivery readRow(Statement &statement);

    SqliteDb m_db;
    const net::Clock &m_clock;
    Statement m_find;
    Statement m_save;
    Statement m_savePosition;
    Statement m_appendEvent;
    Statement m_pruneDeliveries;
    Statement m_pruneEvents;
};

} // namespace dd::backend
