// BridgeWorker: subscriptions, coalescing and the periodic flush; the initial load; the console's calls.
#include "bridge/BridgeWorker.h"

#include "bridge/ProtoRecords.h"
#include "workflow.pb.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcBridge, "dd.console.bridge")

namespace dd::console {

using namespace dronedelivery::v1;
using net::RpcResult;

namespace {
constexpr std::uint32_t kDeliveryPage = 500;
constexpr std::uint32_t kDronePage = 1000;
constexpr std::uint32_t kTransactionLimit = 1000;
constexpr std::uint32_t kAuditLimit = 200;
constexpr net::Micros kReloadDelay = 2 * net::kSeconds;

std::vector<std::string> endpointsOf(const net::EndpointTable &table, const char *name)
{
    std::vector<std::string> endpoints;
    for (const auto &instance : table.instances(name))
        endpoints.push_back(instance.endpoint);
    return endpoints;
}
} // namespace

BridgeWorker::BridgeWorker(net::ServiceLoop &loop, BridgeConfig config, std::shared_ptr<fleetmap::FleetState> fleet,
                           BridgeOutputs outputs)
    : m_loop(loop), m_config(std::move(config)), m_fleet(std::move(fleet)), m_out(std::move(outputs))
{
}

BridgeWorker::~BridgeWorker()
{
    *m_alive = false;
    for (auto timer : m_timers)
        m_loop.cancel(timer);
    m_selection.reset();
    m_requests.reset();
    m_accounts.reset();
    m_deliveryEvents.reset();
    m_transactionEvents.reset();
    m_telemetry.reset();
    for (auto *client : {m_ingestion.get(), m_delivery.get(), m_history.get(), m_supervisor.get(), m_drone.get(),
                          m_account.get()})
        if (client)
            client->cancelAll();
}

net::CallOptions BridgeWorker::readOptions() const
{
    net::CallOptions options;
    options.deadline = m_config.callDeadline;
    options.idempotent = true;
    return options;
}

net::CallOptions BridgeWorker::writeOptions() const
{
    net::CallOptions options;
    options.deadline = m_config.callDeadline;
    return options;
}

void BridgeWorker::start()
{
    net::ClientOptions clientOptions;
    clientOptions.security = m_config.security;
    clientOptions.deadline = m_config.callDeadline;
    auto client = [&](const char *service) {
        return std::make_unique<net::RpcClient>(m_loop, m_config.caller, service, m_config.endpoints, clientOptions);
    };
    m_ingestion = client("ingestion");
    m_delivery = client("delivery");
    m_history = client("deliveryhistory");
    m_supervisor = client("supervisor");
    m_drone = client("drone");
    m_account = client("account");

    // Subscribed before the initial load, so nothing published meanwhile is missed.
    net::SubscriberOptions lossless;
    lossless.policy = net::HwmPolicy::Lossless;
    lossless.security = m_config.security;
    m_deliveryEvents = std::make_unique<net::Subscriber>(m_loop, m_config.caller, "delivery",
                                                         endpointsOf(m_config.endpoints, "delivery.events"), lossless);
    m_deliveryEvents->subscribe("delivery.");
    m_deliveryEvents->setReplayClient(m_delivery.get());
    m_deliveryEvents->setHandler([this](const net::Event &event) { onDeliveryEvent(event); });
    m_transactionEvents = std::make_unique<net::Subscriber>(
        m_loop, m_config.caller, "supervisor", endpointsOf(m_config.endpoints, "supervisor.events"), lossless);
    m_transactionEvents->subscribe("transaction.");
    m_transactionEvents->setReplayClient(m_supervisor.get());
    m_transactionEvents->setHandler([this](const net::Event &event) { onTransaction(event); });
    net::SubscriberOptions conflate;
    conflate.policy = net::HwmPolicy::Conflate;
    conflate.security = m_config.security;
    m_telemetry = std::make_unique<net::Subscriber>(m_loop, m_config.caller, "drone",
                                                    endpointsOf(m_config.endpoints, "drone.telemetry"), conflate);
    m_telemetry->subscribe("telemetry.");
    m_telemetry->setHandler([this](const net::Event &event) { onTelemetry(event); });

    DeliverySelection::Outputs selection;
    selection.timeline = m_out.timeline;
    selection.trace = m_out.trace;
    selection.loaded = [this](bool ok, QString message) {
        m_out.finished(QStringLiteral("selectDelivery"), ok, message, {});
    };
    m_selection = std::make_unique<DeliverySelection>(*m_history, *m_delivery, readOptions(), std::move(selection));
    ConsoleRequests::Outputs requests;
    requests.finished = m_out.finished;
    requests.submitted = m_out.submitted;
    requests.transactionChanged = [this](const FailedTransaction &tx) {
        m_batch.transactions.push_back(ProtoRecords::transaction(tx));
    };
    requests.decided = [this] { refreshAudit(); };
    m_requests = std::make_unique<ConsoleRequests>(*m_ingestion, *m_supervisor, writeOptions(), std::move(requests));
    AccountRequests::Outputs accounts;
    accounts.listed = m_out.accounts;
    accounts.account = m_out.account;
    accounts.changes = m_out.accountChanges;
    accounts.finished = m_out.finished;
    m_accounts = std::make_unique<AccountRequests>(*m_account, readOptions(), writeOptions(), std::move(accounts));

    m_timers.push_back(m_loop.every(m_config.flushInterval, [this] { flush(); }));
    m_timers.push_back(m_loop.every(m_config.metricsInterval, [this] { sampleMetrics(); }));
    m_timers.push_back(m_loop.every(m_config.pingInterval, [this] { ping(); }));
    loadAll();
}

// ---------------------------------------------------------------- initial load

void BridgeWorker::loadAll()
{
    if (m_loading)
        return;
    m_loading = true;
    m_loadFailed = false;
    m_loadsPending = 4;
    loadDeliveries({}, 0);
    loadDrones({});
    loadTransactions();
    refreshAudit();
}

void BridgeWorker::loadStepDone(bool ok)
{
    m_loadFailed = m_loadFailed || !ok;
    if (--m_loadsPending > 0)
        return;
    m_loading = false;
    setConnected(!m_loadFailed);
    if (m_loadFailed) {
        m_loop.after(kReloadDelay, [this, alive = m_alive] {
            if (*alive)
                loadAll();
        });
        return;
    }
    m_loadedOnce = true;
    // With the data, not ahead of it: whoever waits for "loaded" finds the models filled.
    m_batch.loadComplete = true;
    flush();
}

void BridgeWorker::loadDeliveries(std::string after, std::size_t loaded)
{
    DeliveryListRequest request;
    request.set_limit(kDeliveryPage);
    request.set_after(after);
    m_delivery->call<DeliveryList>("List", request, readOptions(),
                                   [this, alive = m_alive, loaded](RpcResult<DeliveryList> &&page) {
                                       if (!*alive)
                                           return;
                                       if (!page.ok()) {
                                           qCWarning(lcBridge) << "Delivery.List:" << page.status.toString().c_str();
                                           return loadStepDone(false);
                                       }
                                       for (const Delivery &delivery : page.value.deliveries())
                                           remember(delivery);
                                       const std::size_t total = loaded + std::size_t(page.value.deliveries_size());
                                       if (!page.value.next_after().empty() && total < m_config.maxDeliveries)
                                           return loadDeliveries(page.value.next_after(), total);
                                       loadStepDone(true);
                                   });
}

void BridgeWorker::loadDrones(std::string after)
{
    DroneListRequest request;
    request.set_limit(kDronePage);
    request.set_after(after);
    m_drone->call<DroneList>("List", request, readOptions(), [this, alive = m_alive](RpcResult<DroneList> &&page) {
        if (!*alive)
            return;
        if (!page.ok()) {
            qCWarning(lcBridge) << "Drone.List:" << page.status.toString().c_str();
            return loadStepDone(false);
        }
        for (const DroneTelemetry &drone : page.value.drones())
            m_coalescer.add(drone); // older than live telemetry? the next live message wins anyway
        if (page.value.drones_size() == int(kDronePage))
            return loadDrones(page.value.drones(page.value.drones_size() - 1).drone_id());
        loadStepDone(true);
    });
}

void BridgeWorker::loadTransactions()
{
    TransactionListRequest request;
    request.set_limit(kTransactionLimit);
    m_supervisor->call<TransactionList>("List", request, readOptions(),
                                        [this, alive = m_alive](RpcResult<TransactionList> &&list) {
                                            if (!*alive)
                                                return;
                                            if (list.ok())
                                                for (const FailedTransaction &tx : list.value.transactions())
                                                    m_batch.transactions.push_back(ProtoRecords::transaction(tx));
                                            loadStepDone(list.ok());
                                        });
}

void BridgeWorker::refreshAudit()
{
    AuditRequest request;
    request.set_limit(kAuditLimit);
    m_supervisor->call<AuditList>("Audit", request, readOptions(), [this, alive = m_alive](RpcResult<AuditList> &&list) {
        if (!*alive)
            return;
        if (list.ok() && m_out.audit) {
            std::vector<AuditRecord> entries;
            for (const AuditEntry &entry : list.value.entries())
                entries.push_back(ProtoRecords::audit(entry));
            m_out.audit(std::move(entries));
        }
        if (m_loading)
            loadStepDone(list.ok());
    });
}

void BridgeWorker::ping()
{
    if (m_loading)
        return;
    DroneListRequest request;
    request.set_limit(1);
    net::CallOptions options = readOptions();
    options.deadline = std::min(m_config.callDeadline, m_config.pingInterval);
    m_drone->call<DroneList>("List", request, options, [this, alive = m_alive](RpcResult<DroneList> &&reply) {
        if (!*alive)
            return;
        const bool wasDown = m_connected == 0;
        setConnected(reply.ok());
        if (reply.ok() && (wasDown || !m_loadedOnce))
            loadAll(); // back after an outage: catch up on everything missed
    });
}

void BridgeWorker::setConnected(bool connected)
{
    if (m_connected == int(connected))
        return;
    m_connected = int(connected);
    if (m_out.connection)
        m_out.connection(connected);
}

// ---------------------------------------------------------------- live streams

void BridgeWorker::onTelemetry(const net::Event &event)
{
    thread_local DroneTelemetry telemetry;
    if (telemetry.ParseFromArray(event.payload.data(), int(event.payload.size())))
        m_coalescer.add(telemetry);
}

void BridgeWorker::onDeliveryEvent(const net::Event &event)
{
    DeliveryEvent payload;
    if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
        return;
    const std::string &id = payload.delivery_id();
    m_batch.stageUpdates.push_back(ProtoRecords::stageUpdate(payload));
    updateMarker(id, int(payload.stage()));
    // A delivery first seen now, or one whose plan changed (drone, ETAs): fetch it whole.
    if (!m_known.count(id) || payload.stage() == STAGE_CREATED || payload.stage() == STAGE_RESCHEDULED)
        fetchDelivery(id);
    m_selection->onEvent(id); // the workflow moved on: the selected trace has grown
}

void BridgeWorker::onTransaction(const net::Event &event)
{
    FailedTransaction payload;
    if (payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
        m_batch.transactions.push_back(ProtoRecords::transaction(payload));
}

void BridgeWorker::fetchDelivery(const std::string &deliveryId)
{
    if (!m_fetching.insert(deliveryId).second)
        return;
    m_fetchQueue.push_back(deliveryId);
    pumpFetches();
}

void BridgeWorker::pumpFetches()
{
    while (m_fetchesInFlight < m_config.maxFetchesInFlight && !m_fetchQueue.empty()) {
        const std::string id = std::move(m_fetchQueue.front());
        m_fetchQueue.pop_front();
        DeliveryIdRequest request;
        request.set_delivery_id(id);
        ++m_fetchesInFlight;
        m_delivery->call<Delivery>("Get", request, readOptions(), [this, alive = m_alive, id](RpcResult<Delivery> &&r) {
            if (!*alive)
                return;
            --m_fetchesInFlight;
            m_fetching.erase(id);
            if (r.ok())
                remember(r.value);
            pumpFetches();
        });
    }
}

void BridgeWorker::remember(const Delivery &delivery)
{
    m_known.insert(delivery.delivery_id());
    m_batch.deliveries.push_back(ProtoRecords::delivery(delivery));
    fleetmap::DeliveryMarker marker = ProtoRecords::marker(delivery);
    if (marker.isFinished()) {
        if (m_markers.erase(delivery.delivery_id()))
            m_fleetChanges.removedDeliveries.push_back(marker.deliveryId);
        return;
    }
    m_markers[delivery.delivery_id()] = marker;
    m_fleetChanges.deliveries.push_back(std::move(marker));
}

void BridgeWorker::updateMarker(const std::string &deliveryId, int stage)
{
    const auto it = m_markers.find(deliveryId);
    if (it == m_markers.end())
        return; // not fetched yet: the fetch brings the marker
    it->second.stage = stage;
    if (it->second.isFinished()) {
        // Done deliveries leave the map; the list still has them.
        m_fleetChanges.removedDeliveries.push_back(it->second.deliveryId);
        m_markers.erase(it);
        return;
    }
    m_fleetChanges.deliveries.push_back(it->second);
}

void BridgeWorker::flush()
{
    // The map is written every tick; the models only when the GUI has caught up.
    m_fleetChanges.drones = m_coalescer.takeForMap();
    if (!m_fleetChanges.empty())
        m_fleet->apply(std::exchange(m_fleetChanges, {}));
    if (m_batchInFlight.load(std::memory_order_acquire))
        return;
    m_batch.drones = m_coalescer.takeForList();
    if (m_batch.empty() || !m_out.batch)
        return;
    m_batchInFlight.store(true, std::memory_order_release);
    m_out.batch(std::exchange(m_batch, {}));
}

void BridgeWorker::setServicesWindow(net::Micros window)
{
    if (m_sampler.setWindow(window) && m_out.routes)
        m_out.routes(m_sampler.sample(m_loop.clock().now()));
}

void BridgeWorker::sampleMetrics()
{
    if (m_out.routes)
        m_out.routes(m_sampler.sample(m_loop.clock().now()));
    m_selection->tick();
}

// ---------------------------------------------------------------- the console's calls (on the loop)

void BridgeWorker::submit(const QString &action, DeliveryRequest request, const std::string &idempotencyKey)
{
    m_requests->submit(action, std::move(request), idempotencyKey);
}

void BridgeWorker::lookupDelivery(const QString &deliveryId)
{
    DeliveryIdRequest request;
    request.set_delivery_id(deliveryId.toStdString());
    m_delivery->call<Delivery>(
        "Get", request, readOptions(), [this, alive = m_alive, deliveryId](RpcResult<Delivery> &&r) {
            if (!*alive)
                return;
            if (r.ok())
                remember(r.value);
            if (m_out.lookedUp)
                m_out.lookedUp(deliveryId, r.ok(), r.ok() ? ProtoRecords::delivery(r.value) : DeliveryRecord {},
                    r.ok() ? QString() : QString::fromStdString(r.status.toString()));
        });
}

void BridgeWorker::decide(const QString &action, const QStringList &transactionIds, const std::string &comment,
                          const dronedelivery::v1::Credential &credential)
{
    m_requests->decide(action, transactionIds, comment, credential);
}

void BridgeWorker::loadDelivery(const QString &deliveryId, const QString &traceIdHint)
{
    m_selection->select(deliveryId, traceIdHint);
}

void BridgeWorker::loadAccounts()
{
    if (m_accounts) // not when start() could not set up the sockets
        m_accounts->list();
}

void BridgeWorker::loadAccount(const QString &ownerId)
{
    if (m_accounts)
        m_accounts->get(ownerId);
}

void BridgeWorker::setAccountStatus(const QString &ownerId, bool active, const std::string &reason,
                                    const dronedelivery::v1::Credential &credential)
{
    if (m_accounts)
        m_accounts->setStatus(ownerId, active, reason, credential);
    else
        m_out.finished(active ? QStringLiteral("reinstate") : QStringLiteral("suspend"), false,
                       QStringLiteral("the console is not connected"), {});
}

} // namespace dd::console
