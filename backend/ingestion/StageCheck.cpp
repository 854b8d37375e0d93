// StageCheck: the stage rules of cancel and reschedule at the edge.
#include "backend/ingestion/StageCheck.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
StageCheck refuse(AcceptResult::Kind kind, std::string message)
{
    StageCheck check;
    check.verdict = StageCheck::Verdict::Refuse;
    check.refusal.kind = kind;
    check.refusal.message = std::move(message);
    check.refusal.field = "deliveryId";
    return check;
}
} // namespace

StageCheck StageCheck::of(const DeliveryRequest &request, const net::RpcStatus &status, const Delivery &delivery,
                          bool pending)
{
    const std::string &id = request.delivery_id();
    const bool cancel = request.operation() == CANCEL;
    if (status.code == NOT_FOUND) {
        // Accepted a moment ago and not yet registered: a cancel may still stop it.
        if (pending && cancel)
            return {};
        return refuse(AcceptResult::Kind::NotFound,
                      pending ? "delivery " + id + " is not placed yet; reschedule it once it is Created"
                              : "no delivery " + id);
    }
    if (!status.ok())
        return {}; // cannot tell now: the workflow checks again and records any failure
    switch (delivery.stage()) {
    case STAGE_COMPLETED:
        return refuse(AcceptResult::Kind::Conflict, "delivery " + id + " is completed; it can no longer be "
                                                        + (cancel ? "cancelled" : "rescheduled"));
    case STAGE_FAILED:
        return refuse(AcceptResult::Kind::Conflict, "delivery " + id + " failed; "
                                                        + (cancel ? "there is nothing to cancel"
                                                                  : "a supervisor can retry it"));
    case STAGE_CANCELLED:
        if (cancel) {
            StageCheck done;
            done.verdict = Verdict::AlreadyDone;
            return done;
        }
        return refuse(AcceptResult::Kind::Conflict, "delivery " + id + " is cancelled");
    case STAGE_REQUESTED:
        if (cancel)
            return {};
        return refuse(AcceptResult::Kind::Conflict,
                      "delivery " + id + " is not placed yet; reschedule it once it is Created");
    default: return {};
    }
}

} // namespace dd::backend
