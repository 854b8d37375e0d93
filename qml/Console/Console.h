// The console's one root QML singleton: the models, the fleet map's state, who is signed in and every action.
#pragma once

#include "ConsoleModelTypes.h"
#include "bridge/ConsoleBridge.h"
#include "bridge/SubmissionTracker.h"

#include "FleetStateSource.h"

#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace dd::console {

/// Made by main() (or a test) before any QML loads, then handed to the engine by
/// create(): QML never constructs it, and it outlives the engine. The invokables
/// are asynchronous and each ends with exactly one actionFinished(); only Main.qml
/// talks to it (panels get models and report through signals), see docs/console.md.
class Console : public QObject
{
    Q_OBJECT
    QML_SINGLETON
    QML_NAMED_ELEMENT(Console)
    Q_PROPERTY(dd::console::DroneListModel *drones READ drones CONSTANT)
    Q_PROPERTY(dd::console::DeliveryListModel *deliveries READ deliveries CONSTANT)
    Q_PROPERTY(dd::console::DeliveryFilterModel *deliveryFilter READ deliveryFilter CONSTANT)
    Q_PROPERTY(dd::console::TransactionListModel *transactions READ transactions CONSTANT)
    Q_PROPERTY(dd::console::TimelineModel *timeline READ timeline CONSTANT)
    Q_PROPERTY(dd::console::TraceSpanModel *trace READ trace CONSTANT)
    Q_PROPERTY(dd::console::RouteHealthModel *routes READ routes CONSTANT)
    Q_PROPERTY(dd::console::ServiceNodeModel *services READ services CONSTANT)
    Q_PROPERTY(dd::console::AuditLogModel *audit READ audit CONSTANT)
    Q_PROPERTY(dd::console::FaultRuleModel *faults READ faults CONSTANT)
    Q_PROPERTY(dd::fleetmap::FleetStateSource *fleetState READ fleetState CONSTANT)
    Q_PROPERTY(dd::console::AccountListModel *accounts READ accounts CONSTANT)
    Q_PROPERTY(dd::console::AccountFilterModel *accountFilter READ accountFilter CONSTANT)
    /// The selected account's change log (Account.Get), newest first.
    Q_PROPERTY(dd::console::AccountChangeModel *accountChanges READ accountChanges CONSTANT)
    Q_PROPERTY(QString selectedAccountId READ selectedAccountId WRITE selectAccount NOTIFY selectedAccountIdChanged)
    /// Who is signed in (signIn / signOut; "" when nobody) and their role from the users file:
    /// "dispatcher", "supervisor" or "admin". The services verify the credential the console
    /// mints for them; these only shape the UI (disabled buttons and their tooltips).
    Q_PROPERTY(QString role READ role NOTIFY roleChanged)
    Q_PROPERTY(QString userName READ userName NOTIFY userNameChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY userNameChanged)
    /// Approve / reject / retry, suspend / reinstate: a supervisor or an admin.
    Q_PROPERTY(bool maySupervise READ maySupervise NOTIFY roleChanged)
    /// Fault injection and breaker overrides: an admin.
    Q_PROPERTY(bool mayOperate READ mayOperate NOTIFY roleChanged)
    /// Why the last sign-in failed ("" after a success).
    Q_PROPERTY(QString signInError READ signInError NOTIFY signInErrorChanged)
    Q_PROPERTY(QString selectedDeliveryId READ selectedDeliveryId WRITE selectDeliveryId NOTIFY selectedDeliveryIdChanged)
    Q_PROPERTY(QString selectedDroneId READ selectedDroneId WRITE selectDroneId NOTIFY selectedDroneIdChanged)
    Q_PROPERTY(bool connected READ connected NOTIFY connectedChanged)
    Q_PROPERTY(bool embedded READ embedded CONSTANT)
    /// The last action's outcome, for the status bar.
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)
    /// How statusText reads: "ok", "error", "pending" (accepted, the outcome not in yet) or "".
    Q_PROPERTY(QString statusTone READ statusTone NOTIFY statusTextChanged)
    Q_PROPERTY(int activeDeliveries READ activeDeliveries NOTIFY activeDeliveriesChanged)
    Q_PROPERTY(int awaitingApproval READ awaitingApproval NOTIFY awaitingApprovalChanged)
    Q_PROPERTY(int dronesFlying READ dronesFlying NOTIFY dronesFlyingChanged)

