// Compensation planning and summarizing.
#include "backend/supervisor/CompensationPlan.h"

#include <algorithm>

namespace dd::backend {

using namespace dronedelivery::v1;

void planCompensations(FailedTransaction &tx, std::int64_t now)
{
    tx.clear_compensations();
    // Undo in reverse order of doing: the last thing booked is the first released.
    std::vector<const CompletedStep *> steps;
    for (const auto &step : tx.completed())
        steps.push_back(&step);
    std::stable_sort(steps.begin(), steps.end(),
                     [](const CompletedStep *a, const CompletedStep *b) { return a->step() > b->step(); });
    for (const CompletedStep *done : steps) {
        CompensationStep *c = tx.add_compensations();
        c->set_step(done->step());
        c->set_resource_id(done->resource_id());
        c->set_updated_at_us(now);
        c->set_state(COMP_PENDING);
        if (done->step() == STEP_ACCOUNT) {
            c->set_state(COMP_SKIPPED); // a check books nothing
            c->set_reason("nothing to undo");
        } else if (done->step() == STEP_THIRD_PARTY) {
            c->set_requires_approval(true);
            c->set_reason("paid third-party booking " + done->resource_id());
        }
    }
}

bool isTerminal(CompensationState state)
{
    return state == COMP_DONE || state == COMP_SKIPPED || state == COMP_REJECTED;
}

TransactionState summarize(const FailedTransaction &tx)
{
    if (tx.state() == TX_RETRIED)
        return TX_RETRIED;
    bool rejected = false;
    for (const auto &c : tx.compensations()) {
        if (c.state() == COMP_ESCALATED)
            return TX_ESCALATED;
        if (c.state() == COMP_AWAITING_APPROVAL)
            return TX_AWAITING_APPROVAL;
        if (!isTerminal(c.state()))
            return TX_COMPENSATING;
        rejected = rejected || c.state() == COMP_REJECTED;
    }
    return rejected ? TX_REJECTED : TX_COMPENSATED;
}

} // namespace dd::backend
