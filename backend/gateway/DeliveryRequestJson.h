// Reads the reference API's delivery request JSON into a DeliveryRequest, as leniently as its Jackson binding.
#pragma once

#include "domain.pb.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace dd::backend {

/// Lenient where Jackson (Spring Boot defaults) is: unknown fields are ignored,
/// missing or null fields take their defaults, scalars are coerced (a number where a
/// string is expected, "true" or 1 for a boolean, "2.5" for a number), enums in any
/// case. Strict where it is not: an object or array where a scalar belongs, text that
/// is no number, an unknown enum name or a pickupTime that is no ISO 8601 date-time is
/// an error naming the field. ownerId is required (the reference fails without it).
/// Only the binding: what the values must mean (real places, a package a carrier takes,
/// a pickupTime within 7 days) is domain::RequestRules', applied by Ingestion's accept.
class DeliveryRequestJson
{
public:
    struct Error
    {
        QString field;
        QString message;
    };

    /// POST /api/deliveryrequests → a SCHEDULE request (the id is assigned on accept).
    static std::optional<Error> readSchedule(const QJsonObject &body, dronedelivery::v1::DeliveryRequest &out);
    /// PATCH /api/deliveryrequests/{id} → a RESCHEDULE request for `deliveryId`.
    static std::optional<Error> readReschedule(const QJsonObject &body, const std::string &deliveryId,
                                               dronedelivery::v1::DeliveryRequest &out);
    /// An id taken from a URL: 1..128 characters of [A-Za-z0-9._:-].
    static bool validId(const QString &id);

    static constexpr int kMaxTextLength = 4096;
};

} // namespace dd::backend
