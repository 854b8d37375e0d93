// Workflow step order and failed-transaction construction.
#include "backend/scheduler/Workflow.h"

namespace dd::backend {

using namespace dronedelivery::v1;

WorkflowStep Workflow::firstStep(RequestOperation operation)
{
    switch (operation) {
    case RESCHEDULE:
    case CANCEL: return STEP_DELIVERY;
    default: return STEP_REGISTER;
    }
}

WorkflowStep Workflow::nextStep() const
{
    if (request.operation() == CANCEL) {
        // Cancel: the delivery first (it knows its drone or booking), then release them.
        switch (step) {
        case STEP_DELIVERY: return !droneId.empty() ? STEP_DRONE : (!bookingId.empty() ? STEP_THIRD_PARTY : STEP_DONE);
        default: return STEP_DONE;
        }
    }
    if (request.operation() == RESCHEDULE)
        return STEP_DONE;
    switch (step) {
    case STEP_REGISTER: return STEP_ACCOUNT;
    case STEP_ACCOUNT: return STEP_PACKAGE;
    case STEP_PACKAGE: return STEP_DRONE;
    case STEP_DRONE:
    case STEP_THIRD_PARTY: return STEP_DELIVERY;
    default: return STEP_DONE;
    }
}

std::string Workflow::idempotencyKey(WorkflowStep forStep) const
{
    return id + "/" + stepName(forStep);
}

std::string Workflow::makeId(const DeliveryRequest &request)
{
    static const char *operations[] = {"schedule", "reschedule", "cancel"};
    const int op = request.operation() >= 0 && request.operation() <= 2 ? request.operation() : 0;
    return request.delivery_id() + ":" + operations[op] + ":" + std::to_string(request.stream_sequence());
}

FailedTransaction Workflow::toFailedTransaction(std::int64_t now) const
{
    FailedTransaction tx;
    tx.set_transaction_id(id);
    tx.set_delivery_id(request.delivery_id());
    tx.set_operation(request.operation());
    tx.set_failed_step(step);
    tx.set_error(error);
    tx.set_state(TX_COMPENSATING);
    tx.set_created_at_us(now);
    tx.set_updated_at_us(now);
    *tx.mutable_request() = request;
    tx.set_owner_id(request.owner_id());
    auto complete = [&](WorkflowStep done, const std::string &resource) {
        auto *c = tx.add_completed();
        c->set_step(done);
        c->set_resource_id(resource);
    };
    if (request.operation() == SCHEDULE) {
        // Steps before the failed one completed; the resources they booked need undoing.
        if (step > STEP_ACCOUNT && step != STEP_REGISTER)
            complete(STEP_ACCOUNT, request.owner_id());
        if (step > STEP_PACKAGE && step != STEP_REGISTER && !packageId.empty())
            complete(STEP_PACKAGE, packageId);
        if (!droneId.empty())
            complete(STEP_DRONE, droneId);
        if (!bookingId.empty())
            complete(STEP_THIRD_PARTY, bookingId);
    } else if (request.operation() == CANCEL && step != STEP_DELIVERY) {
        complete(STEP_DELIVERY, request.delivery_id());
    }
    return tx;
}

const char *stepName(WorkflowStep step)
{
    switch (step) {
    case STEP_REGISTER: return "register";
    case STEP_ACCOUNT: return "account";
    case STEP_PACKAGE: return "package";
    case STEP_DRONE: return "drone";
    case STEP_THIRD_PARTY: return "thirdparty";
    case STEP_DELIVERY: return "delivery";
    case STEP_DONE: return "done";
    default: return "unspecified";
    }
}

} // namespace dd::backend
