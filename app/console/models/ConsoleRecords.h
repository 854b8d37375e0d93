// Plain rows the bridge builds on its thread and the console's models hold on the GUI thread.
#pragma once

#include <QString>
#include <QVariantList>

#include <vector>

namespace dd::console {

/// Latest telemetry of one drone. `state` is dronedelivery.v1.DroneState.
struct DroneRecord
{
    QString droneId;
    int state = 0;
    double latitude = 0, longitude = 0, altitude = 0;
    double heading = 0, speed = 0, battery = 0;
    QString deliveryId;

    bool operator==(const DroneRecord &) const = default;
};

/// Why a workflow of a delivery failed (DeliveryFailure); empty when none did.
struct FailureRecord
{
    int operation = 0; ///< dronedelivery.v1.RequestOperation
    QString step; ///< "account", "package", "drone", "thirdparty", "delivery" (as the service says it)
    QString error;
    QString transactionId;
    qint64 at = 0; ///< ms

    bool empty() const { return error.isEmpty() && step.isEmpty() && transactionId.isEmpty(); }
    bool operator==(const FailureRecord &) const = default;
};

/// One delivery as the Delivery service stores it. Times are ms since the epoch, 0 = none.
struct DeliveryRecord
{
    QString deliveryId;
    QString ownerId;
    int stage = 0; ///< dronedelivery.v1.DeliveryStage
    QString droneId;
    QString thirdPartyBooking;
    QString pickupLocation;
    QString dropoffLocation;
    qint64 pickupEta = 0, deliveryEta = 0, createdAt = 0, updatedAt = 0;
    bool expedited = false;
    QString packageId;
    QString traceId;
    qint64 pickupTime = 0; ///< the requested pickup time; 0: as soon as possible
    QString waiting; ///< stage Requested: why it has not been placed yet
    FailureRecord failure; ///< stage Failed: why; otherwise the last failed reschedule / cancel

    bool operator==(const DeliveryRecord &) const = default;
};

/// What one delivery status event says (a partial update of a DeliveryRecord).
struct DeliveryStageUpdate
{
    QString deliveryId;
    int stage = 0;
    QString droneId;
    qint64 at = 0; ///< ms
    QString reason;
    double latitude = 0, longitude = 0;
    qint64 pickupEta = 0, deliveryEta = 0; ///< ms, 0 = not in this event
    FailureRecord failure; ///< a failure recorded against the delivery
};

/// A failed transaction; `compensations` is already the QML shape (a list of maps).
struct TransactionRecord
{
    QString transactionId;
    QString deliveryId;
    QString ownerId;
    QString operation;  ///< "Schedule", "Reschedule", "Cancel"
    QString failedStep; ///< "Account", "Package", "Drone", "ThirdParty", "Delivery"
    QString error;
    int state = 0; ///< dronedelivery.v1.TransactionState
    qint64 createdAt = 0, updatedAt = 0;
    bool awaitingApproval = false;
    QVariantList compensations;
    QString traceId;

    bool operator==(const TransactionRecord &) const = default;
};

/// One stage change in a delivery's history.
struct TimelineEntry
{
    int stage = 0;
    qint64 at = 0; ///< ms
    QString reason;
    double latitude = 0, longitude = 0;
    QString droneId;
};

/// One span of a trace, laid out for a waterfall.
struct TraceSpanRecord
{
    QString name;
    QString service;
    QString kind; ///< "client" / "server" / ...
    double startOffsetMs = 0, durationMs = 0;
    int depth = 0;
    QString status; ///< "ok", "fatal", ...
    int attempt = 1;
};

/// Golden metrics of one caller→callee route over the last sampling interval / window.
struct RouteRecord
{
    QString caller, callee;
    double requestsPerSecond = 0;
    double successRate = 1;        ///< over the window; 1 without calls
    double p50Ms = 0, p99Ms = 0;   ///< over the window
    QString breakerState;          ///< "closed", "open", "half_open", "isolated", "forced_closed"
    QString health; ///< "healthy", "degraded", "failing", "idle"
    QVariantList history; ///< recent requests/s, newest last
    double errorRate = 0;          ///< over the window, as /api/services' errorRate
    qint64 windowCalls = 0;        ///< calls with an outcome in the window (0: "idle")
    QString breakerName;           ///< for people: "Closed", "Half-open", "Forced closed", ...

    bool operator==(const RouteRecord &) const = default;
};

/// One service in the service graph; x, y are layout hints in 0..1.
struct ServiceNodeRecord
{
    QString name;
    QString health;
    double requestsPerSecond = 0, errorRate = 0;
    double x = 0, y = 0;
    double p99Ms = 0;          ///< the worst route into it, over the window
    QString breakerState;      ///< its most severe breaker ("closed" for a caller-only node)

    bool operator==(const ServiceNodeRecord &) const = default;
};

/// One supervisor decision from the audit log.
struct AuditRecord
{
    qint64 at = 0; ///< ms
    QString user, role, action, transactionId, comment, outcome;
};

/// One active fault-injection rule.
struct FaultRecord
{
    QString spec, service, method, kind;
    double percent = 0, delayMs = 0;
};

} // namespace dd::console
