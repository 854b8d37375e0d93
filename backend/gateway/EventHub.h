// The gateway's live event feed: delivery, transaction and (throttled) drone events as JSON text messages.
#pragma once

#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/security/SocketSecurity.h"
#include "net/transport/EndpointTable.h"
#include "services.pb.h"

#include <QByteArray>
#include <QJsonObject>

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace dd::backend {

struct EventHubOptions
{
    /// Drone telemetry is flushed this often, the latest position per drone only,
    /// so a drone produces at most one update per interval (≤ 2/s by default).
    net::Micros telemetryInterval = 500 * net::kMillis;
    net::SecurityConfig security;
};

/// Lives on the gateway's loop. Subscribes to "delivery.events" (lossless, gaps
/// replayed from the Delivery service), "supervisor.events" (lossless, replayed from
/// the Supervisor) and "drone.telemetry" (conflated, then throttled per drone), turns
/// each event into {"type": ..., "data": {...}} and hands them to the sink in batches,
/// at most once per loop iteration. While nobody listens (setWanted(false)) events
/// are still consumed, so sequences stay tracked, but not converted.
class EventHub
{
public:
    using Sink = std::function<void(std::vector<QByteArray> messages)>; ///< called on the loop thread

    EventHub(net::ServiceLoop &loop, const net::EndpointTable &endpoints, net::RpcClient *deliveryReplay,
             net::RpcClient *supervisorReplay, Sink sink, EventHubOptions options);
    ~EventHub();
    EventHub(const EventHub &) = delete;
    EventHub &operator=(const EventHub &) = delete;

    /// Thread-safe.
    void setWanted(bool wanted) { m_wanted.store(wanted, std::memory_order_relaxed); }

    std::uint64_t forwarded() const { return m_forwarded.load(std::memory_order_relaxed); }

    /// {"type": type, "data": data} as compact JSON.
    static QByteArray message(const QString &type, const QJsonObject &data);

private:
    void onDeliveryEvent(const net::Event &event);
    void onTransaction(const net::Event &event);
    void onTelemetry(const net::Event &event);
    void flushTelemetry();
    void queue(QByteArray message);
    void flushQueued();

    net::ServiceLoop &m_loop;
    Sink m_sink;
    EventHubOptions m_options;
    std::unique_ptr<net::Subscriber> m_deliveries;
    std::unique_ptr<net::Subscriber> m_transactions;
    std::unique_ptr<net::Subscriber> m_telemetry;
    std::unordered_map<std::string, std::pair<std::string, dronedelivery::v1::DroneTelemetry>> m_latestTelemetry;
    net::ServiceLoop::TimerId m_telemetryTimer = 0;
    std::vector<QByteArray> m_queued;
    bool m_flushScheduled = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::atomic<bool> m_wanted{false};
    std::atomic<std::uint64_t> m_forwarded{0};
};

} // namespace dd::backend
