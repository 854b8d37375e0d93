// When a workflow step that failed transiently runs again, and when it has waited long enough to fail.
#pragma once

#include "backend/scheduler/Workflow.h"
#include "net/resilience/Clock.h"

#include <optional>

namespace dd::backend {

/// A transient error (timeout, unavailable, open circuit, overloaded) never fails a
/// workflow at once: the step runs again with capped exponential backoff until
/// `window` has passed since its first transient failure (Temporal's schedule-to-close
/// timeout for an activity), and only then does the workflow fail.
struct TransientRetry
{
    net::Micros window = 15 * 60 * net::kSeconds;
    net::Micros base = 200 * net::kMillis;
    net::Micros cap = 30 * net::kSeconds;

    /// The delay before the next attempt, updating the workflow's retry state; nullopt
    /// once the window is spent (the workflow fails).
    std::optional<net::Micros> next(Workflow &workflow, net::Micros now) const;
    /// A step succeeded: its retry state starts afresh for the next one.
    static void reset(Workflow &workflow);
};

} // namespace dd::backend
