// The console's side of the mesh, on its own service loop: clients, subscribers, the initial load and every call.
#pragma once

#include "backend/identity/CredentialSigner.h"
#include "bridge/AccountRequests.h"
#include "bridge/ConsoleRequests.h"
#include "bridge/DeliverySelection.h"
#include "bridge/RouteHealthSampler.h"
#include "bridge/TelemetryCoalescer.h"
#include "bridge/TraceWaterfall.h"
#include "models/ConsoleRecords.h"

#include "FleetState.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/security/SocketSecurity.h"
#include "net/transport/EndpointTable.h"

#include <QStringList>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace dd::console {

struct BridgeConfig
{
    net::EndpointTable endpoints = net::EndpointTable::inprocDefaults(); ///< or the --connect table
    net::SecurityConfig security;                                       ///< CURVE keys for tcp endpoints
    std::string caller = "console";                                     ///< this side's name in metrics
    net::Micros callDeadline = 5 * net::kSeconds;
    net::Micros flushInterval = 100 * net::kMillis;  ///< batches to the models, at most this often
    net::Micros metricsInterval = 1 * net::kSeconds; ///< route metrics and the selected trace
    net::Micros pingInterval = 2 * net::kSeconds;    ///< connection check (and reload after an outage)
    std::size_t maxDeliveries = 20000;               ///< loaded at start; later ones arrive by event
    std::size_t maxFetchesInFlight = 64;             ///< Delivery.Get for deliveries first seen by event
    /// Signs the signed-in person's credentials (the embedded services' secret, or identity.key
    /// with --connect); null: nobody can sign in, so nothing a supervisor does is possible.
    std::shared_ptr<const identity::CredentialSigner> credentials;
    QString usersFile; ///< who may sign in (identity::UserDirectory); empty: nobody
};

/// What one flush hands to the GUI thread: one queued call, however many events.
struct BridgeBatch
{
    std::vector<DroneRecord> drones;
    std::vector<DeliveryRecord> deliveries;
    std::vector<DeliveryStageUpdate> stageUpdates;
    std::vector<TransactionRecord> transactions;
    bool loadComplete = false; ///< this batch completes the initial load (or a reload)

    bool empty() const
    {
        return drones.empty() && deliveries.empty() && stageUpdates.empty() && transactions.empty() && !loadComplete;
    }
};

/// Callbacks the worker calls on its own thread; the owner hops them to the GUI thread.
struct BridgeOutputs
{
    std::function<void(BridgeBatch)> batch; ///< the next one only after batchApplied()
    std::function<void(RouteHealthSampler::Result)> routes;
    std::function<void(std::vector<AuditRecord>)> audit;
    std::function<void(QString deliveryId, std::vector<TimelineEntry>)> timeline;
    std::function<void(QString deliveryId, QString traceId, TraceWaterfall::Layout)> trace;
    std::function<void(QString action, bool ok, QString message, QString field)> finished;
    std::function<void(QString action, QString deliveryId)> submitted;
    /// A lookupDelivery() answer: found (with the row) or why not.
    std::function<void(QString deliveryId, bool found, DeliveryRecord record, QString error)> lookedUp;
    std::function<void(bool connected)> connection;
    /// Account.List (every page), one account (Get / SetStatus), an account's change log.
    std::function<void(std::vector<AccountRecord> accounts, int total)> accounts;
    std::function<void(AccountRecord account)> account;
    std::function<void(QString ownerId, std::vector<AccountChangeRecord> changes)> accountChanges;
};

/// Loop thread only, except batchApplied(). The fleet map's state is written here
/// directly (FleetState is thread-safe); everything for the models goes out in
/// BridgeBatches, at most one per flush interval and never while the previous one
/// has not been applied.
class BridgeWorker
{
public:
    BridgeWorker(net::ServiceLoop &loop, BridgeConfig config, std::shared_ptr<fleetmap::FleetState> fleet,
                 BridgeOutputs outputs);
    ~BridgeWorker();
    BridgeWorker(const BridgeWorker &) = delete;
    BridgeWorker &operator=(const BridgeWorker &) = delete;

    void start();

    /// Ingestion.Accept; `action` names it in finished() ("schedule", "reschedule", "cancel").
    void submit(const QString &action, dronedelivery::v1::DeliveryRequest request, const std::string &idempotencyKey);
    /// Delivery.Get for one delivery: the row goes to the model too, the answer to lookedUp().
    void lookupDelivery(const QString &deliveryId);
    /// Supervisor.Approve / Reject / Retry for each id; one finished() for all of them.
    void decide(const QString &action, const QStringList &transactionIds, const std::string &comment,
                const dronedelivery::v1::Credential &credential);
    /// DeliveryHistory.History and the span store's trace of the delivery's workflow.
    void loadDelivery(const QString &deliveryId, const QString &traceIdHint);
    void refreshAudit();
    /// Account.List / Account.Get / Account.SetStatus (see AccountRequests).
    void loadAccounts();
    void loadAccount(const QString &ownerId);
    void setAccountStatus(const QString &ownerId, bool active, const std::string &reason,
                          const dronedelivery::v1::Credential &credential);
    /// What the route health covers (RouteHealthSampler::setWindow); samples again at once.
    void setServicesWindow(net::Micros window);
    /// Any thread: the GUI applied the last batch, the next may go.
    void batchApplied() { m_batchInFlight.store(false, std::memory_order_release); }

private:
    void loadAll();
    void loadDeliveries(std::string after, std::size_t loaded);
    void loadDrones(std::string after);
    void loadTransactions();
    void loadStepDone(bool ok);
    void ping();
    void setConnected(bool connected);

    void onDeliveryEvent(const net::Event &event);
    void onTransaction(const net::Event &event);
    void onTelemetry(const net::Event &event);
    void fetchDelivery(const std::string &deliveryId);
    void pumpFetches();
    void remember(const dronedelivery::v1::Delivery &delivery);
    void updateMarker(const std::string &deliveryId, int stage);
    void flush();
    void sampleMetrics();

    net::CallOptions readOptions() const;
    net::CallOptions writeOptions() const;

    net::ServiceLoop &m_loop;
    BridgeConfig m_config;
    std::shared_ptr<fleetmap::FleetState> m_fleet;
    BridgeOutputs m_out;

    std::unique_ptr<net::RpcClient> m_ingestion, m_delivery, m_history, m_supervisor, m_drone, m_account;
    std::unique_ptr<net::Subscriber> m_deliveryEvents, m_transactionEvents, m_telemetry;
    std::vector<net::ServiceLoop::TimerId> m_timers;

    TelemetryCoalescer m_coalescer;
    RouteHealthSampler m_sampler;
    BridgeBatch m_batch;
    fleetmap::FleetChanges m_fleetChanges; ///< delivery markers waiting for the next flush
    std::atomic<bool> m_batchInFlight{false};

    std::unordered_set<std::string> m_known;    ///< deliveries already handed to the model
    std::unordered_set<std::string> m_fetching; ///< queued or in flight
    std::deque<std::string> m_fetchQueue;
    std::size_t m_fetchesInFlight = 0;
    std::unordered_map<std::string, fleetmap::DeliveryMarker> m_markers; ///< unfinished deliveries on the map

    int m_loadsPending = 0;
    bool m_loadFailed = false;
    bool m_loading = false;
    bool m_loadedOnce = false;
    int m_connected = -1; ///< -1 unknown, 0 no, 1 yes

    std::unique_ptr<DeliverySelection> m_selection;
    std::unique_ptr<ConsoleRequests> m_requests;
    std::unique_ptr<AccountRequests> m_accounts;

    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::console
