// The console's one root QML singleton: the models, the fleet map's state, the operator's role and every action.
#pragma once

#include "ConsoleModelTypes.h"
#include "bridge/ConsoleBridge.h"

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
    /// "dispatcher" or "supervisor"; sent with every decision, enforced by the Supervisor.
    Q_PROPERTY(QString role READ role WRITE setRole NOTIFY roleChanged)
    Q_PROPERTY(QString userName READ userName WRITE setUserName NOTIFY userNameChanged)
    Q_PROPERTY(QString selectedDeliveryId READ selectedDeliveryId WRITE selectDeliveryId NOTIFY selectedDeliveryIdChanged)
    Q_PROPERTY(QString selectedDroneId READ selectedDroneId WRITE selectDroneId NOTIFY selectedDroneIdChanged)
    Q_PROPERTY(bool connected READ connected NOTIFY connectedChanged)
    Q_PROPERTY(bool embedded READ embedded CONSTANT)
    /// The last action's outcome, for the status bar.
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)
    Q_PROPERTY(int activeDeliveries READ activeDeliveries NOTIFY activeDeliveriesChanged)
    Q_PROPERTY(int awaitingApproval READ awaitingApproval NOTIFY awaitingApprovalChanged)
    Q_PROPERTY(int dronesFlying READ dronesFlying NOTIFY dronesFlyingChanged)

public:
    struct Options
    {
        BridgeConfig bridge;
        bool embedded = true;
        QString role = QStringLiteral("dispatcher");
        QString userName = QStringLiteral("operator");
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

    QString role() const { return m_role; }
    void setRole(const QString &role);
    QString userName() const { return m_userName; }
    void setUserName(const QString &userName);
    QString selectedDeliveryId() const { return m_selectedDeliveryId; }
    void selectDeliveryId(const QString &id) { selectDelivery(id); }
    QString selectedDroneId() const { return m_selectedDroneId; }
    void selectDroneId(const QString &id) { selectDrone(id); }
    bool connected() const { return m_bridge->connected(); }
    bool embedded() const { return m_bridge->embedded(); }
    QString statusText() const { return m_statusText; }
    int activeDeliveries() const;
    int awaitingApproval() const;
    int dronesFlying() const;

    Q_INVOKABLE void scheduleDelivery(const QVariantMap &form);
    Q_INVOKABLE void rescheduleDelivery(const QString &deliveryId, const QVariantMap &form);
    Q_INVOKABLE void cancelDelivery(const QString &deliveryId);
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
    /// {ok: bool, field: string, message: string}: the gateway's rules, synchronously.
    Q_INVOKABLE QVariantMap validateSchedule(const QVariantMap &form) const;

signals:
    void actionFinished(const QString &action, bool ok, const QString &message, const QString &field);
    /// An accepted schedule / reschedule / cancel and its delivery id (e.g. to select it).
    void deliverySubmitted(const QString &action, const QString &deliveryId);
    void roleChanged();
    void userNameChanged();
    void selectedDeliveryIdChanged();
    void selectedDroneIdChanged();
    void connectedChanged();
    void statusTextChanged();
    void activeDeliveriesChanged();
    void awaitingApprovalChanged();
    void dronesFlyingChanged();

private:
    void finishNow(const QString &action, bool ok, const QString &message, const QString &field = {});
    void onActionFinished(const QString &action, bool ok, const QString &message);
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
    ConsoleBridge *m_bridge;

    QString m_role;
    QString m_userName;
    QString m_selectedDeliveryId;
    QString m_selectedDroneId;
    QString m_statusText;
};

} // namespace dd::console
