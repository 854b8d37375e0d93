// Conversions from the services' protobuf messages to the console's rows and the fleet map's records.
#pragma once

#include "models/ConsoleRecords.h"

#include "FleetTypes.h"
#include "net/resilience/FaultInjector.h"
#include "services.pb.h"
#include "workflow.pb.h"

namespace dd::console {

/// Pure functions; run on the bridge thread so the GUI thread only moves finished rows.
class ProtoRecords
{
public:
    /// The ids are passed in so a caller can share one string per drone (TelemetryCoalescer).
    static DroneRecord drone(const dronedelivery::v1::DroneTelemetry &telemetry, const QString &droneId,
                             const QString &deliveryId);
    static fleetmap::DroneView droneView(const dronedelivery::v1::DroneTelemetry &telemetry, const QString &droneId,
                                         const QString &deliveryId);
    static DeliveryRecord delivery(const dronedelivery::v1::Delivery &delivery);
    static fleetmap::DeliveryMarker marker(const dronedelivery::v1::Delivery &delivery);
    static DeliveryStageUpdate stageUpdate(const dronedelivery::v1::DeliveryEvent &event);
    static TimelineEntry timelineEntry(const dronedelivery::v1::DeliveryEvent &event);
    static TransactionRecord transaction(const dronedelivery::v1::FailedTransaction &transaction);
    static AuditRecord audit(const dronedelivery::v1::AuditEntry &entry);
    static FaultRecord fault(const net::FaultRule &rule);

    /// Microseconds since the epoch → milliseconds (0 stays 0: "none").
    static qint64 millis(std::int64_t micros) { return micros / 1000; }
};

} // namespace dd::console
