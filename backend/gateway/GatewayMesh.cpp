// GatewayMesh: RPC clients and the event hub of the HTTP gateway, on the gateway's own service loop.
#include "backend/gateway/GatewayMesh.h"

#include <algorithm>

namespace dd::backend {

GatewayMesh::GatewayMesh(const ServiceContext &context, net::Micros callDeadline, EventHubOptions events)
    : BackendService("gateway", context), m_callDeadline(callDeadline), m_eventOptions(std::move(events))
{
}

GatewayMesh::~GatewayMesh()
{
    stop();
}

const std::vector<std::string> &GatewayMesh::callees()
{
    static const std::vector<std::string> names{"delivery", "deliveryhistory", "supervisor", "drone", "account",
                                                "scheduler"};
    return names;
}

void GatewayMesh::onStart()
{
    net::ClientOptions options = context().clientOptions();
    options.deadline = m_callDeadline;
    for (const auto &name : callees())
        m_clients.emplace(name, makeClient(name, options));
    m_eventOptions.security = context().security;
    m_events = std::make_unique<EventHub>(loop(), context().endpoints, m_clients.at("delivery").get(),
                                          m_clients.at("supervisor").get(), m_sink, m_eventOptions);
    m_events->setWanted(m_eventsWanted.load());
}

void GatewayMesh::onStop()
{
    m_events.reset();
    for (auto &[name, client] : m_clients)
        client->cancelAll();
    m_clients.clear();
}

void GatewayMesh::setEventsWanted(bool wanted)
{
    m_eventsWanted = wanted;
    loop().post([this, wanted] {
        if (m_events)
            m_events->setWanted(wanted);
    });
}

void GatewayMesh::call(MeshCall call, Done done, const net::TraceContext &parent)
{
    if (std::find(callees().begin(), callees().end(), call.service) == callees().end()) {
        done(net::RpcStatus(dronedelivery::v1::UNKNOWN_METHOD, "the gateway has no client for " + call.service), {});
        return;
    }
    if (!loop().running()) {
        done(net::RpcStatus(dronedelivery::v1::CANCELLED, "the gateway is not running"), {});
        return;
    }
    loop().post([this, call = std::move(call), done = std::move(done), parent]() mutable {
        auto client = m_clients.find(call.service);
        if (client == m_clients.end()) {
            done(net::RpcStatus(dronedelivery::v1::CANCELLED, "the gateway is stopping"), {});
            return;
        }
        net::CallOptions options;
        options.idempotent = call.idempotent;
        options.idempotencyKey = std::move(call.idempotencyKey);
        options.parent = parent;
        client->second->callRaw(call.method, call.payload, options, [done = std::move(done)](const net::RpcReply &reply) {
            done(reply.status, std::string(reply.payload));
        });
    });
}

} // namespace dd::backend
