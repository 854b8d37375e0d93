// Console: owns the models and the bridge; turns QML's calls into validated requests on the mesh.
#include "Console.h"

#include "backend/gateway/DeliveryRequestJson.h"
#include "bridge/DeliveryForm.h"

#include <QJSEngine>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QUuid>

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
      m_accounts(new AccountListModel(this)),
      m_accountFilter(new AccountFilterModel(this)),
      m_accountChanges(new AccountChangeModel(this))
{
    m_deliveryFilter->setSourceModel(m_deliveries);
    ConsoleModels models{m_drones, m_deliveries, m_transactions, m_timeline, m_trace,
                         m_routes, m_services,   m_audit,        m_faults,   m_fleetState->state()};
    m_accountFilter->setSourceModel(m_accounts);
    models.accounts = m_accounts;
    models.accountChanges = m_accountChanges;
    m_bridge = new ConsoleBridge(std::move(options.bridge), models, options.embedded, this);
    m_outcomes = new SubmissionTracker(
        *m_deliveries, *m_transactions, [this](const QString &id) { m_bridge->lookupDelivery(id); }, options.outcomes,
        this);
    connect(m_bridge, &ConsoleBridge::deliverySubmitted, m_outcomes, &SubmissionTracker::track);
    connect(m_bridge, &ConsoleBridge::deliveryEventsApplied, m_outcomes, &SubmissionTracker::observe);
    connect(m_bridge, &ConsoleBridge::deliveryLookedUp, m_outcomes, &SubmissionTracker::lookedUp);
    connect(m_outcomes, &SubmissionTracker::outcome, this, &Console::onOutcome);
    connect(m_bridge, &ConsoleBridge::actionFinished, this, &Console::actionFinished);
    connect(m_bridge, &ConsoleBridge::actionFinished, this,
            [this](const QString &action, bool ok, const QString &message) { onActionFinished(action, ok, message); });
    connect(m_bridge, &ConsoleBridge::deliverySubmitted, this, &Console::deliverySubmitted);
    connect(m_bridge, &ConsoleBridge::connectedChanged, this, &Console::connectedChanged);
    connect(m_bridge, &ConsoleBridge::signedInChanged, this, [this] {
        emit userNameChanged();
        emit roleChanged();
    });
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

bool Console::signIn(const QString &user, const QString &password)
{
    QString error;
    const bool ok = m_bridge->signIn(user, password, &error);
    if (error != m_signInError) {
        m_signInError = error;
        emit signInErrorChanged();
    }
    setStatus(ok ? QStringLiteral("signed in as %1 (%2)").arg(userName(), role())
                 : QStringLiteral("sign-in failed: %1").arg(error),
              ok ? QStringLiteral("ok") : QStringLiteral("error"));
    return ok;
}

void Console::signOut()
{
    m_bridge->signOut();
    setStatus(QStringLiteral("signed out"), QString());
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
    if (action == QLatin1String("selectDelivery") || action == QLatin1String("selectDrone")
        || action == QLatin1String("selectAccount") || (ok && action == QLatin1String("loadAccounts")))
        return; // selections and reloads are not news for the status bar
    const QString text = ok ? message : QStringLiteral("%1 failed: %2").arg(action, message);
    // An accepted request is news, not yet success: its outcome follows.
    const bool accepted = ok
        && (action == QLatin1String("schedule") || action == QLatin1String("reschedule")
            || action == QLatin1String("cancel"));
    setStatus(text, accepted ? QStringLiteral("pending") : ok ? QStringLiteral("ok") : QStringLiteral("error"));
}

void Console::onOutcome(const QString &action, const QString &deliveryId, const QString &state,
                        const QString &message, const QString &transactionId)
{
    setStatus(message.contains(deliveryId) ? message : QStringLiteral("%1: %2").arg(deliveryId, message), state);
    emit deliveryOutcome(action, deliveryId, state, message, transactionId);
}

void Console::setStatus(const QString &text, const QString &tone)
{
    if (text == m_statusText && tone == m_statusTone)
        return;
    m_statusText = text;
    m_statusTone = tone;
    emit statusTextChanged();
}

std::string Console::requestedBy() const
{
    // The gateway's shape ("role/user"), so the audit trail reads the same either way.
    // A claim Ingestion records, not checked (docs/security.md): nobody signed in dispatches anonymously.
    if (!signedIn())
        return "dispatcher/anonymous";
    return (role() + QLatin1Char('/') + userName()).toStdString();
}

namespace {
QString keyOr(const QString &key)
{
    return key.isEmpty() ? QStringLiteral("console-") + QUuid::createUuid().toString(QUuid::WithoutBraces) : key;
}
} // namespace

void Console::scheduleDelivery(const QVariantMap &form, const QString &idempotencyKey)
{
    DeliveryForm::Result result = DeliveryForm::schedule(form);
    if (!result.ok)
        return finishNow(QStringLiteral("schedule"), false, result.message, result.field);
    result.request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("schedule"), std::move(result.request), keyOr(idempotencyKey));
}

void Console::rescheduleDelivery(const QString &deliveryId, const QVariantMap &form, const QString &idempotencyKey)
{
    DeliveryForm::Result result = DeliveryForm::reschedule(deliveryId, form);
    if (!result.ok)
        return finishNow(QStringLiteral("reschedule"), false, result.message, result.field);
    result.request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("reschedule"), std::move(result.request), keyOr(idempotencyKey));
}

void Console::cancelDelivery(const QString &deliveryId, const QString &idempotencyKey)
{
    if (!backend::DeliveryRequestJson::validId(deliveryId))
        return finishNow(QStringLiteral("cancel"), false, QStringLiteral("choose a delivery to cancel"),
                         QStringLiteral("deliveryId"));
    dronedelivery::v1::DeliveryRequest request;
    request.set_operation(dronedelivery::v1::CANCEL);
    request.set_delivery_id(deliveryId.toStdString());
    request.set_requested_by(requestedBy());
    m_bridge->submit(QStringLiteral("cancel"), std::move(request), keyOr(idempotencyKey));
}

void Console::approve(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("approve"), transactionIds, comment);
}

void Console::reject(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("reject"), transactionIds, comment);
}

void Console::retry(const QStringList &transactionIds, const QString &comment)
{
    m_bridge->decide(QStringLiteral("retry"), transactionIds, comment);
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

void Console::refreshAccounts()
{
    m_bridge->loadAccounts();
}

void Console::selectAccount(const QString &ownerId)
{
    if (ownerId != m_selectedAccountId) {
        m_selectedAccountId = ownerId;
        emit selectedAccountIdChanged();
    }
    m_bridge->selectAccount(ownerId);
}

void Console::suspendAccount(const QString &ownerId, const QString &reason)
{
    // Checked here too, so an empty reason never costs a round trip; the service has the same rule.
    if (reason.trimmed().isEmpty())
        return finishNow(QStringLiteral("suspend"), false, QStringLiteral("a suspension needs a reason"),
                         QStringLiteral("reason"));
    m_bridge->setAccountStatus(ownerId, false, reason.trimmed());
}

void Console::reinstateAccount(const QString &ownerId, const QString &reason)
{
    m_bridge->setAccountStatus(ownerId, true, reason.trimmed());
}

QVariantMap Console::describePlace(const QString &text) const
{
    return DeliveryForm::describePlace(text);
}

QVariantMap Console::validateSchedule(const QVariantMap &form) const
{
    const DeliveryForm::Result result = DeliveryForm::schedule(form);
    return {{QStringLiteral("ok"), result.ok},
            {QStringLiteral("field"), result.field},
            {QStringLiteral("message"), result.message}};
}

} // namespace dd::console
