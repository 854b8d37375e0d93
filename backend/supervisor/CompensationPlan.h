// Which compensations a failed transaction needs, in which order, and which need a person's approval.
#pragma once

#include "workflow.pb.h"

namespace dd::backend {

/// Fills tx.compensations from tx.completed: the reverse of the completed steps.
/// A paid third-party booking always needs approval; a drone needs it only if it
/// turns out to be airborne (checked when its turn comes); the rest is automatic.
void planCompensations(dronedelivery::v1::FailedTransaction &tx, std::int64_t now);

bool isTerminal(dronedelivery::v1::CompensationState state);
/// The transaction's state from its steps' states.
dronedelivery::v1::TransactionState summarize(const dronedelivery::v1::FailedTransaction &tx);

} // namespace dd::backend
