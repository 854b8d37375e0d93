// The HTTP API's JSON shapes of the protobuf messages, and the API names of their enums.
#pragma once

#include "domain.pb.h"
#include "services.pb.h"
#include "workflow.pb.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace google::protobuf {
class EnumDescriptor;
}

namespace dd::backend {

/// Field names follow the reference implementation (camelCase, `pickupETA`,
/// `dropOffLocation`); enum values are PascalCase names ("HeadedToPickup",
/// "FingerPrint", "AwaitingApproval"); times are ISO 8601 UTC, null when unknown.
class ApiJson
{
public:
    /// "HEADED_TO_PICKUP" → "HeadedToPickup" (a type prefix such as "TX_" is dropped).
    static QString enumName(const google::protobuf::EnumDescriptor *type, int value);
    /// Case-insensitive, '_' and '-' ignored: "headedToPickup", "HEADED_TO_PICKUP" and
    /// "headed-to-pickup" all parse. The UNSPECIFIED value never parses.
    static std::optional<int> parseEnum(const google::protobuf::EnumDescriptor *type, const QString &text);

    static QJsonValue time(std::int64_t micros);
    static QJsonObject location(const dronedelivery::v1::Location &location);
    /// {step, error, transactionId, operation, at}, or null when there is none.
    static QJsonValue failure(const dronedelivery::v1::DeliveryFailure &failure);
    static QJsonObject account(const dronedelivery::v1::Account &account);

    /// The accepted request in the reference's ExternalDelivery shape, plus deliveryId.
    static QJsonObject request(const dronedelivery::v1::DeliveryRequest &request);
    static QJsonObject delivery(const dronedelivery::v1::Delivery &delivery);
    /// The reference's DeliveryStatus: {stage, lastKnownLocation, pickupETA, deliveryETA}.
    static QJsonObject deliveryStatus(const dronedelivery::v1::Delivery &delivery);
    static QJsonObject deliveryEvent(const dronedelivery::v1::DeliveryEvent &event);
    static QJsonObject drone(const dronedelivery::v1::DroneTelemetry &drone);
    static QJsonObject transaction(const dronedelivery::v1::FailedTransaction &transaction);
};

} // namespace dd::backend
