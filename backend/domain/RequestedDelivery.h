// A delivery as its request asked for it, before any step has booked anything (no I/O).
#pragma once

#include "domain.pb.h"
#include "services.pb.h"

namespace dd::domain {

/// Ids, owner, places (text and resolved coordinates), times and package of the
/// request; no stage, drone, booking or ETA. What Delivery.Register stores and what the
/// gateway shows for an accepted request the Delivery service does not hold yet.
dronedelivery::v1::Delivery requestedDelivery(const dronedelivery::v1::DeliveryRequest &request);

} // namespace dd::domain
