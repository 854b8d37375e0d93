// The demo owners the Account service seeds on first start (ids owner-001 … owner-050).
#pragma once

#include "services.pb.h"

#include <vector>

namespace dd::backend {

/// Fifty accounts, a few of them suspended with a reason, so a demo shows both
/// the happy path and the Scheduler refusing a suspended owner. Always the same list.
std::vector<dronedelivery::v1::Account> demoAccounts();

} // namespace dd::backend
