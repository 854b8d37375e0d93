// The Delivery History service's own store: every delivery status event once, and how far each stream was read.
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <string>
#include <vector>

namespace dd::backend {

/// Used from the service's loop only. Throws SqliteError. Events are unique by
/// (source, sequence), and the stream's cursor moves in the same transaction as
/// the events it covers, so a restart resumes exactly after the last one stored.
class HistoryStore
{
public:
    explicit HistoryStore(const std::string &path);

    /// False when this (source, sequence) was stored already.
    bool append(const std::string &source, std::uint64_t sequence, const std::string &type,
                const dronedelivery::v1::DeliveryEvent &event);
    /// Moves the cursor past an event that is not kept (it did not parse).
    void skip(const std::string &source, std::uint64_t sequence);
    std::uint64_t lastSequence(const std::string &source);

    /// One delivery's events in the order they were published; empty when unknown.
    std::vector<dronedelivery::v1::DeliveryEvent> history(const std::string &deliveryId);
    /// Events at or after `since` (microseconds), of one stage unless STAGE_UNSPECIFIED, oldest first.
    std::vector<dronedelivery::v1::DeliveryEvent> query(dronedelivery::v1::DeliveryStage stage, net::Micros since,
                                                        std::uint32_t limit);
    std::uint64_t count();
    /// Retention: at most `slice` events that happened before `cutoff`, oldest first; returns
    /// how many went. The cursors stay, so the subscription resumes where it was.
    std::size_t pruneBefore(net::Micros cutoff, std::size_t slice);

    void begin();
    void commit();
    void rollback() noexcept;

private:
    SqliteDb m_db;
    Statement m_insert;
    Statement m_advance;
    Statement m_cursor;
    Statement m_history;
    Statement m_prune;
};

} // namespace dd::backend
