// TransientRetry: doubling delays from `base` up to `cap`, the last attempt at the window's end.
#include "backend/scheduler/TransientRetry.h"

#include <algorithm>

namespace dd::backend {

std::optional<net::Micros> TransientRetry::next(Workflow &workflow, net::Micros now) const
{
    if (workflow.transientSince == 0)
        workflow.transientSince = now;
    const net::Micros deadline = workflow.transientSince + window;
    if (now >= deadline)
        return std::nullopt;
    const int shift = std::min(workflow.transientRounds, 30);
    net::Micros delay = std::min(cap, base << shift);
    delay = std::min(delay, deadline - now); // one last attempt when the window closes
    ++workflow.transientRounds;
    workflow.nextAttemptAt = now + delay;
    return delay;
}

void TransientRetry::reset(Workflow &workflow)
{
    workflow.transientRounds = 0;
    workflow.transientSince = 0;
    workflow.nextAttemptAt = 0;
    workflow.waiting.clear();
}

} // namespace dd::backend
