// ConsoleBridge: thread hops in both directions, batches into models, breakers and faults.
#include "bridge/ConsoleBridge.h"

#include "net/transport/QtThreadQueue.h"
#include "bridge/ProtoRecords.h"
#include "models/AccountChangeModel.h"
#include "models/AccountListModel.h"
#include "models/AuditLogModel.h"
#include "models/ConsoleNames.h"
#include "models/DeliveryListModel.h"
#include "models/DroneListModel.h"
#include "models/FaultRuleModel.h"
#include "models/RouteHealthModel.h"
#include "models/ServiceNodeModel.h"
#include "models/TimelineModel.h"
#include "models/TraceSpanModel.h"
#include "models/TransactionListModel.h"
#include "net/resilience/FaultInjector.h"
#include "net/rpc/RpcClientRegistry.h"

#include <QMetaObject>

namespace dd::console {

ConsoleBridge::ConsoleBridge(BridgeConfig config, ConsoleModels models, bool embedded, QObject *parent)
    : QObject(parent),
      m_models(std::move(models)),
      m_session(config.credentials, config.usersFile),
      m_embedded(embedded),
      m_gui(new net::QtThreadQueue(this)),
      m_loop(std::make_unique<net::ServiceLoop>(config.caller))
{
    m_worker = std::make_unique<BridgeWorker>(*m_loop, std::move(config), m_models.fleet, outputs());
    if (m_models.routes) // the Services panel's window choice reaches the sampler on the loop
        connect(m_models.routes, &RouteHealthModel::windowChanged, this, [this] {
            const auto window = backend::ServicesReport::parseWindow(m_models.routes->window());
            if (window && m_loop && m_worker)
                onLoop([worker = m_worker.get(), window = *window] { worker->setServicesWindow(window); });
        });
}

ConsoleBridge::~ConsoleBridge()
{
    stop();
}

template <typename F>
void ConsoleBridge::onLoop(F &&task)
{
    if (m_loop->running())
        m_loop->post(std::forward<F>(task));
}

template <typename F>
void ConsoleBridge::onGui(F &&task)
{
    // Dropped with this object if it goes first (the queue is its child).
    m_gui->post(std::forward<F>(task));
}

BridgeOutputs ConsoleBridge::outputs()
{
    BridgeOutputs out;
    out.batch = [this](BridgeBatch batch) {
        onGui([this, batch = std::move(batch)]() mutable { applyBatch(std::move(batch)); });
    };
    out.routes = [this](RouteHealthSampler::Result result) {
        onGui([this, result = std::move(result)]() mutable {
            m_models.routes->apply(std::move(result.routes));
            m_models.services->apply(std::move(result.services));
        });
    };
    out.audit = [this](std::vector<AuditRecord> entries) {
        onGui([this, entries = std::move(entries)]() mutable { m_models.audit->setEntries(std::move(entries)); });
    };
    out.timeline = [this](QString deliveryId, std::vector<TimelineEntry> entries) {
        onGui([this, deliveryId, entries = std::move(entries)]() mutable {
            if (deliveryId == m_selectedDelivery)
                m_models.timeline->setEntries(deliveryId, std::move(entries));
        });
    };
    out.trace = [this](QString deliveryId, QString traceId, TraceWaterfall::Layout layout) {
        onGui([this, deliveryId, traceId, layout = std::move(layout)]() mutable {
            if (deliveryId == m_selectedDelivery)
                m_models.trace->setTrace(traceId, std::move(layout.spans), layout.totalMs);
        });
    };
    out.finished = [this](QString action, bool ok, QString message, QString field) {
        onGui([=, this] { emit actionFinished(action, ok, message, field); });
    };
    out.submitted = [this](QString action, QString deliveryId) {
        onGui([=, this] { emit deliverySubmitted(action, deliveryId); });
    };
    out.lookedUp = [this](QString deliveryId, bool found, DeliveryRecord record, QString error) {
        onGui([=, this] { emit deliveryLookedUp(deliveryId, found, record, error); });
    };
    out.accounts = [this](std::vector<AccountRecord> accounts, int total) {
        onGui([this, accounts = std::move(accounts), total]() mutable {
            if (m_models.accounts)
                m_models.accounts->setAccounts(std::move(accounts), total);
        });
    };
    out.account = [this](AccountRecord account) {
        onGui([this, account = std::move(account)]() mutable {
            if (m_models.accounts)
                m_models.accounts->apply({std::move(account)});
        });
    };
    out.accountChanges = [this](QString ownerId, std::vector<AccountChangeRecord> changes) {
        onGui([this, ownerId, changes = std::move(changes)]() mutable {
            if (m_models.accountChanges && ownerId == m_selectedAccount)
                m_models.accountChanges->setChanges(ownerId, std::move(changes));
        });
    };
    out.connection = [this](bool connected) {
        onGui([this, connected] {
            if (connected == m_connected)
                return;
            m_connected = connected;
            emit connectedChanged();
        });
    };
    return out;
}

void ConsoleBridge::start()
{
    if (m_started)
        return;
    m_started = true;
    refreshFaults();
    m_loop->start();
    m_loop->post([this, worker = m_worker.get()] {
        try {
            worker->start();
        } catch (const std::exception &e) {
            // A socket that cannot be set up (a tcp endpoint without keys): say so, stay up.
            const QString why = QString::fromUtf8(e.what());
            onGui([this, why] {
                qWarning("drone-console: cannot attach to the backend: %s", qPrintable(why));
                emit actionFinished(QStringLiteral("connect"), false, why, {});
            });
        }
    });
}

void ConsoleBridge::stop()
{
    if (!m_loop)
        return;
    // The worker's sockets and clients go on their own thread, before the loop does.
    if (m_loop->running())
        m_loop->invoke([this] { m_worker.reset(); });
    else
        m_worker.reset();
    m_loop->stop();
    m_loop.reset();
}

void ConsoleBridge::applyBatch(BridgeBatch batch)
{
    if (!batch.drones.empty())
        m_models.drones->apply(std::move(batch.drones));
    if (!batch.deliveries.empty())
        m_models.deliveries->apply(std::move(batch.deliveries));
    if (!batch.stageUpdates.empty()) {
        m_models.deliveries->applyStageUpdates(batch.stageUpdates);
        std::vector<TimelineEntry> selected;
        for (const DeliveryStageUpdate &update : batch.stageUpdates)
            if (!m_selectedDelivery.isEmpty() && update.deliveryId == m_selectedDelivery)
                selected.push_back({update.stage, update.at,
                                    update.reason.isEmpty() && !update.failure.empty()
                                        ? QStringLiteral("%1 failed: %2")
                                              .arg(ConsoleNames::operation(update.failure.operation),
                                                   update.failure.error)
                                        : update.reason,
                                    update.latitude, update.longitude, update.droneId});
        if (!selected.empty() && m_models.timeline->deliveryId() == m_selectedDelivery)
            m_models.timeline->append(selected);
    }
    if (!batch.transactions.empty())
        m_models.transactions->apply(std::move(batch.transactions));
    if (m_worker)
        m_worker->batchApplied(); // thread-safe: an atomic the worker reads
    if (batch.loadComplete && !m_loaded) {
        m_loaded = true;
        emit loadedChanged();
    }
    emit deliveryEventsApplied(batch.stageUpdates);
    emit batchApplied();
}

void ConsoleBridge::finish(const QString &action, bool ok, const QString &message, const QString &field)
{
    // Asynchronous like every other outcome, so QML sees the same order either way.
    onGui([=, this] { emit actionFinished(action, ok, message, field); });
}

void ConsoleBridge::submit(const QString &action, dronedelivery::v1::DeliveryRequest request,
                           const QString &idempotencyKey)
{
    if (!m_loop || !m_loop->running())
        return finish(action, false, QStringLiteral("the console is not connected"));
    onLoop([worker = m_worker.get(), action, request = std::move(request), key = idempotencyKey.toStdString()]() mutable {
        worker->submit(action, std::move(request), key);
    });
}

void ConsoleBridge::lookupDelivery(const QString &deliveryId)
{
    if (!m_loop || !m_loop->running())
        return onGui([=, this] { emit deliveryLookedUp(deliveryId, false, {}, QStringLiteral("not connected")); });
    onLoop([worker = m_worker.get(), deliveryId] { worker->lookupDelivery(deliveryId); });
}

bool ConsoleBridge::signIn(const QString &user, const QString &password, QString *error)
{
    if (!m_session.signIn(user, password, error))
        return false;
    emit signedInChanged();
    return true;
}

void ConsoleBridge::signOut()
{
    if (!m_session.signedIn())
        return;
    m_session.signOut();
    emit signedInChanged();
}

bool ConsoleBridge::signedInMay(const QString &action, identity::Capability capability)
{
    if (m_session.allows(capability))
        return true;
    const QString needed = QString::fromStdString(identity::leastRoleFor(capability));
    finish(action, false,
           m_session.signedIn()
               ? QStringLiteral("%1 is signed in as %2: this needs the %3 role (sign in as a %3)")
                     .arg(m_session.user(), m_session.role(), needed)
               : QStringLiteral("nobody is signed in: this needs the %1 role (sign in as a %1)").arg(needed),
           QStringLiteral("role"));
    return false;
}

void ConsoleBridge::decide(const QString &action, const QStringList &transactionIds, const QString &comment)
{
    if (!m_loop || !m_loop->running())
        return finish(action, false, QStringLiteral("the console is not connected"));
    const auto credential = m_session.credential();
    if (!credential)
        return finish(action, false,
                      QStringLiteral("nobody is signed in: sign in as a supervisor to %1").arg(action),
                      QStringLiteral("role"));
    onLoop([worker = m_worker.get(), action, transactionIds, comment = comment.toStdString(),
            credential = *credential] { worker->decide(action, transactionIds, comment, credential); });
}

void ConsoleBridge::breaker(const QString &action, const QString &caller, const QString &callee)
{
    if (!signedInMay(action, identity::Capability::Operate))
        return;
    const auto command = action == QLatin1String("isolate") ? net::BreakerCommand::Isolate
        : action == QLatin1String("forceClose")             ? net::BreakerCommand::ForceClose
                                                            : net::BreakerCommand::Reset;
    const std::size_t clients =
        net::RpcClientRegistry::global().apply(caller.toStdString(), callee.toStdString(), command);
    if (clients == 0)
        return finish(action, false,
                      QStringLiteral("no client of %1 → %2 in this process").arg(caller, callee),
                      QStringLiteral("route"));
    finish(action, true,
           QStringLiteral("%1 %2 → %3 (%4 client%5)")
               .arg(QString::fromLatin1(net::toString(command)), caller, callee)
               .arg(clients)
               .arg(clients == 1 ? "" : "s"));
}

void ConsoleBridge::addFault(const QString &spec)
{
    static const QString action = QStringLiteral("addFault");
    if (!signedInMay(action, identity::Capability::Operate))
        return;
    if (!m_embedded)
        return finish(action, false,
                      QStringLiteral("fault injection reaches only services in this process; start the console "
                                     "without --connect, or give drone-backend --fault"),
                      QStringLiteral("spec"));
    std::string why;
    const auto rule = net::parseFaultSpec(spec.trimmed().toStdString(), &why);
    if (!rule)
        return finish(action, false, QString::fromStdString(why), QStringLiteral("spec"));
    net::FaultInjector::global().add(*rule);
    refreshFaults();
    finish(action, true, QStringLiteral("fault %1 injected").arg(QString::fromStdString(rule->toSpec())));
}

void ConsoleBridge::clearFaults()
{
    if (!signedInMay(QStringLiteral("clearFaults"), identity::Capability::Operate))
        return;
    if (m_embedded)
        net::FaultInjector::global().clear();
    refreshFaults();
    finish(QStringLiteral("clearFaults"), m_embedded,
           m_embedded ? QStringLiteral("every fault cleared") : QStringLiteral("no local faults to clear"));
}

void ConsoleBridge::refreshFaults()
{
    std::vector<FaultRecord> rules;
    if (m_embedded)
        for (const net::FaultRule &rule : net::FaultInjector::global().rules())
            rules.push_back(ProtoRecords::fault(rule));
    m_models.faults->setRules(std::move(rules));
}

void ConsoleBridge::selectDelivery(const QString &deliveryId, const QString &traceIdHint)
{
    m_selectedDelivery = deliveryId;
    m_models.timeline->setEntries(deliveryId, {});
    m_models.trace->clear();
    if (!m_loop || !m_loop->running())
        return finish(QStringLiteral("selectDelivery"), deliveryId.isEmpty(), QStringLiteral("not connected"));
    onLoop([worker = m_worker.get(), deliveryId, traceIdHint] { worker->loadDelivery(deliveryId, traceIdHint); });
    if (deliveryId.isEmpty())
        finish(QStringLiteral("selectDelivery"), true, {});
}

void ConsoleBridge::loadAccounts()
{
    if (!m_loop || !m_loop->running())
        return finish(QStringLiteral("loadAccounts"), false, QStringLiteral("the console is not connected"));
    onLoop([worker = m_worker.get()] { worker->loadAccounts(); });
}

void ConsoleBridge::selectAccount(const QString &ownerId)
{
    m_selectedAccount = ownerId;
    if (m_models.accountChanges && m_models.accountChanges->ownerId() != ownerId)
        m_models.accountChanges->setChanges(ownerId, {}); // not another account's log meanwhile
    if (ownerId.isEmpty())
        return finish(QStringLiteral("selectAccount"), true, {});
    if (!m_loop || !m_loop->running())
        return finish(QStringLiteral("selectAccount"), false, QStringLiteral("not connected"));
    onLoop([worker = m_worker.get(), ownerId] { worker->loadAccount(ownerId); });
}

void ConsoleBridge::setAccountStatus(const QString &ownerId, bool active, const QString &reason)
{
    const QString action = active ? QStringLiteral("reinstate") : QStringLiteral("suspend");
    if (!m_loop || !m_loop->running())
        return finish(action, false, QStringLiteral("the console is not connected"));
    const auto credential = m_session.credential();
    if (!credential)
        return finish(action, false, QStringLiteral("nobody is signed in: sign in as a supervisor to %1").arg(action),
                      QStringLiteral("role"));
    onLoop([worker = m_worker.get(), ownerId, active, reason = reason.toStdString(), credential = *credential] {
        worker->setAccountStatus(ownerId, active, reason, credential);
    });
}

} // namespace dd::console
