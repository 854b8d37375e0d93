// Ingestion's durable outbox: accepted requests in sequence order until the Scheduler acknowledges them.
#pragma once

#include "backend/common/SqliteDb.h"
#include "domain.pb.h"
#include "net/resilience/Clock.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace dd::backend {

/// One SQLite file (WAL, synchronous=FULL): a row is durable when append() returns.
/// Sequences are contiguous and never reused, also across restarts, because the
/// Scheduler recognises redeliveries by sequence. Acknowledged rows are deleted;
/// Idempotency-Keys are kept apart (with their first answer) for a retention time.
/// Used from one thread (the Ingestion loop).
class Outbox
{
public:
    struct Append
    {
        dronedelivery::v1::DeliveryRequest request; ///< delivery id and accepted_at already set
        std::string idempotencyKey;                 ///< empty: none
    };
    enum class Outcome { Appended, Replayed, Full };
    struct Result
    {
        Outcome outcome = Outcome::Full;
        dronedelivery::v1::DeliveryRequest request; ///< Appended: as stored; Replayed: the first answer
    };

    /// `capacity`: the most unacknowledged rows the outbox holds (the bounded backlog).
    Outbox(const std::string &path, std::uint64_t capacity);

    /// Writes the whole group in one transaction (one fsync), in order. A key seen
    /// before (stored, or earlier in the same group) is a replay and writes nothing;
    /// a request that would exceed the capacity is refused and writes nothing.
    /// Throws SqliteError (nothing written, sequences unchanged) if the commit fails.
    std::vector<Result> append(const std::vector<Append> &group, net::Micros now);

    /// The Scheduler checkpointed every sequence <= through: deletes those rows.
    /// Returns how many rows this acknowledged (0 for an old or repeated ack).
    std::uint64_t acknowledge(std::uint64_t through);

    /// Unacknowledged requests with sequence > after, oldest first.
    std::vector<dronedelivery::v1::DeliveryRequest> pending(std::uint64_t after, std::size_t limit);

    /// Whether an unacknowledged request for `deliveryId` is here, and the newest one.
    bool hasPending(const std::string &deliveryId);
    std::optional<dronedelivery::v1::DeliveryRequest> findPending(const std::string &deliveryId);

    /// The first answer stored under a key, if it is still retained.
    std::optional<dronedelivery::v1::DeliveryRequest> findKey(const std::string &key);
    /// Forgets keys stored before `before`, at most `slice` of the oldest (a retention
    /// sweep's slice); returns how many. Acknowledged rows need no retention: acknowledge()
    /// deletes them, and the unacknowledged ones are kept whatever their age.
    std::size_t pruneKeys(net::Micros before, std::size_t slice = std::numeric_limits<std::size_t>::max());
    std::uint64_t keyCount();

    std::uint64_t lastSequence() const { return m_lastSequence; }
    std::uint64_t ackedThrough() const { return m_ackedThrough; }
    std::uint64_t backlog() const { return m_lastSequence - m_ackedThrough; }
    std::uint64_t capacity() const { return m_capacity; }
    /// Transactions that wrote something (appends and acknowledgements).
    std::uint64_t commits() const { return m_commits; }
    /// Rows on disk (for tests: equals backlog() unless something is wrong).
    std::uint64_t rowCount();

private:
    SqliteDb m_db;
    Statement m_insert;
    Statement m_insertKey;
    Statement m_findKey;
    Statement m_deleteThrough;
    Statement m_setState;
    Statement m_pending;
    Statement m_pruneKeys;
    Statement m_findPending;
    std::uint64_t m_capacity;
    std::uint64_t m_lastSequence = 0;
    std::uint64_t m_ackedThrough = 0;
    std::uint64_t m_commits = 0;
};

} // namespace dd::backend
