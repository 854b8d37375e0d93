// ThirdPartyStore: one active booking per delivery, cancellations kept as refunds.
#include "backend/thirdparty/ThirdPartyStore.h"

namespace dd::backend {

using namespace dronedelivery::v1;

ThirdPartyStore::ThirdPartyStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    // AUTOINCREMENT: a booking id handed to a carrier must never name another booking later.
    m_db.exec("CREATE TABLE IF NOT EXISTS bookings ("
              " seq INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL, carrier TEXT NOT NULL,"
              " cost_cents INTEGER NOT NULL, paid INTEGER NOT NULL, cancelled INTEGER NOT NULL DEFAULT 0,"
              " refunded INTEGER NOT NULL DEFAULT 0, booked_at_us INTEGER NOT NULL, cancelled_at_us INTEGER)");
    m_db.exec("CREATE UNIQUE INDEX IF NOT EXISTS bookings_active ON bookings (delivery_id) WHERE cancelled = 0");
    m_db.exec("CREATE INDEX IF NOT EXISTS bookings_delivery ON bookings (delivery_id, seq)");
    m_findActive = m_db.prepare("SELECT seq, delivery_id, carrier, cost_cents, paid FROM bookings"
                                " WHERE delivery_id = ? AND cancelled = 0");
    m_findLatest = m_db.prepare("SELECT paid, refunded FROM bookings WHERE delivery_id = ? ORDER BY seq DESC LIMIT 1");
    m_insert = m_db.prepare("INSERT INTO bookings (delivery_id, carrier, cost_cents, paid, booked_at_us)"
                            " VALUES (?, ?, ?, ?, ?)");
    m_cancel = m_db.prepare("UPDATE bookings SET cancelled = 1, refunded = paid, cancelled_at_us = ?"
                            " WHERE delivery_id = ? AND cancelled = 0");
    m_count = m_db.prepare("SELECT COUNT(*) FROM bookings");
    m_countActive = m_db.prepare("SELECT COUNT(*) FROM bookings WHERE cancelled = 0");
    m_db.exec("CREATE INDEX IF NOT EXISTS bookings_booked ON bookings (booked_at_us)");
    m_prune = m_db.prepare("DELETE FROM bookings WHERE seq IN (SELECT seq FROM bookings WHERE booked_at_us < ?1"
                           " ORDER BY booked_at_us LIMIT ?2) AND (cancelled = 0 OR cancelled_at_us < ?1)");
}

std::string ThirdPartyStore::bookingId(std::int64_t sequence)
{
    return "tp-" + std::to_string(sequence);
}

ThirdPartyStore::BookResult ThirdPartyStore::bookOnce(const ThirdPartyBooking &wanted, net::Micros bookedAt)
{
    BookResult result;
    m_db.transaction([&] {
        if (auto existing = findActive(wanted.delivery_id())) {
            result.booking = std::move(*existing);
            return;
        }
        m_insert.bind(1, wanted.delivery_id())
            .bind(2, wanted.carrier())
            .bind(3, std::int64_t(wanted.cost_cents()))
            .bind(4, wanted.paid() ? 1 : 0)
            .bind(5, std::int64_t(bookedAt))
            .run();
        result.booking = wanted;
        result.booking.set_booking_id(bookingId(m_db.lastInsertId()));
        result.created = true;
    });
    return result;
}

std::optional<ThirdPartyBooking> ThirdPartyStore::findActive(std::string_view deliveryId)
{
    m_findActive.bind(1, deliveryId);
    std::optional<ThirdPartyBooking> found;
    if (m_findActive.step()) {
        found.emplace();
        found->set_booking_id(bookingId(m_findActive.integer(0)));
        found->set_delivery_id(m_findActive.text(1));
        found->set_carrier(m_findActive.text(2));
        found->set_cost_cents(m_findActive.integer(3));
        found->set_paid(m_findActive.integer(4) != 0);
    }
    m_findActive.reset();
    return found;
}

ThirdPartyCancelReply ThirdPartyStore::cancel(std::string_view deliveryId, net::Micros cancelledAt)
{
    ThirdPartyCancelReply reply;
    m_db.transaction([&] {
        m_cancel.bind(1, std::int64_t(cancelledAt)).bind(2, deliveryId).run();
        // Whether cancelled just now or by an earlier call, the latest booking tells what happened.
        m_findLatest.bind(1, deliveryId);
        if (m_findLatest.step()) {
            reply.set_existed(true);
            reply.set_paid(m_findLatest.integer(0) != 0);
            reply.set_refunded(m_findLatest.integer(1) != 0);
        }
        m_findLatest.reset();
    });
    return reply;
}

std::int64_t ThirdPartyStore::count()
{
    std::int64_t rows = 0;
    if (m_count.step())
        rows = m_count.integer(0);
    m_count.reset();
    return rows;
}

std::int64_t ThirdPartyStore::countActive()
{
    std::int64_t rows = 0;
    if (m_countActive.step())
        rows = m_countActive.integer(0);
    m_countActive.reset();
    return rows;
}

std::size_t ThirdPartyStore::pruneBefore(std::int64_t cutoff, std::size_t slice)
{
    m_prune.bind(1, cutoff).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

} // namespace dd::backend
