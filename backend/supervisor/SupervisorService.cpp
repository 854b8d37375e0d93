// SupervisorService: compensation state machine, decisions, audit, events.
#include "backend/supervisor/SupervisorService.h"

#include "backend/identity/IdentityRoles.h"
#include "backend/supervisor/CompensationPlan.h"
#include "mesh.pb.h"
#include "services.pb.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSupervisor, "dd.backend.supervisor")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::RpcResult;

namespace {
/// Event rows deleted per save at most: more than the one each save adds, so a lowered
/// replayCapacity is reached after a few saves without one long delete.
constexpr std::size_t kPruneSlice = 16;
} // namespace

SupervisorService::SupervisorService(const ServiceContext &context, SupervisorOptions options)
    : BackendService("supervisor", context), m_options(options)
{
}

SupervisorService::~SupervisorService()
{
    stop();
}

void SupervisorService::onStart()
{
    m_alive = std::make_shared<bool>(true);
    m_store = std::make_unique<TransactionStore>(context().storePath("supervisor"));
    m_commit = std::make_unique<GroupCommit>(loop(), m_store->db());
    // Rolled back: the rows are as before that turn; drive them on again from the store.
    m_commit->setRollbackHandler([this] { resumeUnfinished(); });
    // Resolved transactions first, then the audit entries they leave without a transaction.
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("transactions", [this](net::Micros cutoff, std::size_t slice) {
        return m_store->pruneResolvedBefore(cutoff, slice);
    });
    m_retention->add("audit", [this](net::Micros cutoff, std::size_t slice) {
        return m_store->pruneAuditBefore(cutoff, slice);
    });
    m_retention->start();
    // The event stream continues where it stopped, replayable across the restart: a subscriber
    // that heard sequence n before it still takes n+1 as new (not as a duplicate).
    net::PublisherOptions events;
    events.policy = net::HwmPolicy::Lossless;
    events.replayCapacity = m_options.replayCapacity;
    events.firstSequence = m_store->lastEventSequence() + 1;
    events.security = context().security;
    // Staged inside the transaction that saves the change (save()), sent once it committed.
    events.persist = [this](const net::StoredEvent &event) { m_store->appendEvent(event); };
    // Replay is answered on this loop too, so the store is used from one thread only.
    events.history = [this](std::uint64_t from, std::size_t max) { return m_store->eventsFrom(from, max); };
    m_events = std::make_unique<net::Publisher>("supervisor", context().endpoints.endpoint("supervisor.events"),
                                                std::move(events));
    m_events->restore(m_store->recentEvents(m_options.replayCapacity));
    m_drone = makeClient("drone");
    m_thirdParty = makeClient("thirdparty");
    m_package = makeClient("package");
    m_delivery = makeClient("delivery");
    m_scheduler = makeClient("scheduler");
    m_server = makeServer();
    m_events->serveReplay(*m_server);
    m_server->handle<FailedTransaction>(
        "Report", net::Idempotency::NonIdempotent,
        [this](const net::CallContext &, const FailedTransaction &tx, net::Responder r) { onReport(tx, std::move(r)); },
        [](const FailedTransaction &tx) { return net::IdempotencySubject{{}, {}, tx.transaction_id()}; });
    for (auto [method, action] : {std::pair{"Approve", Action::Approve}, std::pair{"Reject", Action::Reject},
                                  std::pair{"Retry", Action::Retry}}) {
        m_server->handle<SupervisorDecision>(method, net::Idempotency::NonIdempotent,
                                             [this, action = action](const net::CallContext &, const SupervisorDecision &d,
                                                            net::Responder r) { onDecision(action, d, std::move(r)); },
                                             // One decision per user and transaction: a key reused by
                                             // another user or for another transaction decides anew. The
                                             // names are the credential's (a forged one only ever gets its
                                             // own refusal: the scope also holds the caller's CURVE key).
                                             [](const SupervisorDecision &d) {
                                                 return net::IdempotencySubject{
                                                     d.credential().role() + "/" + d.credential().user(), {},
                                                     d.transaction_id()};
                                             });
    }
    m_server->handle<TransactionListRequest>(
        "List", net::Idempotency::Idempotent,
        [this](const net::CallContext &, const TransactionListRequest &request, net::Responder r) {
            const std::size_t limit = request.limit() == 0 ? 100 : std::min<std::uint32_t>(request.limit(), 1000);
            TransactionList list;
            for (auto &tx : m_store->list(request.state(), limit))
                *list.add_transactions() = std::move(tx);
            list.set_total(m_store->count(request.state()));
            r.reply(list);
        });
    m_server->handle<TransactionIdRequest>(
        "Get", net::Idempotency::Idempotent,
        [this](const net::CallContext &, const TransactionIdRequest &request, net::Responder r) {
            if (request.transaction_id().empty())
                return r.fail(BAD_REQUEST, "transaction_id is required", "transaction_id");
            auto tx = m_store->get(request.transaction_id());
            if (!tx)
                return r.fail(NOT_FOUND, "no transaction " + request.transaction_id());
            r.reply(*tx);
        });
    m_server->handle<AuditRequest>("Audit", net::Idempotency::Idempotent,
                                   [this](const net::CallContext &, const AuditRequest &request, net::Responder r) {
                                       const std::size_t limit =
                                           request.limit() == 0 ? 200 : std::min<std::uint32_t>(request.limit(), 5000);
                                       AuditList list;
                                       for (auto &entry : m_store->auditLog(request.transaction_id(), limit))
                                           *list.add_entries() = std::move(entry);
                                       r.reply(list);
                                   });
    refreshAwaitingApproval();
    registerMetrics();
    resumeUnfinished();
}