public:
    struct Options
    {
        BridgeConfig bridge;
        bool embedded = true;
        SubmissionTracker::Options outcomes;
    };

    explicit Console(Options options, QObject *parent = nullptr);
    ~Console() override;

    /// The engine's factory for the singleton: the instance made beforehand, owned by C++.
    static Console *create(QQmlEngine *engine, QJSEngine *scriptEngine);
    static void setInstance(Console *console);
    static Console *instance();

    /// Starts the bridge (the initial load, the live streams).
    void start();
    /// Stops the bridge; the models keep what they have. Before the backend stops.
    void stop();
    ConsoleBridge *bridge() { return m_bridge; }

    DroneListModel *drones() const { return m_drones; }
    DeliveryListModel *deliveries() const { return m_deliveries; }
    DeliveryFilterModel *deliveryFilter() const { return m_deliveryFilter; }
    TransactionListModel *transactions() const { return m_transactions; }
    TimelineModel *timeline() const { return m_timeline; }
    TraceSpanModel *trace() const { return m_trace; }
    RouteHealthModel *routes() const { return m_routes; }
    ServiceNodeModel *services() const { return m_services; }
    AuditLogModel *audit() const { return m_audit; }
    FaultRuleModel *faults() const { return m_faults; }
    fleetmap::FleetStateSource *fleetState() const { return m_fleetState; }
    AccountListModel *accounts() const { return m_accounts; }
    AccountFilterModel *accountFilter() const { return m_accountFilter; }
    AccountChangeModel *accountChanges() const { return m_accountChanges; }
    QString selectedAccountId() const { return m_selectedAccountId; }

    QString role() const { return m_bridge->session().role(); }
    QString userName() const { return m_bridge->session().user(); }
    bool signedIn() const { return m_bridge->session().signedIn(); }
    bool maySupervise() const { return m_bridge->session().allows(identity::Capability::Supervise); }
    bool mayOperate() const { return m_bridge->session().allows(identity::Capability::Operate); }
    QString signInError() const { return m_signInError; }

    /// Checks the password against the users file; true and signed in as that user (their
    /// role), or false with signInError (whoever was signed in stays). Switching role = signing
    /// in as someone else.
    Q_INVOKABLE bool signIn(const QString &user, const QString &password);
    Q_INVOKABLE void signOut();
    QString selectedDeliveryId() const { return m_selectedDeliveryId; }
    void selectDeliveryId(const QString &id) { selectDelivery(id); }
    QString selectedDroneId() const { return m_selectedDroneId; }
    void selectDroneId(const QString &id) { selectDrone(id); }
    bool connected() const { return m_bridge->connected(); }
    bool embedded() const { return m_bridge->embedded(); }
    QString statusText() const { return m_statusText; }
    QString statusTone() const { return m_statusTone; }
    SubmissionTracker *outcomes() { return m_outcomes; }
    int activeDeliveries() const;
    int awaitingApproval() const;
    int dronesFlying() const;

    // `idempotencyKey`: the form submission's own (the same again makes no second request);
    // empty: a fresh one for this call.
    Q_INVOKABLE void scheduleDelivery(const QVariantMap &form, const QString &idempotencyKey = {});
    Q_INVOKABLE void rescheduleDelivery(
        const QString &deliveryId, const QVariantMap &form, const QString &idempotencyKey = {});
    Q_INVOKABLE void cancelDelivery(const QString &deliveryId, const QString &idempotencyKey = {});
    Q_INVOKABLE void approve(const QStringList &transactionIds, const QString &comment);
    Q_INVOKABLE void reject(const QStringList &transactionIds, const QString &comment);
    Q_INVOKABLE void retry(const QStringList &transactionIds, const QString &comment);
    Q_INVOKABLE void isolate(const QString &caller, const QString &callee);
    Q_INVOKABLE void forceClose(const QString &caller, const QString &callee);
    Q_INVOKABLE void resetBreaker(const QString &caller, const QString &callee);
    Q_INVOKABLE void addFault(const QString &spec);
    Q_INVOKABLE void clearFaults();
    Q_INVOKABLE void selectDelivery(const QString &deliveryId);
    Q_INVOKABLE void selectDrone(const QString &droneId);
    /// Account.List again into `accounts` (a failure ends with actionFinished "loadAccounts").
    Q_INVOKABLE void refreshAccounts();
    /// Loads the account's change log into `accountChanges` ("" clears it).
    Q_INVOKABLE void selectAccount(const QString &ownerId);
    /// Account.SetStatus with the console's user and role (the Account service decides who
    /// may); a suspension needs a reason. Ends with actionFinished("suspend" / "reinstate").
    Q_INVOKABLE void suspendAccount(const QString &ownerId, const QString &reason);
    Q_INVOKABLE void reinstateAccount(const QString &ownerId, const QString &reason = {});
    /// {ok: bool, field: string, message: string}: the gateway's rules, synchronously.
    Q_INVOKABLE QVariantMap validateSchedule(const QVariantMap &form) const;
    /// {ok, text, suggestions}: what a typed location resolves to (strictly, as the form sends it).
    Q_INVOKABLE QVariantMap describePlace(const QString &text) const;

