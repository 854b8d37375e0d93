// The stage machine of a delivery: what Register, Create, Cancel and a recorded failure do to it (no I/O).
#pragma once

#include "envelope.pb.h"
#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <optional>
#include <string>

namespace dd::backend::delivery {

/// What one request does to a stored delivery (docs/http-api.md, "Stages"):
///   (none) ─Register→ Requested ─Create→ Created → HeadedToPickup → HeadedToDropoff → Completed
///   Requested ─failure→ Failed ─Register (a supervisor's retry)→ Requested
///   Requested | Created | HeadedTo* | Rescheduled ─Cancel→ Cancelled
/// A failed reschedule or cancel leaves the stage as it was and only adds the failure
/// to the history (an event whose stage equals its previous one).
struct Transition
{
    enum class Kind {
        Write,  ///< save `delivery`, publish its event (previous → stage, `reason`)
        Event,  ///< publish an event for `delivery` without changing what is stored
        Replay, ///< nothing changes: answer with `delivery` as stored
        Refuse, ///< answer `code` / `message`
    };
    Kind kind = Kind::Refuse;
    dronedelivery::v1::Delivery delivery;
    dronedelivery::v1::DeliveryStage previous = dronedelivery::v1::STAGE_UNSPECIFIED;
    std::string reason;
    dronedelivery::v1::StatusCode code = dronedelivery::v1::OK;
    std::string message;
};

/// The Scheduler's first step: the accepted request becomes visible as Requested.
Transition onRegister(const std::optional<dronedelivery::v1::Delivery> &stored,
                      const dronedelivery::v1::Delivery &request, net::Micros now);
/// The schedule's last step: Requested (or Failed, retried) becomes Created.
Transition onCreate(const std::optional<dronedelivery::v1::Delivery> &stored,
                    const dronedelivery::v1::Delivery &request, net::Micros now);
Transition onCancel(const std::optional<dronedelivery::v1::Delivery> &stored, const std::string &deliveryId,
                    net::Micros now);
/// May a reschedule apply now? An empty result means yes.
std::optional<Transition> refuseReschedule(const std::optional<dronedelivery::v1::Delivery> &stored,
                                           const std::string &deliveryId);
/// A workflow failed: a schedule's delivery turns Failed; a reschedule's or cancel's only gains a history event.
Transition onFailure(const std::optional<dronedelivery::v1::Delivery> &stored,
                     const dronedelivery::v1::DeliveryFailureRequest &request, net::Micros now);

} // namespace dd::backend::delivery
