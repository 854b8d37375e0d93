// Shared helpers of the Delivery service tests: requests, telemetry, a fake drone publisher, Events.Replay reader.
#pragma once

#include "TrackingTestSupport.h"
#include "backend/delivery/DeliveryService.h"
#include "mesh.pb.h"
#include "net/pubsub/Publisher.h"

#include <QStringList>

namespace dd::backend::test {

using namespace dronedelivery::v1;
using DeliveryUnderTest = Running<DeliveryService>;

inline Location at(double latitude, double longitude)
{
    Location l;
    l.set_latitude(latitude);
    l.set_longitude(longitude);
    return l;
}

inline Delivery newDelivery(const std::string &id, const std::string &owner = "alice", const std::string &drone = {})
{
    Delivery d;
    d.set_delivery_id(id);
    d.set_owner_id(owner);
    d.set_pickup_location("47.60,-122.33");
    d.set_dropoff_location("47.62,-122.33");
    *d.mutable_pickup() = at(47.60, -122.33);
    *d.mutable_dropoff() = at(47.62, -122.33);
    d.set_drone_id(drone);
    return d;
}

inline DeliveryIdRequest idOf(const std::string &id)
{
    DeliveryIdRequest request;
    request.set_delivery_id(id);
    return request;
}

inline DroneTelemetry telemetry(const std::string &drone, const std::string &delivery, DroneState state, double latitude,
                         double longitude, const Location *target = nullptr)
{
    DroneTelemetry t;
    t.set_drone_id(drone);
    t.set_delivery_id(delivery);
    t.set_state(state);
    t.set_latitude(latitude);
    t.set_longitude(longitude);
    t.set_altitude(120);
    t.set_speed(15);
    t.set_at_us(net::Clock::system().now());
    if (target)
        *t.mutable_target() = *target;
    return t;
}

/// A stored event as Events.Replay returns it.
struct Replayed
{
    std::uint64_t sequence = 0;
    std::string topic;
    std::string type;
    DeliveryEvent event;
};

inline std::vector<Replayed> replay(DeliveryUnderTest &service, std::uint64_t from = 1)
{
    ReplayRequest request;
    request.set_from_sequence(from);
    auto answer = service.call<ReplayReply>("Events.Replay", request);
    std::vector<Replayed> out;
    if (!answer.ok())
        return out;
    for (const auto &e : answer.reply.events()) {
        Replayed r;
        net::Envelope envelope;
        envelope.ParseFromString(e.envelope());
        r.sequence = envelope.sequence();
        r.type = envelope.method();
        r.topic = e.topic();
        r.event.ParseFromString(e.payload());
        out.push_back(std::move(r));
    }
    return out;
}

inline QStringList typesOf(const std::vector<Replayed> &events)
{
    QStringList types;
    for (const auto &e : events)
        types << QString::fromStdString(e.type);
    return types;
}

inline DeliveryStage stageOf(DeliveryUnderTest &service, const std::string &id)
{
    auto answer = service.call<Delivery>("Get", idOf(id));
    return answer.ok() ? answer.reply.stage() : STAGE_UNSPECIFIED;
}

/// Stands in for the Drone service: publishes telemetry on the context's telemetry endpoint.
struct FakeDrones
{
    net::Publisher publisher;
    explicit FakeDrones(const ServiceContext &context)
        : publisher("drone", context.endpoints.endpoint("drone.telemetry"), [] {
              net::PublisherOptions options;
              options.policy = net::HwmPolicy::Conflate;
              return options;
          }())
    {
    }
    void send(const DroneTelemetry &t) { publisher.publish("telemetry." + t.drone_id(), "DroneTelemetry", t); }
};

} // namespace dd::backend::test
