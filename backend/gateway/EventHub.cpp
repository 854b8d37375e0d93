// EventHub: three subscriptions, per-drone throttling and JSON conversion for the WebSocket feed.
#include "backend/gateway/EventHub.h"

#include "backend/gateway/ApiJson.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
std::vector<std::string> endpointsOf(const net::EndpointTable &table, const char *name)
{
    std::vector<std::string> endpoints;
    for (const auto &instance : table.instances(name))
        endpoints.push_back(instance.endpoint);
    return endpoints;
}
} // namespace

EventHub::EventHub(net::ServiceLoop &loop, const net::EndpointTable &endpoints, net::RpcClient *deliveryReplay,
                   net::RpcClient *supervisorReplay, Sink sink, EventHubOptions options)
    : m_loop(loop), m_sink(std::move(sink)), m_options(std::move(options))
{
    net::SubscriberOptions lossless;
    lossless.policy = net::HwmPolicy::Lossless;
    lossless.security = m_options.security;
    m_deliveries = std::make_unique<net::Subscriber>(loop, "gateway", "delivery",
                                                     endpointsOf(endpoints, "delivery.events"), lossless);
    m_deliveries->subscribe("delivery.");
    m_deliveries->setReplayClient(deliveryReplay);
    m_deliveries->setHandler([this](const net::Event &event) { onDeliveryEvent(event); });

    m_transactions = std::make_unique<net::Subscriber>(loop, "gateway", "supervisor",
                                                       endpointsOf(endpoints, "supervisor.events"), lossless);
    m_transactions->subscribe("transaction.");
    m_transactions->setReplayClient(supervisorReplay);
    m_transactions->setHandler([this](const net::Event &event) { onTransaction(event); });
    // Events pruned before this hub heard them: a client's view has a hole it cannot fill from
    // the stream, so it is told to load its lists again (docs/operating.md, "Retention").
    const auto onReset = [this](const net::StreamReset &reset) {
        queue(message(QStringLiteral("StreamReset"),
                      QJsonObject{{"source", QString::fromStdString(reset.source)},
                                  {"missingFrom", QString::number(reset.missingFrom)},
                                  {"resumedAt", QString::number(reset.resumedAt)}}));
    };
    m_deliveries->setResetHandler(onReset);
    m_transactions->setResetHandler(onReset);

    net::SubscriberOptions conflate;
    conflate.policy = net::HwmPolicy::Conflate;
    conflate.security = m_options.security;
    m_telemetry = std::make_unique<net::Subscriber>(loop, "gateway", "drone", endpointsOf(endpoints, "drone.telemetry"),
                                                    conflate);
    m_telemetry->subscribe("telemetry.");
    m_telemetry->setHandler([this](const net::Event &event) { onTelemetry(event); });
    m_telemetryTimer = loop.every(m_options.telemetryInterval, [this] { flushTelemetry(); });
}

EventHub::~EventHub()
{
    *m_alive = false;
    m_loop.cancel(m_telemetryTimer);
}

QByteArray EventHub::message(const QString &type, const QJsonObject &data)
{
    return QJsonDocument(QJsonObject{{"type", type}, {"data", data}}).toJson(QJsonDocument::Compact);
}

void EventHub::onDeliveryEvent(const net::Event &event)
{
    if (!m_wanted.load(std::memory_order_relaxed))
        return;
    DeliveryEvent payload;
    if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
        return;
    queue(message(QString::fromStdString(event.envelope.method()), ApiJson::deliveryEvent(payload)));
}

void EventHub::onTransaction(const net::Event &event)
{
    if (!m_wanted.load(std::memory_order_relaxed))
        return;
    FailedTransaction payload;
    if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
        return;
    queue(message(QString::fromStdString(event.envelope.method()), ApiJson::transaction(payload)));
}

void EventHub::onTelemetry(const net::Event &event)
{
    if (!m_wanted.load(std::memory_order_relaxed))
        return;
    DroneTelemetry payload;
    if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
        return;
    // Keep only the newest per drone; the timer sends it, so a drone never exceeds one update per interval.
    auto &slot = m_latestTelemetry[payload.drone_id()];
    slot.first = event.envelope.method().empty() ? std::string("DroneTelemetry") : event.envelope.method();
    slot.second = std::move(payload);
}

void EventHub::flushTelemetry()
{
    if (m_latestTelemetry.empty())
        return;
    for (auto &[droneId, latest] : m_latestTelemetry)
        queue(message(QString::fromStdString(latest.first), ApiJson::drone(latest.second)));
    m_latestTelemetry.clear();
}

void EventHub::queue(QByteArray message)
{
    m_queued.push_back(std::move(message));
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // One hand-over per loop iteration instead of one per event.
    m_loop.post([this, alive = m_alive] {
        if (*alive)
            flushQueued();
    });
}

void EventHub::flushQueued()
{
    m_flushScheduled = false;
    if (m_queued.empty())
        return;
    m_forwarded.fetch_add(m_queued.size(), std::memory_order_relaxed);
    std::vector<QByteArray> batch;
    batch.swap(m_queued);
    if (m_sink)
        m_sink(std::move(batch));
}

} // namespace dd::backend
