// Console: owns the models and the bridge; turns QML's calls into validated requests on the mesh.
#include "Console.h"

#include "backend/gateway/DeliveryRequestJson.h"
#include "bridge/DeliveryForm.h"

#include <QJSEngine>
#include <QLoggingCategory>
#include <QQmlEngine>

Q_LOGGING_CATEGORY(lcConsole, "dd.console")

namespace dd::console {

Console *Console::s_instance = nullptr;

Console::Console(Options options, QObject *parent)
    : QObject(parent),
      m_drones(new DroneListModel(this)),
      m_deliveries(new DeliveryListModel(this)),
      m_deliveryFilter(new DeliveryFilterModel(this)),
      m_transactions(new TransactionListModel(this)),
      m_timeline(new TimelineModel(this)),
      m_trace(new TraceSpanModel(this)),
      m_routes(new RouteHealthModel(this)),
      m_services(new ServiceNodeModel(this)),
      m_audit(new AuditLogModel(this)),
      m_faults(new FaultRuleModel(this)),
      m_fleetState(new fleetmap::FleetStateSource(this)),
      m_role(options.role == QLatin1String("supervisor") ? options.role : QStringLiteral("dispatcher")),
      m_userName(options.userName)
{
    m_deliveryFilter->setSourceModel(m_deliveries);
    ConsoleModels models{m_drones, m_deliveries, m_transactions, m_timeline, m_trace,
                         m_routes, m_services,   m_audit,        m_faults,   m_fleetState->state()};
    m_bridge = new ConsoleBridge(std::move(options.bridge), models, options.embedded, this);
    connect(m_bridge, &ConsoleBridge::actionFinished, this, &Console::actionFinished);
    connect(m_bridge, &ConsoleBridge::actionFinished, this,
            [this](const QString &action, bool ok, const QString &message) { onActionFinished(action, ok, message); });
    connect(m_bridge, &ConsoleBridge::deliverySubmitted, this, &Console::deliverySubmitted);
    connect(m_bridge, &ConsoleBridge::connectedChanged, this, &Console::connectedChanged);
    connect(m_deliveries, &DeliveryListModel::activeCountChanged, this, &Console::activeDeliveriesChanged);
    connect(m_transactions, &TransactionListModel::awaitingApprovalCountChanged, this,
            &Console::awaitingApprovalChanged);
    connect(m_drones, &DroneListModel::flyingCountChanged, this, &Console::dronesFlyingChanged);
}

Console::~Console()
{
    stop();
    if (s_instance == this)
        s_instance = nullptr;
}

Console *Console::create(QQmlEngine *, QJSEngine *scriptEngine)
{
    if (!s_instance) {
        qCCritical(lcConsole) << "Console::create: no instance; make one and call Console::setInstance() before "
                                 "loading QML";
        return nullptr;
    }
    // The engine must not delete it: main() owns it and it outlives the engine.
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    if (scriptEngine && s_instance->thread() != scriptEngine->thread())
        qCWarning(lcConsole) << "Console::create: the Console lives on another thread than the engine";
    return s_instance;
}

void Console::setInstance(Console *console)
{
    s_instance = console;
}

Console *Console::instance()
{
    return s_instance;
}

void Console::start()
{
    m_bridge->start();
}

void Console::stop()
{
    m_bridge->stop();
}

int Console::activeDeliveries() const
{
    return m_deliveries->activeCount();
}

int Console::awaitingApproval() const
{
    return m_transactions->awaitingApprovalCount();
}

int Console::dronesFlying() const
{
    return m_drones->flyingCount();
}

void Console::setRole(const QString &role)
{
    const QString normalized = role.trimmed().toLower();
    if (normalized != QLatin1String("dispatcher") && normalized != QLatin1String("supervisor")) {
        qCWarning(lcConsole) << "unknown role" << role << "- keeping" << m_role;
        return;
    }
    if (normalized == m_role)
        return;
    m_role = normalized;
    emit roleChanged();
}

void Console::setUserName(const QString &userName)
{
    if (userName == m_userName)
        return;
    m_userName = userName;
    emit userNameChanged();
}

void Console::finishNow(const QString &action, bool ok, const QString &message, const QString &field)
{
    // Through the event loop like every other outcome: QML sees one order whatever failed where.
    QMetaObject::invokeMethod(
        this,
        [=, this] {
            onActionFinished(action, ok, message);
            emit actionFinished(action, ok, message, field);
        },
        Qt::QueuedConnection);
}

void Console::onActionFinished(const QString &action, bool ok, const QString &message)
{
    if (action == QLatin1String("selectDelivery") || action == QLatin1String("selectDrone"))
        return; // selections are not news for the status bar
    const QString text = ok ? message : QStringLiteral("%1 failed: %2").arg(action, message);
    if (text == m_statusText)
        return;
    m_statusText = text;
    emit statusTextChanged();
}

std::string Console::requestedBy() const
{
    // The gateway's shape ("role/user"), so the audit trail reads the same either way.
    return (m_role + QLatin1Char('/') + m_userName).toStdString();
}

void Console::scheduleDelivery(const QVariantMap &form)
{
    DeliveryForm::Result result = DeliveryForm::schedule(form);
    if (!result.ok)
        return finishNow(QStringLiteral("schedule"), false, result.message, result.field);
    result.request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("schedule"), std::move(result.request));
}

