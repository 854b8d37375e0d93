// ApiJson: protobuf → JSON for the HTTP API and the event stream.
#include "backend/gateway/ApiJson.h"

#include <google/protobuf/descriptor.h>

#include <QDateTime>
#include <QJsonArray>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {

/// Value names carry their type as a prefix where C++ scoping needs it (TX_, STAGE_, CONFIRMATION_, ...).
QString withoutTypePrefix(const std::string &name)
{
    for (const char *prefix : {"TX_", "COMP_", "STEP_", "STAGE_", "CONFIRMATION_", "DRONE_STATE_", "PACKAGE_SIZE_"}) {
        const std::string p(prefix);
        if (name.size() > p.size() && name.compare(0, p.size(), p) == 0)
            return QString::fromStdString(name.substr(p.size()));
    }
    return QString::fromStdString(name);
}

QString normalized(const QString &text)
{
    QString out;
    for (QChar c : text)
        if (c != QLatin1Char('_') && c != QLatin1Char('-') && c != QLatin1Char(' '))
            out += c.toLower();
    return out;
}

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

QString ApiJson::enumName(const google::protobuf::EnumDescriptor *type, int value)
{
    const auto *descriptor = type->FindValueByNumber(value);
    if (!descriptor)
        return QStringLiteral("Unknown");
    // The reference spells it "FingerPrint"; no upper-snake name can say that.
    if (type == ConfirmationType_descriptor() && value == FINGERPRINT)
        return QStringLiteral("FingerPrint");
    const QString bare = withoutTypePrefix(descriptor->name());
    if (bare == QLatin1String("UNSPECIFIED"))
        return QStringLiteral("Unknown");
    QString out;
    bool upper = true;
    for (QChar c : bare) {
        if (c == QLatin1Char('_')) {
            upper = true;
            continue;
        }
        out += upper ? c.toUpper() : c.toLower();
        upper = false;
    }
    return out;
}

std::optional<int> ApiJson::parseEnum(const google::protobuf::EnumDescriptor *type, const QString &text)
{
    const QString wanted = normalized(text);
    if (wanted.isEmpty())
        return std::nullopt;
    for (int i = 0; i < type->value_count(); ++i) {
        const auto *value = type->value(i);
        const QString bare = withoutTypePrefix(value->name());
        if (bare == QLatin1String("UNSPECIFIED"))
            continue;
        if (normalized(bare) == wanted || normalized(QString::fromStdString(value->name())) == wanted)
            return value->number();
    }
    return std::nullopt;
}

