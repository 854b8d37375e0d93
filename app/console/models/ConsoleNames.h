// Display names of the backend's enums, the same PascalCase names as the HTTP API ("HeadedToPickup").
#pragma once

#include <QString>

namespace dd::console {

class ConsoleNames
{
public:
    static QString stage(int deliveryStage);
    static QString droneState(int droneState);
    static QString transactionState(int transactionState);
    static QString compensationState(int compensationState);
    static QString step(int workflowStep);
    static QString operation(int requestOperation);
    /// Drone states 2..4 (to pickup, to dropoff, returning): in the air.
    static bool isFlying(int droneState);
    /// Deliveries not yet Completed, Cancelled or Failed.
    static bool isActiveStage(int deliveryStage);
};

} // namespace dd::console
