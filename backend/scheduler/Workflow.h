// One delivery request's journey through the workflow: its step, what it booked, how it ended.
#pragma once

#include "workflow.pb.h"

#include <cstdint>
#include <string>

namespace dd::backend {

/// The durable state of one workflow: what the Scheduler checkpoints after each step.
struct Workflow
{
    enum class State { Running, Done, Failed };

    std::string id; ///< "<deliveryId>:<operation>:<sequence>", unique per accepted request
    dronedelivery::v1::DeliveryRequest request;
    dronedelivery::v1::WorkflowStep step = dronedelivery::v1::STEP_ACCOUNT;
    State state = State::Running;
    std::string packageId;
    std::string droneId;
    std::string bookingId;
    std::string error;
    std::int64_t updatedAt = 0;
    std::int64_t pickupEta = 0;  ///< from the Drone's booking, for Delivery.Create
    std::int64_t dropoffEta = 0;
    // Not persisted: a resumed workflow starts its retry window again.
    int transientRounds = 0;         ///< re-runs of the current step after transient failures
    std::int64_t transientSince = 0; ///< when the current step first failed transiently (0: it has not)
    std::int64_t nextAttemptAt = 0;  ///< when a waiting step runs again
    std::string waiting;             ///< why it waits ("" while running)

    /// The first step of an operation.
    static dronedelivery::v1::WorkflowStep firstStep(dronedelivery::v1::RequestOperation operation);
    /// The step after `step` has succeeded.
    dronedelivery::v1::WorkflowStep nextStep() const;
    /// The key every downstream call of this step carries: a replay has no second effect.
    std::string idempotencyKey(dronedelivery::v1::WorkflowStep forStep) const;
    /// The failed transaction the Supervisor gets when this workflow fails at `step`.
    dronedelivery::v1::FailedTransaction toFailedTransaction(std::int64_t now) const;

    static std::string makeId(const dronedelivery::v1::DeliveryRequest &request);
};

const char *stepName(dronedelivery::v1::WorkflowStep step);

} // namespace dd::backend
