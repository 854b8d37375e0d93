// Registers every backend service with the ServiceHost's factory table.
#pragma once

namespace dd::backend {

/// Call once before starting a ServiceHost; idempotent.
void registerBuiltInServices();

} // namespace dd::backend
