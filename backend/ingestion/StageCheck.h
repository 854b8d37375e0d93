// Whether a reschedule or cancel can be accepted, from the delivery's current stage (no I/O).
#pragma once

#include "backend/ingestion/AcceptResult.h"
#include "net/rpc/RpcStatus.h"
#include "services.pb.h"

#include <optional>

namespace dd::backend {

/// The edge's contract (docs/http-api.md, "Stages"): a cancel or reschedule of a
/// delivery that never existed is NotFound (404); one whose stage forbids it is
/// Conflict (409) — a cancel of a Completed or Failed delivery, a reschedule of a
/// Completed, Cancelled, Failed or not yet placed one; a cancel of a Cancelled one
/// is answered as already done (no new workflow). When the Delivery service cannot
/// say (unavailable), the request is accepted and its workflow decides.
struct StageCheck
{
    enum class Verdict { Accept, AlreadyDone, Refuse };
    Verdict verdict = Verdict::Accept;
    AcceptResult refusal; ///< Refuse: NotFound or Conflict with the message

    /// `status` and `delivery` are Delivery.Get's answer for the request's id;
    /// `pending` says whether Ingestion itself still holds an earlier request for it.
    static StageCheck of(const dronedelivery::v1::DeliveryRequest &request, const net::RpcStatus &status,
                         const dronedelivery::v1::Delivery &delivery, bool pending);
};

} // namespace dd::backend
