// The ThirdParty service's own SQLite table of carrier bookings (DATA_DIR/thirdparty.sqlite).
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dd::backend {

/// At most one active (not cancelled) booking per delivery; cancelled bookings
/// stay as the record of the refund. Booking ids are "tp-<n>", never reused.
/// One connection, used from the ThirdParty service's loop thread only.
class ThirdPartyStore
{
public:
    struct BookResult
    {
        dronedelivery::v1::ThirdPartyBooking booking; ///< what the store holds now
        bool created = false;                         ///< false: the delivery's existing booking
    };

    /// Opens (creating if needed) the store; throws SqliteError if it cannot.
    explicit ThirdPartyStore(const std::string &path);
    SqliteDb &db() { return m_db; }

    /// Stores `wanted` (its booking_id is assigned here) unless the delivery already
    /// has an active booking, which is then returned untouched. Durable when it returns.
    BookResult bookOnce(const dronedelivery::v1::ThirdPartyBooking &wanted, net::Micros bookedAt);
    std::optional<dronedelivery::v1::ThirdPartyBooking> findActive(std::string_view deliveryId);
    /// Cancels and refunds the delivery's active booking. Replays answer as the
    /// first cancel did; a delivery never booked answers existed=false.
    dronedelivery::v1::ThirdPartyCancelReply cancel(std::string_view deliveryId, net::Micros cancelledAt);

    std::int64_t count();       ///< every booking ever made
    std::int64_t countActive(); ///< bookings not cancelled
    /// Retention: at most `slice` bookings made before `cutoff` (cancelled ones only once the
    /// cancel is older too), oldest first; returns how many went. A booking has no end of its
    /// own here: the retention is taken to be longer than any delivery runs.
    std::size_t pruneBefore(std::int64_t cutoff, std::size_t slice);

private:
    static std::string bookingId(std::int64_t sequence);

    SqliteDb m_db; // declared first: the statements below are finalized before it closes
    Statement m_findActive;
    Statement m_findLatest;
    Statement m_insert;
    Statement m_cancel;
    Statement m_count;
    Statement m_countActive;
    Statement m_prune;
};

} // namespace dd::backend