void SupervisorService::resumeUnfinished()
{
    // Their calls are idempotent, so running one again is safe.
    for (const FailedTransaction &tx : m_store->unfinished()) {
        const std::string id = tx.transaction_id();
        loop().post([this, alive = m_alive, id] {
            if (*alive)
                advance(id);
        });
    }
}

void SupervisorService::onStop()
{
    m_retention.reset();
    if (m_alive)
        *m_alive = false;
    m_metricRegistrations.clear(); // first: no scrape may read a stopping service
    m_server.reset();
    m_drone.reset();
    m_thirdParty.reset();
    m_package.reset();
    m_delivery.reset();
    m_scheduler.reset();
    m_commit.reset(); // commits what the last turn wrote
    m_events.reset();
    m_store.reset();
    m_busy.clear();
}

void SupervisorService::save(FailedTransaction &tx)
{
    tx.set_updated_at_us(context().clock->now());
    if (tx.state() != TX_RETRIED)
        tx.set_state(summarize(tx));
    // The row, its event and a slice of pruning join this loop turn's group commit: an event
    // is stored (and heard) exactly when its change is, so no subscriber ever holds an event a
    // restart forgets; a change that throws is undone alone, with the event it staged.
    const std::size_t staged = m_events->stagedCount();
    try {
        m_commit->write([&] {
            m_store->save(tx);
            m_events->stage("transaction." + tx.transaction_id(), "TransactionUpdated", tx);
            // A few rows per save keep the log at replayCapacity without one long delete.
            m_store->pruneEvents(m_options.replayCapacity, kPruneSlice);
        });
    } catch (...) {
        m_events->discardStaged(staged); // nobody heard it, its number is free again
        throw;
    }
    if (staged == 0) // the first event of this group: sent, and the gauges read, once it is durable
        m_commit->afterCommit(
            [this] {
                m_events->releaseStaged();
                refreshAwaitingApproval();
            },
            [this](const SqliteError &) { m_events->discardStaged(); });
}

