// What Ingestion answered to one accept(): accepted, a replay, backlog full, invalid or unavailable.
#pragma once

#include "domain.pb.h"

#include <string>

namespace dd::backend {

struct AcceptResult
{
    enum class Kind {
        Accepted,    ///< written to the outbox (durable) under a new sequence
        Replayed,    ///< the Idempotency-Key was seen before: the first answer, nothing written
        BacklogFull, ///< the bounded backlog is full: nothing written, try again after retryAfterSeconds
        Invalid,     ///< the request can never be accepted (message, field)
        Unavailable, ///< not accepting now (stopped, storage error): nothing written
        NotFound,    ///< a reschedule or cancel of a delivery that was never accepted (message)
        Conflict,    ///< a reschedule or cancel its delivery's stage forbids (message)
    };

    Kind kind = Kind::Unavailable;
    /// Accepted / Replayed: the request as stored (delivery id, stream sequence, accepted_at).
    dronedelivery::v1::DeliveryRequest request;
    int retryAfterSeconds = 0; ///< BacklogFull / Unavailable
    std::string message;       ///< Invalid / Unavailable
    std::string field;         ///< Invalid

    bool ok() const { return kind == Kind::Accepted || kind == Kind::Replayed; }
};

inline const char *toString(AcceptResult::Kind kind)
{
    switch (kind) {
    case AcceptResult::Kind::Accepted: return "accepted";
    case AcceptResult::Kind::Replayed: return "replayed";
    case AcceptResult::Kind::BacklogFull: return "backlog_full";
    case AcceptResult::Kind::Invalid: return "invalid";
    case AcceptResult::Kind::Unavailable: return "unavailable";
    case AcceptResult::Kind::NotFound: return "not_found";
    case AcceptResult::Kind::Conflict: return "conflict";
    }
    return "unknown";
}

} // namespace dd::backend
