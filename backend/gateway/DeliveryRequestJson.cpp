// DeliveryRequestJson: field-by-field reading with Jackson's coercions and precise errors.
#include "backend/gateway/DeliveryRequestJson.h"

#include "backend/gateway/ApiJson.h"

#include <QDateTime>
#include <QJsonValue>

#include <cmath>

namespace dd::backend {

using namespace dronedelivery::v1;
using Error = DeliveryRequestJson::Error;

namespace {

std::optional<Error> fail(const QString &field, const QString &message)
{
    return Error{field, message};
}

/// Jackson turns any scalar into a String; objects and arrays are errors.
std::optional<Error> readText(const QJsonValue &value, const QString &field, std::string &out)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null: out.clear(); return std::nullopt;
    case QJsonValue::String: {
        const QString text = value.toString();
        if (text.size() > DeliveryRequestJson::kMaxTextLength)
            return fail(field, QStringLiteral("%1 is longer than %2 characters")
                                   .arg(field)
                                   .arg(DeliveryRequestJson::kMaxTextLength));
        out = text.toStdString();
        return std::nullopt;
    }
    case QJsonValue::Double: {
        const double number = value.toDouble();
        out = (std::floor(number) == number && std::fabs(number) < 9.0e15)
            ? std::to_string(std::int64_t(number))
            : QString::number(number, 'g', 17).toStdString();
        return std::nullopt;
    }
    case QJsonValue::Bool: out = value.toBool() ? "true" : "false"; return std::nullopt;
    default: return fail(field, QStringLiteral("%1 must be a string").arg(field));
    }
}

std::optional<Error> readBool(const QJsonValue &value, const QString &field, bool &out)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null: out = false; return std::nullopt;
    case QJsonValue::Bool: out = value.toBool(); return std::nullopt;
    case QJsonValue::Double:
        if (std::floor(value.toDouble()) == value.toDouble()) {
            out = value.toDouble() != 0;
            return std::nullopt;
        }
        break;
    case QJsonValue::String: {
        const QString text = value.toString().trimmed().toLower();
        if (text == QLatin1String("true") || text == QLatin1String("false")) {
            out = text == QLatin1String("true");
            return std::nullopt;
        }
        break;
    }
    default: break;
    }
    return fail(field, QStringLiteral("%1 must be a boolean").arg(field));
}

std::optional<Error> readNumber(const QJsonValue &value, const QString &field, double &out)
{
    bool ok = false;
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null: out = 0; return std::nullopt;
    case QJsonValue::Double: out = value.toDouble(); ok = true; break;
    case QJsonValue::String: out = value.toString().trimmed().toDouble(&ok); break;
    default: break;
    }
    if (!ok || !std::isfinite(out))
        return fail(field, QStringLiteral("%1 must be a number").arg(field));
    if (out < 0)
        return fail(field, QStringLiteral("%1 must not be negative").arg(field));
    return std::nullopt;
}

template <typename Enum>
std::optional<Error> readEnum(const QJsonValue &value, const QString &field,
                              const google::protobuf::EnumDescriptor *type, const QString &allowed, Enum &out)
{
    if (value.isUndefined() || value.isNull())
        return std::nullopt; // keeps the default
    if (value.isString()) {
        if (const auto parsed = ApiJson::parseEnum(type, value.toString())) {
            out = Enum(*parsed);
            return std::nullopt;
        }
        return fail(field, QStringLiteral("%1 must be one of %2, not \"%3\"").arg(field, allowed, value.toString()));
    }
    return fail(field, QStringLiteral("%1 must be one of %2").arg(field, allowed));
}

/// ISO 8601 as the reference's java.util.Date binding takes it, or epoch milliseconds.
std::optional<Error> readTime(const QJsonValue &value, const QString &field, std::string &out)
{
    out.clear();
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (value.isDouble()) {
        // Epoch milliseconds within ±8.64e15 (ECMAScript's Date range): converting a larger
        // or non-finite double to qint64 would be undefined behaviour.
        const double ms = value.toDouble();
        if (!std::isfinite(ms) || std::fabs(ms) > 8.64e15)
            return fail(field, QStringLiteral("%1 as epoch milliseconds must be within ±8.64e15").arg(field));
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC);
        if (time.isValid()) {
            out = time.toString(Qt::ISODateWithMs).toStdString();
            return std::nullopt;
        }
    } else if (value.isString()) {
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return std::nullopt;
        if (QDateTime::fromString(text, Qt::ISODateWithMs).isValid() || QDateTime::fromString(text, Qt::ISODate).isValid()
            || QDate::fromString(text, Qt::ISODate).isValid()) {
            out = text.toStdString(); // kept as given: the time zone the client meant stays visible
            return std::nullopt;
        }
        return fail(field, QStringLiteral("%1 must be an ISO 8601 date-time, not \"%2\"").arg(field, text));
    }
    return fail(field, QStringLiteral("%1 must be an ISO 8601 date-time").arg(field));
}