void SupervisorService::replyAfterCommit(net::Responder responder, const FailedTransaction &tx)
{
    auto shared = std::make_shared<net::Responder>(std::move(responder)); // std::function wants it copyable
    m_commit->afterCommit([shared, tx] { shared->reply(tx); },
                          [shared](const SqliteError &error) { shared->fail(TRANSIENT, error.what()); });
}

void SupervisorService::refreshAwaitingApproval()
{
    const auto [count, oldest] = m_store->countAndOldest(TX_AWAITING_APPROVAL);
    m_oldestAwaitingSince.store(count ? oldest : 0, std::memory_order_relaxed);
    m_awaitingApproval.store(count, std::memory_order_relaxed);
}

void SupervisorService::registerMetrics()
{
    using Type = net::MetricsRegistry::Type;
    auto &metrics = net::MetricsRegistry::global();
    m_metricRegistrations.push_back(metrics.addCallback(
        Type::Gauge, "supervisor_awaiting_approval", "supervisor",
        "Failed transactions whose compensation waits for a supervisor's approval.",
        [this] { return double(m_awaitingApproval.load(std::memory_order_relaxed)); }));
    // An age, not a timestamp: alert rules stay a plain threshold, and 0 means none waits.
    m_metricRegistrations.push_back(metrics.addCallback(
        Type::Gauge, "supervisor_oldest_awaiting_approval_age_seconds", "supervisor",
        "Seconds since the oldest transaction awaiting approval last changed (0 when none waits).",
        [this, clock = context().clock] {
            const net::Micros since = m_oldestAwaitingSince.load(std::memory_order_relaxed);
            return since == 0 ? 0.0 : double(std::max<net::Micros>(0, clock->now() - since)) / double(net::kSeconds);
        }));
}

void SupervisorService::onReport(const FailedTransaction &reported, net::Responder responder)
{
    if (reported.transaction_id().empty())
        return responder.fail(BAD_REQUEST, "transaction without an id", "transactionId");
    try {
        if (auto existing = m_store->get(reported.transaction_id()))
            return responder.reply(*existing); // the durable queue redelivers: once is enough
        FailedTransaction tx = reported;
        planCompensations(tx, context().clock->now());
        tx.set_state(TX_COMPENSATING);
        save(tx);
        replyAfterCommit(std::move(responder), tx);
        qCInfo(lcSupervisor).noquote() << "failed transaction" << QString::fromStdString(tx.transaction_id()) << "-"
                                       << QString::fromStdString(tx.error());
        advance(tx.transaction_id());
    } catch (const SqliteError &e) {
        responder.fail(TRANSIENT, e.what());
    }
}

void SupervisorService::advance(const std::string &transactionId)
{
    if (m_busy.count(transactionId))
        return;
    auto found = m_store->get(transactionId);
    if (!found)
        return;
    FailedTransaction &tx = *found;
    if (tx.state() == TX_RETRIED)
        return;
    for (int i = 0; i < tx.compensations_size(); ++i) {
        CompensationStep *c = tx.mutable_compensations(i);
        if (isTerminal(c->state()))
            continue;
        if (c->state() == COMP_AWAITING_APPROVAL || c->state() == COMP_ESCALATED)
            return save(tx); // a person decides; nothing after it runs before that
        if (c->requires_approval()) {
            c->set_state(COMP_AWAITING_APPROVAL);
            c->set_updated_at_us(context().clock->now());
            return save(tx);
        }
        if (c->step() == STEP_DRONE && c->reason().empty()) {
            // Cheap if the drone is still on its pad; costly once it has taken off.
            m_busy.insert(transactionId);
            DroneIdRequest request;
            request.set_drone_id(c->resource_id());
            net::CallOptions options;
            options.idempotent = true;
            m_drone->call<DroneTelemetry>("Get", request, options,
                                          [this, alive = m_alive, transactionId, i](RpcResult<DroneTelemetry> &&r) {
                                              if (!*alive)
                                                  return;
                                              m_busy.erase(transactionId);
                                              auto tx = m_store->get(transactionId);
                                              if (!tx)
                                                  return;
                                              CompensationStep *c = tx->mutable_compensations(i);
                                              if (!r.ok()) {
                                                  // Unknown is not cheap: the drone may be flying, so a
                                                  // person decides instead of an automatic cancel.
                                                  c->set_requires_approval(true);
                                                  c->set_reason("drone " + c->resource_id()
                                                                + " state unknown: " + r.status.toString());
                                              } else if (r.value.delivery_id() == tx->delivery_id()
                                                         && (r.value.state() == FLYING_TO_PICKUP
                                                             || r.value.state() == FLYING_TO_DROPOFF)) {
                                                  c->set_requires_approval(true);
                                                  c->set_reason("drone " + c->resource_id() + " is airborne");
                                              } else {
                                                  c->set_reason("drone on the ground");
                                              }
                                              save(*tx);
                                              advance(transactionId);
                                          });
            return;
        }
        return runCompensation(tx, i);
    }
    save(tx); // everything terminal: compensated or rejected
}

