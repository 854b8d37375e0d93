// DeliveryLifecycle: the transitions of the stage machine, each a pure function of the stored delivery.
#include "backend/delivery/DeliveryLifecycle.h"

#include "backend/delivery/DeliveryRules.h"

namespace dd::backend::delivery {

using namespace dronedelivery::v1;

namespace {
Transition refuse(StatusCode code, std::string message)
{
    Transition t;
    t.kind = Transition::Kind::Refuse;
    t.code = code;
    t.message = std::move(message);
    return t;
}

Transition replay(const Delivery &stored)
{
    Transition t;
    t.kind = Transition::Kind::Replay;
    t.delivery = stored;
    return t;
}

Transition write(Delivery delivery, DeliveryStage previous, std::string reason = {})
{
    Transition t;
    t.kind = Transition::Kind::Write;
    t.delivery = std::move(delivery);
    t.previous = previous;
    t.reason = std::move(reason);
    return t;
}

/// Until a drone reports, the last known position is the pickup (a point, not a named place).
void startAtPickup(Delivery &delivery)
{
    if (delivery.has_last_known_location() || !delivery.has_pickup())
        return;
    *delivery.mutable_last_known_location() = delivery.pickup();
    delivery.mutable_last_known_location()->clear_place();
    delivery.mutable_last_known_location()->clear_stand_in();
}

std::string notFound(const std::string &id)
{
    return "no delivery " + id;
}
} // namespace

Transition onRegister(const std::optional<Delivery> &stored, const Delivery &request, net::Micros now)
{
    if (stored && stored->stage() != STAGE_FAILED)
        return replay(*stored); // registered already (a replay), or further along: nothing to do
    Delivery delivery = request;
    if (stored) {
        // A supervisor's retry of a failed schedule: it is being placed again.
        delivery.set_created_at_us(stored->created_at_us());
        delivery.clear_failure();
    } else {
        delivery.set_created_at_us(now);
    }
    resolveLocations(delivery, request.has_pickup(), request.has_dropoff());
    delivery.set_stage(STAGE_REQUESTED);
    delivery.set_updated_at_us(now);
    startAtPickup(delivery);
    return write(std::move(delivery), stored ? stored->stage() : STAGE_UNSPECIFIED,
                 stored ? "retried" : "accepted");
}

Transition onCreate(const std::optional<Delivery> &stored, const Delivery &request, net::Micros now)
{
    if (stored && stored->stage() == STAGE_CANCELLED)
        return refuse(CONFLICT, "the delivery was cancelled before it was placed");
    if (stored && stored->stage() != STAGE_REQUESTED && stored->stage() != STAGE_FAILED)
        return replay(*stored); // a replay: the first answer, no second event
    Delivery delivery = request;
    resolveLocations(delivery, request.has_pickup(), request.has_dropoff());
    delivery.set_stage(STAGE_CREATED);
    delivery.set_created_at_us(stored && stored->created_at_us() ? stored->created_at_us() : now);
    delivery.set_updated_at_us(now);
    delivery.clear_failure();
    delivery.clear_waiting();
    startAtPickup(delivery);
    return write(std::move(delivery), stored ? stored->stage() : STAGE_UNSPECIFIED);
}

Transition onCancel(const std::optional<Delivery> &stored, const std::string &deliveryId, net::Micros now)
{
    if (!stored)
        return refuse(NOT_FOUND, notFound(deliveryId));
    switch (stored->stage()) {
    case STAGE_COMPLETED: return refuse(CONFLICT, "the delivery is completed");
    case STAGE_FAILED: return refuse(CONFLICT, "the delivery failed; there is nothing to cancel");
    case STAGE_CANCELLED: return replay(*stored);
    default: break;
    }
    Delivery cancelled = *stored;
    cancelled.set_stage(STAGE_CANCELLED);
    cancelled.set_updated_at_us(now);
    cancelled.clear_waiting();
    return write(std::move(cancelled), stored->stage(), "cancelled");
}

std::optional<Transition> refuseReschedule(const std::optional<Delivery> &stored, const std::string &deliveryId)
{
    if (!stored)
        return refuse(NOT_FOUND, notFound(deliveryId));
    switch (stored->stage()) {
    case STAGE_COMPLETED:
    case STAGE_CANCELLED:
    case STAGE_FAILED: return refuse(CONFLICT, std::string("the delivery is ") + stageName(stored->stage()));
    case STAGE_REQUESTED:
        return refuse(CONFLICT, "the delivery is not placed yet; reschedule it once it is Created");
    default: return std::nullopt;
    }
}

Transition onFailure(const std::optional<Delivery> &stored, const DeliveryFailureRequest &request, net::Micros now)
{
    const DeliveryFailure &failure = request.failure();
    if (stored && stored->has_failure() && stored->failure().transaction_id() == failure.transaction_id())
        return replay(*stored); // recorded already
    const bool schedule = failure.operation() == SCHEDULE;
    if (schedule && (!stored || stored->stage() == STAGE_REQUESTED)) {
        Delivery failed = stored ? *stored : request.requested();
        if (!stored) {
            // Never registered (it failed before, or at, its first step): known from now on.
            failed.set_delivery_id(request.delivery_id());
            failed.set_created_at_us(now);
            resolveLocations(failed, request.requested().has_pickup(), request.requested().has_dropoff());
        }
        failed.set_stage(STAGE_FAILED);
        failed.set_updated_at_us(now);
        failed.clear_waiting();
        *failed.mutable_failure() = failure;
        return write(std::move(failed), stored ? stored->stage() : STAGE_UNSPECIFIED, failure.error());
    }
    if (!stored)
        return refuse(NOT_FOUND, notFound(request.delivery_id())); // a reschedule or cancel of nothing
    // The delivery stays as it was; its history says what was tried and why it failed.
    Transition t;
    t.kind = Transition::Kind::Event;
    t.delivery = *stored;
    t.delivery.set_updated_at_us(now);
    t.previous = stored->stage();
    t.reason = failure.error();
    return t;
}

} // namespace dd::backend::delivery
