// The GUI thread's handle on the console's mesh worker: posts requests to it, applies its batches to the models.
#pragma once

#include "bridge/BridgeWorker.h"
#include "bridge/SignInSession.h"

#include <QObject>

#include <memory>

namespace dd::net {
class QtThreadQueue;
}

namespace dd::console {

class AccountChangeModel;
class AccountListModel;
class AuditLogModel;
class DeliveryListModel;
class DroneListModel;
class FaultRuleModel;
class RouteHealthModel;
class ServiceNodeModel;
class TimelineModel;
class TraceSpanModel;
class TransactionListModel;

/// The models the bridge keeps current; all live on the GUI thread, the fleet state anywhere.
struct ConsoleModels
{
    DroneListModel *drones = nullptr;
    DeliveryListModel *deliveries = nullptr;
    TransactionListModel *transactions = nullptr;
    TimelineModel *timeline = nullptr;
    TraceSpanModel *trace = nullptr;
    RouteHealthModel *routes = nullptr;
    ServiceNodeModel *services = nullptr;
    AuditLogModel *audit = nullptr;
    FaultRuleModel *faults = nullptr;
    std::shared_ptr<fleetmap::FleetState> fleet;
    AccountListModel *accounts = nullptr;
    AccountChangeModel *accountChanges = nullptr; ///< the selected account's log
};

/// Owns the "console" ServiceLoop and the BridgeWorker on it. The GUI thread never
/// touches a socket: every request is posted to the loop, every result comes back
/// as one queued call into this object (one per flush for the live streams), which
/// then updates the models. Create, use and destroy on the GUI thread.
class ConsoleBridge : public QObject
{
    Q_OBJECT

public:
    /// `embedded`: the services run in this process, so fault injection (the
    /// process's FaultInjector) reaches them.
    ConsoleBridge(BridgeConfig config, ConsoleModels models, bool embedded, QObject *parent = nullptr);
    ~ConsoleBridge() override;

    void start();
    /// Stops the loop; nothing reaches the models afterwards. Idempotent.
    void stop();

    bool connected() const { return m_connected; }
    bool loaded() const { return m_loaded; }
    bool embedded() const { return m_embedded; }

    // Each ends with exactly one actionFinished(action, ...).
    /// `idempotencyKey`: one per form submission (a repeat with it makes no second delivery).
    void submit(const QString &action, dronedelivery::v1::DeliveryRequest request, const QString &idempotencyKey = {});
    /// Delivery.Get; ends with deliveryLookedUp(), not actionFinished().
    void lookupDelivery(const QString &deliveryId);
    /// As the signed-in person (their credential); refused here when nobody is signed in, and
    /// by the Supervisor when their role may not (so a dispatcher's attempt is audited there).
    void decide(const QString &action, const QStringList &transactionIds, const QString &comment);
    /// `action`: "isolate", "forceClose" or "resetBreaker"; every client of the route in this process.
    /// Breakers and faults are this process's own (not over the mesh): the admin role is checked here.
    void breaker(const QString &action, const QString &caller, const QString &callee);
    void addFault(const QString &spec);
    void clearFaults();
    /// Loads the delivery's timeline and trace; an empty id clears them.
    void selectDelivery(const QString &deliveryId, const QString &traceIdHint);
    QString selectedDeliveryId() const { return m_selectedDelivery; }
    /// Account.List again (every page) into the accounts model; only a failure is reported
    /// (actionFinished "loadAccounts").
    void loadAccounts();
    /// Account.Get: the row and its change log; an empty id clears the log.
    void selectAccount(const QString &ownerId);
    QString selectedAccountId() const { return m_selectedAccount; }
    /// Account.SetStatus; ends with actionFinished("suspend" / "reinstate"), then reloads.
    /// As the signed-in person; the Account service verifies the credential and the role.
    void setAccountStatus(const QString &ownerId, bool active, const QString &reason);

    /// Checks the password against the users file; on success that person is signed in
    /// (signedInChanged). On failure whoever was signed in stays, and `error` says why.
    bool signIn(const QString &user, const QString &password, QString *error = nullptr);
    void signOut();
    const SignInSession &session() const { return m_session; }

signals:
    void actionFinished(const QString &action, bool ok, const QString &message, const QString &field);
    /// An accepted schedule / reschedule / cancel, with the delivery id Ingestion assigned or kept.
    void deliverySubmitted(const QString &action, const QString &deliveryId);
    void deliveryLookedUp(
        const QString &deliveryId, bool found, const dd::console::DeliveryRecord &record, const QString &error);
    /// After a batch reached the models: the delivery status events it carried (maybe none).
    void deliveryEventsApplied(const std::vector<dd::console::DeliveryStageUpdate> &events);
    void connectedChanged();
    void signedInChanged();
    void loadedChanged();
    /// A batch of live changes reached the models (tests wait on it).
    void batchApplied();

private:
    template <typename F>
    void onLoop(F &&task);
    template <typename F>
    void onGui(F &&task);
    BridgeOutputs outputs();
    void applyBatch(BridgeBatch batch);
    void refreshFaults();
    void finish(const QString &action, bool ok, const QString &message, const QString &field = {});
    /// False (after finishing `action` with why) unless the signed-in person may.
    bool signedInMay(const QString &action, identity::Capability capability);

    ConsoleModels m_models;
    SignInSession m_session;
    bool m_embedded;
    net::QtThreadQueue *m_gui; ///< the worker's results onto the GUI thread (a child: dies with this)
    std::unique_ptr<net::ServiceLoop> m_loop;
    std::unique_ptr<BridgeWorker> m_worker; ///< built here, started, used and destroyed on the loop
    bool m_started = false;
    bool m_connected = false;
    bool m_loaded = false;
    QString m_selectedDelivery;
    QString m_selectedAccount;
};

} // namespace dd::console