void SupervisorService::runCompensation(FailedTransaction &tx, int index)
{
    CompensationStep *c = tx.mutable_compensations(index);
    c->set_state(COMP_RUNNING);
    c->set_attempts(c->attempts() + 1);
    c->set_updated_at_us(context().clock->now());
    save(tx);
    const std::string id = tx.transaction_id();
    m_busy.insert(id);
    net::CallOptions options;
    options.idempotent = true;
    options.idempotencyKey = "compensate/" + id + "/" + std::to_string(int(c->step()));
    auto done = [this, alive = m_alive, id, index](const net::RpcReply &reply) {
        if (*alive)
            compensationFinished(id, index, reply.status);
    };
    switch (c->step()) {
    case STEP_DELIVERY: {
        DeliveryIdRequest request;
        request.set_delivery_id(tx.delivery_id());
        m_delivery->call("Cancel", request, options, done);
        break;
    }
    case STEP_DRONE: {
        DroneCancelRequest request;
        request.set_delivery_id(tx.delivery_id());
        m_drone->call("Cancel", request, options, done);
        break;
    }
    case STEP_THIRD_PARTY: {
        ThirdPartyCancelRequest request;
        request.set_delivery_id(tx.delivery_id());
        m_thirdParty->call("Cancel", request, options, done);
        break;
    }
    case STEP_PACKAGE: {
        PackageIdRequest request;
        request.set_package_id(c->resource_id());
        m_package->call("Delete", request, options, done);
        break;
    }
    default: compensationFinished(id, index, {}); break;
    }
}

void SupervisorService::compensationFinished(const std::string &transactionId, int index, const net::RpcStatus &status)
{
    m_busy.erase(transactionId);
    auto tx = m_store->get(transactionId);
    if (!tx || index >= tx->compensations_size())
        return;
    CompensationStep *c = tx->mutable_compensations(index);
    c->set_updated_at_us(context().clock->now());
    // Nothing there to undo counts as undone.
    if (status.ok() || status.code == NOT_FOUND) {
        c->set_state(COMP_DONE);
        c->clear_last_error();
        save(*tx);
        return advance(transactionId);
    }
    c->set_last_error(status.toString());
    if (int(c->attempts()) >= m_options.maxCompensationAttempts) {
        c->set_state(COMP_ESCALATED);
        qCWarning(lcSupervisor).noquote() << "compensation escalated:" << QString::fromStdString(transactionId)
                                          << QString::fromStdString(status.toString());
        return save(*tx);
    }
    c->set_state(COMP_FAILED);
    save(*tx);
    const net::Micros backoff = m_options.retryBackoff << std::min<std::uint32_t>(c->attempts() - 1, 6);
    m_busy.insert(transactionId); // hold other triggers until the retry runs
    loop().after(backoff, [this, alive = m_alive, transactionId, index] {
        if (!*alive)
            return;
        m_busy.erase(transactionId);
        auto tx = m_store->get(transactionId);
        if (tx && index < tx->compensations_size() && tx->compensations(index).state() == COMP_FAILED)
            runCompensation(*tx, index);
    });
}

