// StepRequests: each step's request message from the workflow's request and what earlier steps booked.
#include "backend/scheduler/StepRequests.h"

#include "backend/common/Geo.h"
#include "backend/domain/RequestedDelivery.h"

namespace dd::backend::steps {

using namespace dronedelivery::v1;

Location pickupOf(const DeliveryRequest &request)
{
    return request.has_pickup() ? request.pickup() : geo::parseLocation(request.pickup_location());
}

Location dropoffOf(const DeliveryRequest &request)
{
    return request.has_dropoff() ? request.dropoff() : geo::parseLocation(request.dropoff_location());
}

namespace {
Delivery asked(const Workflow &w, const std::string &traceIdHex)
{
    Delivery delivery = domain::requestedDelivery(w.request);
    *delivery.mutable_pickup() = pickupOf(w.request);
    *delivery.mutable_dropoff() = dropoffOf(w.request);
    delivery.clear_created_at_us(); // the Delivery service stamps its own times
    delivery.clear_updated_at_us();
    delivery.set_trace_id(traceIdHex);
    return delivery;
}
} // namespace

Delivery registration(const Workflow &w, const std::string &traceIdHex)
{
    return asked(w, traceIdHex);
}

PackageCreateRequest packageCreate(const Workflow &w)
{
    PackageCreateRequest create;
    *create.mutable_package() = w.request.package_info();
    if (create.package().package_id().empty())
        create.mutable_package()->set_package_id("pkg-" + w.request.delivery_id());
    create.set_delivery_id(w.request.delivery_id());
    return create;
}

DroneScheduleRequest droneSchedule(const Workflow &w)
{
    DroneScheduleRequest schedule;
    schedule.set_delivery_id(w.request.delivery_id());
    *schedule.mutable_pickup() = pickupOf(w.request);
    *schedule.mutable_dropoff() = dropoffOf(w.request);
    schedule.set_weight(w.request.package_info().weight());
    schedule.set_size(w.request.package_info().size());
    schedule.set_expedited(w.request.expedited());
    schedule.set_pickup_at_us(w.request.pickup_time_us());
    return schedule;
}

ThirdPartyScheduleRequest thirdPartySchedule(const Workflow &w)
{
    ThirdPartyScheduleRequest schedule;
    schedule.set_delivery_id(w.request.delivery_id());
    *schedule.mutable_pickup() = pickupOf(w.request);
    *schedule.mutable_dropoff() = dropoffOf(w.request);
    schedule.set_weight(w.request.package_info().weight());
    return schedule;
}

Delivery creation(const Workflow &w, const std::string &traceIdHex)
{
    Delivery delivery = asked(w, traceIdHex);
    delivery.set_package_id(w.packageId);
    delivery.set_drone_id(w.droneId);
    delivery.set_third_party_booking(w.bookingId);
    delivery.set_pickup_eta_us(w.pickupEta);
    delivery.set_delivery_eta_us(w.dropoffEta);
    return delivery;
}

DeliveryRescheduleRequest reschedule(const Workflow &w)
{
    const DeliveryRequest &request = w.request;
    DeliveryRescheduleRequest reschedule;
    reschedule.set_delivery_id(request.delivery_id());
    reschedule.set_pickup_location(request.pickup_location());
    reschedule.set_dropoff_location(request.dropoff_location());
    reschedule.set_pickup_time(request.pickup_time());
    reschedule.set_deadline(request.deadline());
    reschedule.set_pickup_time_us(request.pickup_time_us());
    if (!request.pickup_location().empty())
        *reschedule.mutable_pickup() = pickupOf(request);
    if (!request.dropoff_location().empty())
        *reschedule.mutable_dropoff() = dropoffOf(request);
    return reschedule;
}

DeliveryFailureRequest failureRecord(const FailedTransaction &tx)
{
    DeliveryFailureRequest record;
    record.set_delivery_id(tx.delivery_id());
    DeliveryFailure *failure = record.mutable_failure();
    failure->set_step(stepName(tx.failed_step()));
    failure->set_error(tx.error());
    failure->set_transaction_id(tx.transaction_id());
    failure->set_operation(tx.request().operation());
    failure->set_at_us(tx.created_at_us());
    if (tx.request().operation() == SCHEDULE) {
        Workflow requested;
        requested.request = tx.request();
        *record.mutable_requested() = asked(requested, tx.trace_id());
    }
    return record;
}

} // namespace dd::backend::steps
