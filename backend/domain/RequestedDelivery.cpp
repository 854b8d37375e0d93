// requestedDelivery: the request's fields copied into the Delivery shape.
#include "backend/domain/RequestedDelivery.h"

#include <cinttypes>
#include <cstdio>

namespace dd::domain {

using namespace dronedelivery::v1;

Delivery requestedDelivery(const DeliveryRequest &request)
{
    Delivery delivery;
    delivery.set_delivery_id(request.delivery_id());
    delivery.set_owner_id(request.owner_id());
    delivery.set_pickup_location(request.pickup_location());
    delivery.set_dropoff_location(request.dropoff_location());
    if (request.has_pickup())
        *delivery.mutable_pickup() = request.pickup();
    if (request.has_dropoff())
        *delivery.mutable_dropoff() = request.dropoff();
    delivery.set_pickup_time(request.pickup_time());
    delivery.set_pickup_time_us(request.pickup_time_us());
    delivery.set_deadline(request.deadline());
    delivery.set_expedited(request.expedited());
    delivery.set_confirmation_required(request.confirmation_required());
    *delivery.mutable_package_info() = request.package_info();
    delivery.set_created_at_us(request.accepted_at_us());
    delivery.set_updated_at_us(request.accepted_at_us());
    // The same 32-hex trace id the workflow later stores, so a read answered before
    // Delivery registered it already names the caller's trace.
    if (request.trace_id_hi() != 0 || request.trace_id_lo() != 0) {
        char hex[33];
        std::snprintf(hex, sizeof hex, "%016" PRIx64 "%016" PRIx64, request.trace_id_hi(), request.trace_id_lo());
        delivery.set_trace_id(hex);
    }
    return delivery;
}

} // namespace dd::domain
