// RequestRules: owner, places, package and pickup time of a request, checked and resolved in one pass.
#include "backend/domain/RequestRules.h"

#include "backend/domain/PackageRules.h"

#include <QDateTime>
#include <QTimeZone>

#include <utility>

namespace dd::domain {

using namespace dronedelivery::v1;

namespace {

/// A reschedule's location left blank (or only spaces) keeps the current one.
bool blank(const std::string &text)
{
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::optional<FieldError> resolveInto(
    const std::string &text, const char *field, const RequestPolicy &policy, Location &out)
{
    PlaceResolver::Result result = PlaceResolver::standard().resolve(text, field, policy.places);
    if (!result.ok)
        return std::move(result.error);
    out = std::move(result.location);
    return std::nullopt;
}

/// NUL and the other C0 controls (and DEL) have no place in a stored name, place or tag: they
/// cut C strings, forge log lines and break the console's rendering.
std::optional<FieldError> controlCharacterIn(const DeliveryRequest &request)
{
    const std::pair<const char *, const std::string *> fields[] = {
        {"ownerId", &request.owner_id()},
        {"pickupLocation", &request.pickup_location()},
        {"dropOffLocation", &request.dropoff_location()},
        {"pickupTime", &request.pickup_time()},
        {"deadline", &request.deadline()},
        {"packageInfo.packageId", &request.package_info().package_id()},
        {"packageInfo.tag", &request.package_info().tag()},
    };
    for (const auto &[field, text] : fields)
        for (const char c : *text)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                return FieldError {field, std::string(field) + " must not contain control characters (NUL, newline, ...)", {}};
    return std::nullopt;
}

std::optional<FieldError> pickupTime(DeliveryRequest &request, std::int64_t nowUs)
{
    request.set_pickup_time_us(0);
    if (request.pickup_time().empty())
        return std::nullopt;
    const auto at = RequestRules::parseTime(request.pickup_time());
    if (!at)
        return FieldError {
            "pickupTime", "pickupTime must be an ISO 8601 date-time, not \"" + request.pickup_time() + "\"", {}};
    if (*at > nowUs + RequestRules::kMaxPickupAheadUs)
        return FieldError {"pickupTime", "pickupTime is more than 7 days ahead", {}};
    if (*at > nowUs)
        request.set_pickup_time_us(*at);
    return std::nullopt;
}

} // namespace

std::optional<std::int64_t> RequestRules::parseTime(const std::string &iso8601)
{
    const QString text = QString::fromStdString(iso8601).trimmed();
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        time = date.startOfDay(QTimeZone::utc());
    }
    if (time.timeSpec() == Qt::LocalTime) // no offset written: UTC, not this server's zone
        time.setTimeSpec(Qt::UTC);
    return std::int64_t(time.toMSecsSinceEpoch()) * 1000;
}

std::optional<FieldError> RequestRules::prepare(
    DeliveryRequest &request, const RequestPolicy &policy, std::int64_t nowUs)
{
    if (request.operation() == SCHEDULE || request.operation() == RESCHEDULE)
        if (auto error = controlCharacterIn(request))
            return error;
    switch (request.operation()) {
    case SCHEDULE: {
        if (request.owner_id().empty())
            return FieldError {"ownerId", "ownerId is required", {}};
        if (auto error = resolveInto(request.pickup_location(), "pickupLocation", policy, *request.mutable_pickup()))
            return error;
        if (auto error = resolveInto(request.dropoff_location(), "dropOffLocation", policy, *request.mutable_dropoff()))
            return error;
        if (!request.has_package_info())
            return FieldError {"packageInfo", "packageInfo is required", {}};
        if (auto error = PackageRules::prepare(*request.mutable_package_info()))
            return error;
        return pickupTime(request, nowUs);
    }
    case RESCHEDULE:
        if (!blank(request.pickup_location()))
            if (auto error
                = resolveInto(request.pickup_location(), "pickupLocation", policy, *request.mutable_pickup()))
                return error;
        if (!blank(request.dropoff_location()))
            if (auto error
                = resolveInto(request.dropoff_location(), "dropOffLocation", policy, *request.mutable_dropoff()))
                return error;
        return pickupTime(request, nowUs);
    default:
        return std::nullopt;
    }
}

} // namespace dd::domain