QJsonValue ApiJson::time(std::int64_t micros)
{
    if (micros <= 0)
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject ApiJson::location(const Location &location)
{
    QJsonObject json{{"latitude", location.latitude()}, {"longitude", location.longitude()},
                     {"altitude", location.altitude()}};
    if (!location.place().empty())
        json.insert("place", str(location.place()));
    if (location.stand_in())
        json.insert("standIn", true); // free text no gazetteer knows: a stand-in point (docs/http-api.md)
    return json;
}

QJsonValue ApiJson::failure(const DeliveryFailure &failure)
{
    if (failure.transaction_id().empty() && failure.error().empty())
        return QJsonValue::Null;
    return QJsonObject{{"step", str(failure.step())},
                       {"error", str(failure.error())},
                       {"transactionId", str(failure.transaction_id())},
                       {"operation", enumName(RequestOperation_descriptor(), failure.operation())},
                       {"at", time(failure.at_us())}};
}

QJsonObject ApiJson::request(const DeliveryRequest &request)
{
    const QJsonValue pickupTime =
        request.pickup_time().empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(str(request.pickup_time()));
    if (request.operation() == CANCEL)
        return {{"deliveryId", str(request.delivery_id())}, {"operation", QStringLiteral("Cancel")}};
    if (request.operation() == RESCHEDULE) // the reference's ExternalRescheduledDelivery
        return {{"deliveryId", str(request.delivery_id())},
                {"operation", QStringLiteral("Reschedule")},
                {"pickupLocation", str(request.pickup_location())},
                {"dropOffLocation", str(request.dropoff_location())},
                {"dropoffLocation", str(request.dropoff_location())},
                {"pickupTime", pickupTime},
                {"deadline", str(request.deadline())}};
    const PackageInfo &package = request.package_info();
    return {
        {"deliveryId", str(request.delivery_id())},
        {"ownerId", str(request.owner_id())},
        {"pickupLocation", str(request.pickup_location())},
        // The reference serialises its getter's name; "dropoffLocation" is what people type.
        {"dropOffLocation", str(request.dropoff_location())},
        {"dropoffLocation", str(request.dropoff_location())},
        {"pickupTime", pickupTime},
        {"deadline", str(request.deadline())},
        {"expedited", request.expedited()},
        {"confirmationRequired", enumName(ConfirmationType_descriptor(), request.confirmation_required())},
        {"packageInfo",
         QJsonObject{{"packageId", str(package.package_id())},
                     {"size", package.size() == PACKAGE_SIZE_UNSPECIFIED
                                  ? QJsonValue(QJsonValue::Null)
                                  : QJsonValue(enumName(PackageSize_descriptor(), package.size()))},
                     {"weight", package.weight()},
                     {"tag", str(package.tag())}}},
    };
}

QJsonObject ApiJson::delivery(const Delivery &delivery)
{
    const PackageInfo &package = delivery.package_info();
    return {
        {"id", str(delivery.delivery_id())},
        {"deliveryId", str(delivery.delivery_id())},
        {"ownerId", str(delivery.owner_id())},
        {"pickupLocation", str(delivery.pickup_location())},
        {"dropoffLocation", str(delivery.dropoff_location())},
        {"pickup", location(delivery.pickup())},
        {"dropoff", location(delivery.dropoff())},
        {"pickupTime", delivery.pickup_time().empty() ? QJsonValue(QJsonValue::Null) : str(delivery.pickup_time())},
        {"deadline", str(delivery.deadline())},
        {"expedited", delivery.expedited()},
        {"confirmationRequired", enumName(ConfirmationType_descriptor(), delivery.confirmation_required())},
        {"packageId", str(delivery.package_id())},
        {"packageInfo",
         QJsonObject{{"packageId", str(package.package_id())},
                     {"size", enumName(PackageSize_descriptor(), package.size())},
                     {"weight", package.weight()},
                     {"tag", str(package.tag())}}},
        {"droneId", str(delivery.drone_id())},
        {"thirdPartyBooking", str(delivery.third_party_booking())},
        {"stage", enumName(DeliveryStage_descriptor(), delivery.stage())},
        {"lastKnownLocation", location(delivery.last_known_location())},
        {"pickupETA", time(delivery.pickup_eta_us())},
        {"deliveryETA", time(delivery.delivery_eta_us())},
        {"createdAt", time(delivery.created_at_us())},
        {"updatedAt", time(delivery.updated_at_us())},
        {"traceId", str(delivery.trace_id())},
        {"pickupAt", time(delivery.pickup_time_us())},
        {"failure", failure(delivery.failure())},
        {"waiting", delivery.waiting().empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(str(delivery.waiting()))},
    };
}

QJsonObject ApiJson::deliveryStatus(const Delivery &delivery)
{
    return {
        {"stage", enumName(DeliveryStage_descriptor(), delivery.stage())},
        {"lastKnownLocation", location(delivery.last_known_location())},
        {"pickupETA", time(delivery.pickup_eta_us())},
        {"deliveryETA", time(delivery.delivery_eta_us())},
        {"failure", failure(delivery.failure())},
        {"waiting", delivery.waiting().empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(str(delivery.waiting()))},
    };
}

QJsonObject ApiJson::deliveryEvent(const DeliveryEvent &event)
{
    return {
        {"deliveryId", str(event.delivery_id())},
        {"stage", enumName(DeliveryStage_descriptor(), event.stage())},
        {"previous", enumName(DeliveryStage_descriptor(), event.previous())},
        {"location", location(event.location())},
        {"at", time(event.at_us())},
        {"reason", str(event.reason())},
        {"droneId", str(event.drone_id())},
        {"ownerId", str(event.owner_id())},
        {"pickupETA", time(event.pickup_eta_us())},
        {"deliveryETA", time(event.delivery_eta_us())},
        {"failure", failure(event.failure())},
    };
}

QJsonObject ApiJson::drone(const DroneTelemetry &drone)
{
    return {
        {"droneId", str(drone.drone_id())},
        {"latitude", drone.latitude()},
        {"longitude", drone.longitude()},
        {"altitude", drone.altitude()},
        {"heading", drone.heading()},
        {"speed", drone.speed()},
        {"battery", drone.battery()},
        {"state", enumName(DroneState_descriptor(), drone.state())},
        {"deliveryId", str(drone.delivery_id())},
        {"at", time(drone.at_us())},
        {"target", location(drone.target())},
    };
}

QJsonObject ApiJson::transaction(const FailedTransaction &transaction)
{
    QJsonArray completed;
    for (const CompletedStep &step : transaction.completed())
        completed.append(QJsonObject{{"step", enumName(WorkflowStep_descriptor(), step.step())},
                                     {"resourceId", str(step.resource_id())},
                                     {"detail", str(step.detail())}});
    QJsonArray compensations;
    for (const CompensationStep &step : transaction.compensations())
        compensations.append(QJsonObject{{"step", enumName(WorkflowStep_descriptor(), step.step())},
                                         {"resourceId", str(step.resource_id())},
                                         {"state", enumName(CompensationState_descriptor(), step.state())},
                                         {"requiresApproval", step.requires_approval()},
                                         {"reason", str(step.reason())},
                                         {"attempts", int(step.attempts())},
                                         {"lastError", str(step.last_error())},
                                         {"updatedAt", time(step.updated_at_us())}});
    QJsonObject json{
        {"transactionId", str(transaction.transaction_id())},
        {"deliveryId", str(transaction.delivery_id())},
        {"ownerId", str(transaction.owner_id())},
        {"operation", enumName(RequestOperation_descriptor(), transaction.operation())},
        {"failedStep", enumName(WorkflowStep_descriptor(), transaction.failed_step())},
        {"error", str(transaction.error())},
        {"completed", completed},
        {"compensations", compensations},
        {"state", enumName(TransactionState_descriptor(), transaction.state())},
        {"createdAt", time(transaction.created_at_us())},
        {"updatedAt", time(transaction.updated_at_us())},
        {"traceId", str(transaction.trace_id())},
    };
    if (transaction.has_request())
        json.insert("request", request(transaction.request()));
    return json;
}

QJsonObject ApiJson::account(const Account &account)
{
    QJsonArray changes;
    for (const AccountChange &change : account.changes())
        changes.append(QJsonObject{{"at", time(change.at_us())},
                                   {"user", str(change.user())},
                                   {"role", str(change.role())},
                                   {"action", str(change.action())},
                                   {"reason", str(change.reason())}});
    QJsonObject json{
        {"ownerId", str(account.owner_id())},
        {"name", str(account.name())},
        {"active", account.active()},
        {"suspensionReason", account.active() ? QJsonValue(QJsonValue::Null) : QJsonValue(str(account.suspension_reason()))},
        {"registeredOnFirstUse", account.registered_on_first_use()},
        {"createdAt", time(account.created_at_us())},
        {"updatedAt", time(account.updated_at_us())},
    };
    if (!changes.isEmpty())
        json.insert("changes", changes);
    return json;
}

} // namespace dd::backend