void Console::rescheduleDelivery(const QString &deliveryId, const QVariantMap &form)
{
    DeliveryForm::Result result = DeliveryForm::reschedule(deliveryId, form);
    if (!result.ok)
        return finishNow(QStringLiteral("reschedule"), false, result.message, result.field);
    result.request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("reschedule"), std::move(result.request));
}

void Console::cancelDelivery(const QString &deliveryId)
{
    if (!backend::DeliveryRequestJson::validId(deliveryId))
        return finishNow(QStringLiteral("cancel"), false, QStringLiteral("choose a delivery to cancel"),
                         QStringLiteral("deliveryId"));
    dronedelivery::v1::DeliveryRequest request;
    request.set_operation(dronedelivery::v1::CANCEL);
    request.set_delivery_id(deliveryId.toStdString());
    request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("cancel"), std::move(request));
}

void Console::approve(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("approve"), transactionIds, comment, m_userName, m_role);
}

void Console::reject(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("reject"), transactionIds, comment, m_userName, m_role);
}

void Console::retry(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("retry"), transactionIds, comment, m_userName, m_role);
}

void Console::isolate(const QString &caller, const QString &callee)
{
    m_bridge->breaker(QStringLiteral("isolate"), caller, callee);
}

void Console::forceClose(const QString &caller, const QString &callee)
{
    m_bridge->breaker(QStringLiteral("forceClose"), caller, callee);
}

void Console::resetBreaker(const QString &caller, const QString &callee)
{
    m_bridge->breaker(QStringLiteral("resetBreaker"), caller, callee);
}

void Console::addFault(const QString &spec)
{
    m_bridge->addFault(spec);
}

void Console::clearFaults()
{
    m_bridge->clearFaults();
}

QString Console::traceIdOf(const QString &deliveryId) const
{
    if (const DeliveryRecord *delivery = m_deliveries->find(deliveryId); delivery && !delivery->traceId.isEmpty())
        return delivery->traceId;
    // A delivery whose workflow failed before Delivery.Create exists only as a transaction.
    for (const TransactionRecord &tx : m_transactions->records())
        if (tx.deliveryId == deliveryId && !tx.traceId.isEmpty())
            return tx.traceId;
    return {};
}

void Console::selectDelivery(const QString &deliveryId)
{
    if (deliveryId != m_selectedDeliveryId) {
        m_selectedDeliveryId = deliveryId;
        emit selectedDeliveryIdChanged();
    }
    m_bridge->selectDelivery(deliveryId, traceIdOf(deliveryId));
}

void Console::selectDrone(const QString &droneId)
{
    if (droneId != m_selectedDroneId) {
        m_selectedDroneId = droneId;
        emit selectedDroneIdChanged();
    }
    const bool known = droneId.isEmpty() || m_drones->rowOf(droneId) >= 0;
    finishNow(QStringLiteral("selectDrone"), known, known ? QString() : QStringLiteral("no drone %1").arg(droneId),
              known ? QString() : QStringLiteral("droneId"));
}

QVariantMap Console::validateSchedule(const QVariantMap &form) const
{
    const DeliveryForm::Result result = DeliveryForm::schedule(form);
    return {{QStringLiteral("ok"), result.ok},
            {QStringLiteral("field"), result.field},
            {QStringLiteral("message"), result.message}};
}

} // namespace dd::console