/// "dropOffLocation" is the reference's property name, "dropoffLocation" the one in its docs.
std::optional<Error> readDropoff(const QJsonObject &body, std::string &out)
{
    const QJsonValue camel = body.value(QLatin1String("dropOffLocation"));
    if (!camel.isUndefined() && !camel.isNull())
        return readText(camel, QStringLiteral("dropOffLocation"), out);
    return readText(body.value(QLatin1String("dropoffLocation")), QStringLiteral("dropoffLocation"), out);
}

std::optional<Error> readPackage(const QJsonValue &value, PackageInfo &out)
{
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject())
        return fail(QStringLiteral("packageInfo"), QStringLiteral("packageInfo must be an object"));
    const QJsonObject package = value.toObject();
    std::string text;
    if (auto error = readText(package.value(QLatin1String("packageId")), QStringLiteral("packageInfo.packageId"), text))
        return error;
    out.set_package_id(text);
    PackageSize size = PACKAGE_SIZE_UNSPECIFIED;
    if (auto error = readEnum(package.value(QLatin1String("size")), QStringLiteral("packageInfo.size"),
                              PackageSize_descriptor(), QStringLiteral("Small, Medium, Large"), size))
        return error;
    out.set_size(size);
    double weight = 0;
    if (auto error = readNumber(package.value(QLatin1String("weight")), QStringLiteral("packageInfo.weight"), weight))
        return error;
    out.set_weight(weight);
    if (auto error = readText(package.value(QLatin1String("tag")), QStringLiteral("packageInfo.tag"), text))
        return error;
    out.set_tag(text);
    return std::nullopt;
}

} // namespace

namespace {
/// Where and when: the fields a schedule and a reschedule share.
std::optional<Error> readRoute(const QJsonObject &body, DeliveryRequest &out)
{
    std::string text;
    if (auto error = readText(body.value(QLatin1String("pickupLocation")), QStringLiteral("pickupLocation"), text))
        return error;
    out.set_pickup_location(text);
    if (auto error = readDropoff(body, text))
        return error;
    out.set_dropoff_location(text);
    if (auto error = readTime(body.value(QLatin1String("pickupTime")), QStringLiteral("pickupTime"), text))
        return error;
    out.set_pickup_time(text);
    if (auto error = readText(body.value(QLatin1String("deadline")), QStringLiteral("deadline"), text))
        return error;
    out.set_deadline(text);
    return std::nullopt;
}
} // namespace

std::optional<Error> DeliveryRequestJson::readSchedule(const QJsonObject &body, DeliveryRequest &out)
{
    out.Clear();
    out.set_operation(SCHEDULE);
    std::string text;
    if (auto error = readText(body.value(QLatin1String("ownerId")), QStringLiteral("ownerId"), text))
        return error;
    if (text.empty())
        return fail(QStringLiteral("ownerId"), QStringLiteral("ownerId is required"));
    out.set_owner_id(text);
    if (auto error = readRoute(body, out))
        return error;
    bool expedited = false;
    if (auto error = readBool(body.value(QLatin1String("expedited")), QStringLiteral("expedited"), expedited))
        return error;
    out.set_expedited(expedited);
    ConfirmationType confirmation = CONFIRMATION_NONE;
    if (auto error = readEnum(body.value(QLatin1String("confirmationRequired")), QStringLiteral("confirmationRequired"),
                              ConfirmationType_descriptor(), QStringLiteral("FingerPrint, Picture, Voice, None"),
                              confirmation))
        return error;
    out.set_confirmation_required(confirmation);
    // Absent stays absent (has_package_info() false): the request rules refuse that, not the binding.
    const QJsonValue package = body.value(QLatin1String("packageInfo"));
    if (package.isUndefined() || package.isNull())
        return std::nullopt;
    return readPackage(package, *out.mutable_package_info());
}

std::optional<Error> DeliveryRequestJson::readReschedule(const QJsonObject &body, const std::string &deliveryId,
                                                         DeliveryRequest &out)
{
    out.Clear();
    out.set_operation(RESCHEDULE);
    out.set_delivery_id(deliveryId);
    std::string text;
    if (auto error = readRoute(body, out))
        return error;
    return std::nullopt;
}

bool DeliveryRequestJson::validId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (QChar c : id) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('.') || c == QLatin1Char('_')
            || c == QLatin1Char(':') || c == QLatin1Char('-');
        if (!ok)
            return false;
    }
    return true;
}

} // namespace dd::backend
