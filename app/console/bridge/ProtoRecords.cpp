// ProtoRecords: field-by-field copies, enum names as the HTTP API spells them.
#include "bridge/ProtoRecords.h"

#include "models/ConsoleNames.h"

#include <QVariantMap>

namespace dd::console {

using namespace dronedelivery::v1;

namespace {
QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

FailureRecord failureOf(const DeliveryFailure &f)
{
    FailureRecord r;
    r.operation = int(f.operation());
    r.step = text(f.step());
    r.error = text(f.error());
    r.transactionId = text(f.transaction_id());
    r.at = ProtoRecords::millis(f.at_us());
    return r;
}
} // namespace

DroneRecord ProtoRecords::drone(const DroneTelemetry &t, const QString &droneId, const QString &deliveryId)
{
    DroneRecord d;
    d.droneId = droneId;
    d.state = int(t.state());
    d.latitude = t.latitude();
    d.longitude = t.longitude();
    d.altitude = t.altitude();
    d.heading = t.heading();
    d.speed = t.speed();
    d.battery = t.battery();
    d.deliveryId = deliveryId;
    return d;
}

fleetmap::DroneView ProtoRecords::droneView(const DroneTelemetry &t, const QString &droneId, const QString &deliveryId)
{
    fleetmap::DroneView v;
    v.id = droneId;
    v.deliveryId = deliveryId;
    v.latitude = t.latitude();
    v.longitude = t.longitude();
    if (t.has_target()) {
        v.targetLatitude = t.target().latitude();
        v.targetLongitude = t.target().longitude();
    }
    v.heading = float(t.heading());
    v.battery = float(t.battery());
    v.state = int(t.state());
    return v;
}

DeliveryRecord ProtoRecords::delivery(const Delivery &d)
{
    DeliveryRecord r;
    r.deliveryId = text(d.delivery_id());
    r.ownerId = text(d.owner_id());
    r.stage = int(d.stage());
    r.droneId = text(d.drone_id());
    r.thirdPartyBooking = text(d.third_party_booking());
    r.pickupLocation = text(d.pickup_location());
    r.dropoffLocation = text(d.dropoff_location());
    r.pickupEta = millis(d.pickup_eta_us());
    r.deliveryEta = millis(d.delivery_eta_us());
    r.createdAt = millis(d.created_at_us());
    r.updatedAt = millis(d.updated_at_us());
    r.expedited = d.expedited();
    r.packageId = text(d.package_id().empty() ? d.package_info().package_id() : d.package_id());
    r.traceId = text(d.trace_id());
    r.pickupTime = millis(d.pickup_time_us());
    r.waiting = text(d.waiting());
    if (d.has_failure())
        r.failure = failureOf(d.failure());
    return r;
}

fleetmap::DeliveryMarker ProtoRecords::marker(const Delivery &d)
{
    fleetmap::DeliveryMarker m;
    m.deliveryId = text(d.delivery_id());
    m.pickupLatitude = d.pickup().latitude();
    m.pickupLongitude = d.pickup().longitude();
    m.dropoffLatitude = d.dropoff().latitude();
    m.dropoffLongitude = d.dropoff().longitude();
    m.stage = int(d.stage());
    return m;
}

DeliveryStageUpdate ProtoRecords::stageUpdate(const DeliveryEvent &e)
{
    DeliveryStageUpdate u;
    u.deliveryId = text(e.delivery_id());
    u.stage = int(e.stage());
    u.droneId = text(e.drone_id());
    u.at = millis(e.at_us());
    u.reason = text(e.reason());
    u.latitude = e.location().latitude();
    u.longitude = e.location().longitude();
    u.pickupEta = millis(e.pickup_eta_us());
    u.deliveryEta = millis(e.delivery_eta_us());
    if (e.has_failure())
        u.failure = failureOf(e.failure());
    return u;
}

TimelineEntry ProtoRecords::timelineEntry(const DeliveryEvent &e)
{
    TimelineEntry t;
    t.stage = int(e.stage());
    t.at = millis(e.at_us());
    t.reason = text(e.reason());
    if (t.reason.isEmpty() && e.has_failure()) // a failed change leaves the stage: say what failed
        t.reason = QStringLiteral("%1 failed: %2")
                       .arg(ConsoleNames::operation(int(e.failure().operation())), text(e.failure().error()));
    t.latitude = e.location().latitude();
    t.longitude = e.location().longitude();
    t.droneId = text(e.drone_id());
    return t;
}

TransactionRecord ProtoRecords::transaction(const FailedTransaction &tx)
{
    TransactionRecord r;
    r.transactionId = text(tx.transaction_id());
    r.deliveryId = text(tx.delivery_id());
    r.ownerId = text(tx.owner_id().empty() ? tx.request().owner_id() : tx.owner_id());
    r.operation = ConsoleNames::operation(int(tx.operation()));
    r.failedStep = ConsoleNames::step(int(tx.failed_step()));
    r.error = text(tx.error());
    r.state = int(tx.state());
    r.createdAt = millis(tx.created_at_us());
    r.updatedAt = millis(tx.updated_at_us());
    r.traceId = text(tx.trace_id());
    r.awaitingApproval = tx.state() == TX_AWAITING_APPROVAL;
    for (const CompensationStep &c : tx.compensations()) {
        r.awaitingApproval = r.awaitingApproval || c.state() == COMP_AWAITING_APPROVAL;
        r.compensations.append(QVariantMap{
            {QStringLiteral("step"), ConsoleNames::step(int(c.step()))},
            {QStringLiteral("resourceId"), text(c.resource_id())},
            {QStringLiteral("state"), int(c.state())},
            {QStringLiteral("stateName"), ConsoleNames::compensationState(int(c.state()))},
            {QStringLiteral("requiresApproval"), c.requires_approval()},
            {QStringLiteral("reason"), text(c.reason())},
            {QStringLiteral("attempts"), int(c.attempts())},
            {QStringLiteral("lastError"), text(c.last_error())},
        });
    }
    return r;
}

AuditRecord ProtoRecords::audit(const AuditEntry &e)
{
    AuditRecord a;
    a.at = millis(e.at_us());
    a.user = text(e.user());
    a.role = text(e.role());
    a.action = text(e.action());
    a.transactionId = text(e.transaction_id());
    a.comment = text(e.comment());
    a.outcome = text(e.outcome());
    return a;
}

FaultRecord ProtoRecords::fault(const net::FaultRule &rule)
{
    FaultRecord f;
    f.spec = text(rule.toSpec());
    f.service = text(rule.service);
    f.method = text(rule.method);
    f.kind = QString::fromLatin1(net::toString(rule.kind));
    f.percent = rule.percent;
    f.delayMs = double(rule.delay) / 1000.0;
    return f;
}

} // namespace dd::console