signals:
    void actionFinished(const QString &action, bool ok, const QString &message, const QString &field);
    /// An accepted schedule / reschedule / cancel and its delivery id (e.g. to select it).
    void deliverySubmitted(const QString &action, const QString &deliveryId);
    /// What became of an accepted one: `state` "pending" (why it still waits), "ok" or "error"
    /// (final); `transactionId` the failed workflow's when known.
    void deliveryOutcome(const QString &action, const QString &deliveryId, const QString &state, const QString &message,
        const QString &transactionId);
    void roleChanged();
    void userNameChanged();
    void signInErrorChanged();
    void selectedDeliveryIdChanged();
    void selectedDroneIdChanged();
    void selectedAccountIdChanged();
    void connectedChanged();
    void statusTextChanged();
    void activeDeliveriesChanged();
    void awaitingApprovalChanged();
    void dronesFlyingChanged();

private:
    void finishNow(const QString &action, bool ok, const QString &message, const QString &field = {});
    void onActionFinished(const QString &action, bool ok, const QString &message);
    void onOutcome(const QString &action, const QString &deliveryId, const QString &state, const QString &message,
        const QString &transactionId);
    void setStatus(const QString &text, const QString &tone);
    std::string requestedBy() const;
    QString traceIdOf(const QString &deliveryId) const;

    static Console *s_instance;

    DroneListModel *m_drones;
    DeliveryListModel *m_deliveries;
    DeliveryFilterModel *m_deliveryFilter;
    TransactionListModel *m_transactions;
    TimelineModel *m_timeline;
    TraceSpanModel *m_trace;
    RouteHealthModel *m_routes;
    ServiceNodeModel *m_services;
    AuditLogModel *m_audit;
    FaultRuleModel *m_faults;
    fleetmap::FleetStateSource *m_fleetState;
    AccountListModel *m_accounts;
    AccountFilterModel *m_accountFilter;
    AccountChangeModel *m_accountChanges;
    ConsoleBridge *m_bridge;
    SubmissionTracker *m_outcomes;

    QString m_signInError;
    QString m_selectedDeliveryId;
    QString m_selectedDroneId;
    QString m_selectedAccountId;
    QString m_statusText;
    QString m_statusTone;
};

} // namespace dd::console
