// The Delivery service's pure rules: validation, reschedule edits, event names and payloads (no I/O).
#pragma once

#include "services.pb.h"

#include <string>

namespace dd::backend::delivery {

/// "HeadedToPickup" for STAGE_HEADED_TO_PICKUP: the event type is "Delivery" + this.
const char *stageName(dronedelivery::v1::DeliveryStage stage);
std::string eventType(dronedelivery::v1::DeliveryStage stage);

/// Finite, |latitude| ≤ 90, |longitude| ≤ 180.
bool validCoordinates(const dronedelivery::v1::Location &location);
/// Not the (0,0) of an unset location.
bool known(const dronedelivery::v1::Location &location);

/// Fills pickup/dropoff coordinates from the free-text locations where only the text was given.
void resolveLocations(dronedelivery::v1::Delivery &delivery, bool hadPickup, bool hadDropoff);
/// The delivery with the request's non-empty fields applied (coordinates follow new text).
dronedelivery::v1::Delivery rescheduled(const dronedelivery::v1::Delivery &delivery,
                                        const dronedelivery::v1::DeliveryRescheduleRequest &request);

/// The status event announcing the delivery's current stage.
dronedelivery::v1::DeliveryEvent eventOf(const dronedelivery::v1::Delivery &delivery,
                                         dronedelivery::v1::DeliveryStage previous, const std::string &reason);

} // namespace dd::backend::delivery
