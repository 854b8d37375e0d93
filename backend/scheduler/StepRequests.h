// What each workflow step asks of its service, built from the workflow alone (no I/O).
#pragma once

#include "backend/scheduler/Workflow.h"
#include "services.pb.h"

#include <string>

namespace dd::backend::steps {

/// Where the request picks up and drops off: the coordinates Ingestion resolved, or
/// (a request accepted by an older build) the text resolved now.
dronedelivery::v1::Location pickupOf(const dronedelivery::v1::DeliveryRequest &request);
dronedelivery::v1::Location dropoffOf(const dronedelivery::v1::DeliveryRequest &request);

/// Delivery.Register: the delivery as the dispatcher asked for it, stage set by the service.
dronedelivery::v1::Delivery registration(const Workflow &workflow, const std::string &traceIdHex);
dronedelivery::v1::PackageCreateRequest packageCreate(const Workflow &workflow);
dronedelivery::v1::DroneScheduleRequest droneSchedule(const Workflow &workflow);
dronedelivery::v1::ThirdPartyScheduleRequest thirdPartySchedule(const Workflow &workflow);
/// Delivery.Create: what was booked, with the booking's ETAs.
dronedelivery::v1::Delivery creation(const Workflow &workflow, const std::string &traceIdHex);
dronedelivery::v1::DeliveryRescheduleRequest reschedule(const Workflow &workflow);
/// Delivery.RecordFailure for a failed workflow's transaction.
dronedelivery::v1::DeliveryFailureRequest failureRecord(const dronedelivery::v1::FailedTransaction &tx);

} // namespace dd::backend::steps