void SupervisorService::audit(const SupervisorDecision &decision, const identity::VerifiedIdentity &who,
                              const char *action, const std::string &outcome)
{
    AuditEntry entry;
    entry.set_at_us(context().clock->now());
    entry.set_user(who.user);
    entry.set_role(who.role);
    entry.set_action(action);
    entry.set_transaction_id(decision.transaction_id());
    entry.set_comment(decision.comment());
    entry.set_outcome(outcome);
    m_store->audit(entry);
}

void SupervisorService::onDecision(Action action, const SupervisorDecision &decision, net::Responder responder)
{
    const char *name = action == Action::Approve ? "approve" : action == Action::Reject ? "reject" : "retry";
    try {
        // Who decides is what the signed credential says, checked here whoever the caller is:
        // the gateway, a console or any process holding an admitted mesh key.
        const identity::CredentialCheck check = context().credentials->verify(decision.credential(), context().clock->now());
        if (!check) {
            // Audited under no name: an unverified one is only a claim (kept in the outcome).
            audit(decision, identity::VerifiedIdentity{"(unauthenticated)", ""}, name,
                  "denied: " + check.refusal + " (claimed " + decision.credential().role() + "/"
                      + decision.credential().user() + ")");
            return responder.fail(UNAUTHENTICATED, std::string("a signed, unexpired credential is needed to ") + name,
                                  "credential");
        }
        const identity::VerifiedIdentity &who = *check.identity;
        if (!identity::roleAllows(who.role, identity::Capability::Supervise)) {
            audit(decision, who, name, "denied: role " + who.role);
            return responder.fail(PERMISSION_DENIED, std::string("only a supervisor may ") + name, "role");
        }
        auto tx = m_store->get(decision.transaction_id());
        if (!tx)
            return responder.fail(NOT_FOUND, "no failed transaction " + decision.transaction_id(), "transactionId");
        const net::Micros now = context().clock->now();
        int changed = 0;
        if (action == Action::Retry) {
            for (auto &c : *tx->mutable_compensations())
                if (c.state() == COMP_ESCALATED || c.state() == COMP_FAILED) {
                    c.set_state(COMP_PENDING);
                    c.set_attempts(0);
                    c.set_updated_at_us(now);
                    ++changed;
                }
            if (changed == 0) {
                if (tx->state() != TX_COMPENSATED && tx->state() != TX_REJECTED)
                    return responder.fail(CONFLICT, "compensation is still in progress", "state");
                // Compensated: the request itself goes through the workflow again.
                tx->set_state(TX_RETRIED);
                net::CallOptions options;
                options.idempotent = true;
                options.idempotencyKey = "retry/" + tx->transaction_id();
                m_scheduler->call("Retry", tx->request(), options, [](const net::RpcReply &) {});
            }
        } else {
            for (auto &c : *tx->mutable_compensations())
                if (c.state() == COMP_AWAITING_APPROVAL || (action == Action::Reject && c.state() == COMP_ESCALATED)) {
                    if (action == Action::Approve) {
                        c.set_requires_approval(false);
                        c.set_state(COMP_PENDING);
                    } else {
                        c.set_state(COMP_REJECTED);
                    }
                    c.set_updated_at_us(now);
                    ++changed;
                }
            if (changed == 0) {
                audit(decision, who, name, "nothing awaiting a decision");
                return responder.fail(CONFLICT, "nothing is awaiting a decision", "state");
            }
        }
        save(*tx);
        audit(decision, who, name, action == Action::Retry && changed == 0 ? "resubmitted" : "ok");
        replyAfterCommit(std::move(responder), *tx);
        advance(tx->transaction_id());
    } catch (const SqliteError &e) {
        responder.fail(TRANSIENT, e.what());
    }
}

} // namespace dd::backend
