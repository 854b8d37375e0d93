// The console's schedule / reschedule form read into a DeliveryRequest by the gateway's own JSON binding rules.
#pragma once

#include "domain.pb.h"

#include <QJsonObject>
#include <QString>
#include <QVariantMap>

namespace dd::console {

/// The form has the HTTP API's keys, flattened: ownerId, pickupLocation,
/// dropOffLocation (dropoffLocation too), pickupTime (ISO 8601 text, epoch ms or a
/// date), deadline, expedited, confirmationRequired, packageId, size, weight, tag.
/// Empty text counts as not given. The rules are the gateway's (DeliveryRequestJson),
/// run on the same JSON, so the console accepts exactly what POST
/// /api/deliveryrequests accepts; a field in an error is the form's key ("size",
/// not "packageInfo.size").
class DeliveryForm
{
public:
    struct Result
    {
        bool ok = false;
        QString field;
        QString message;
        dronedelivery::v1::DeliveryRequest request;
    };

    /// The gateway's rules, and one more: a location is coordinates or a known place
    /// (PlacePolicy::Strict). The API takes free text leniently; a dispatcher who typed a
    /// name meant that place, so a name the gazetteer does not know is refused here.
    static Result schedule(const QVariantMap &form);
    static Result reschedule(const QString &deliveryId, const QVariantMap &form);
    /// What a location box resolves to, in words ("West Seattle · 47.5612, -122.3868"), strictly.
    static QVariantMap describePlace(const QString &text);
    /// The request body the HTTP API would have received for this form.
    static QJsonObject toJson(const QVariantMap &form);
};

} // namespace dd::console
