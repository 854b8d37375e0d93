// The gateway's side of the mesh: its own loop ("gateway" as the caller), clients of the services, the event feed.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/gateway/EventHub.h"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace dd::backend {

/// One call the gateway forwards to a service.
struct MeshCall
{
    std::string service; ///< delivery, deliveryhistory, supervisor or drone
    std::string method;
    std::string payload; ///< the serialised request
    bool idempotent = false;
    std::string idempotencyKey;
};

/// Not one of the host's services: the HTTP gateway owns it and starts it when it
/// listens. Everything the gateway asks of the services goes through here, never
/// around the mesh.
class GatewayMesh : public BackendService
{
public:
    /// Runs on the mesh thread: hand the result over to your own thread.
    using Done = std::function<void(net::RpcStatus status, std::string payload)>;

    GatewayMesh(const ServiceContext &context, net::Micros callDeadline, EventHubOptions events);
    ~GatewayMesh() override;

    /// Set before start(); called on the mesh thread with batches of JSON messages.
    void setEventSink(EventHub::Sink sink) { m_sink = std::move(sink); }
    /// Thread-safe: convert events only while someone listens.
    void setEventsWanted(bool wanted);

    /// Thread-safe. `done` runs exactly once on the mesh thread; a stopped mesh or an
    /// unknown service answers at once, on the calling thread. A valid `parent` (the HTTP
    /// request's span) makes the call's span its child; else the call starts a trace.
    void call(MeshCall call, Done done, const net::TraceContext &parent = {});

    static const std::vector<std::string> &callees();

protected:
    void onStart() override;
    void onStop() override;

private:
    net::Micros m_callDeadline;
    EventHubOptions m_eventOptions;
    EventHub::Sink m_sink;
    std::map<std::string, std::unique_ptr<net::RpcClient>> m_clients;
    std::unique_ptr<EventHub> m_events;
    std::atomic<bool> m_eventsWanted{false};
};

} // namespace dd::backend
