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
    /// A DeliveryFailure's step ("package", "thirdparty") as the Transactions panel names it
    /// ("Package", "ThirdParty"); "" stays "".
    static QString failureStep(const QString &step);
    /// A breaker state as the metrics export it ("half_open", "forced-closed" too) for people:
    /// "Closed", "Open", "Half-open", "Isolated", "Forced closed"; "" stays "", others capitalised.
    static QString breakerState(const QString &state);
    /// The same state as the metrics export it ("half-open" becomes "half_open").
    static QString breakerKey(const QString &state);
    /// Why a Requested or Failed delivery is where it is, in a line ("" for other stages).
    static QString deliveryReason(
        int deliveryStage, const QString &waiting, const QString &failureStep, const QString &failureError);
    /// Drone states 2..4 (to pickup, to dropoff, returning): in the air.
    static bool isFlying(int droneState);
    /// Deliveries not yet Completed, Cancelled or Failed.
    static bool isActiveStage(int deliveryStage);
};

} // namespace dd::console
