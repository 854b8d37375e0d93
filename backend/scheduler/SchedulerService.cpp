// SchedulerService: stream intake, one handler per workflow step, checkpoints, failure reporting.
#include "backend/scheduler/SchedulerService.h"

#include "backend/scheduler/StepRequests.h"
#include "services.pb.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcScheduler, "dd.backend.scheduler")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::RpcResult;

SchedulerService::SchedulerService(const ServiceContext &context, SchedulerOptions options)
    : BackendService("scheduler", context), m_options(options)
{
    m_options.retry.window = context.workflowRetryWindow;
}

SchedulerService::~SchedulerService()
{
    stop();
}

void SchedulerService::onStart()
{
    m_alive = std::make_shared<bool>(true);
    m_store = std::make_unique<WorkflowStore>(context().storePath("scheduler"));
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("workflows", [this](net::Micros cutoff, std::size_t slice) {
        return m_store->pruneFinishedBefore(cutoff, slice);
    });
    m_retention->start();
    m_account = makeClient("account");
    m_package = makeClient("package");
    m_drone = makeClient("drone");
    m_thirdParty = makeClient("thirdparty");
    m_delivery = makeClient("delivery");
    m_supervisor = makeClient("supervisor");
    m_reporter = std::make_unique<FailureReporter>(loop(), *m_delivery, *m_supervisor, m_options.reportRetry,
                                                   [this](const std::string &transactionId) {
                                                       m_store->removeFailed(transactionId);
                                                       scheduleFlush();
                                                   });
    m_server = makeServer();
    m_server->handle<StreamBatch>("Submit", net::Idempotency::Idempotent,
                                  [this](const net::CallContext &, const StreamBatch &batch, net::Responder r) {
                                      submit(batch, std::move(r));
                                  });
    m_server->handle<DeliveryRequest>("Retry", net::Idempotency::NonIdempotent,
                                      [this](const net::CallContext &, const DeliveryRequest &request,
                                             net::Responder r) { retry(request, std::move(r)); },
                                      [](const DeliveryRequest &request) {
                                          return net::IdempotencySubject{request.requested_by(), {},
                                                                         request.delivery_id()};
                                      });
    m_server->handle<WorkflowLookup>("Find", net::Idempotency::Idempotent,
                                     [this](const net::CallContext &, const WorkflowLookup &lookup,
                                            net::Responder r) { find(lookup, std::move(r)); });
    // Resume what a previous run left in flight, then redeliver unreported failures.
    for (Workflow &workflow : m_store->running()) {
        const std::string id = workflow.id;
        m_running.emplace(id, std::move(workflow));
        m_counters.resumed.fetch_add(1);
        loop().post([this, alive = m_alive, id] {
            if (*alive)
                runStep(id);
        });
    }
    m_runningCount = m_running.size();
    for (const FailedTransaction &tx : m_store->failedOutbox())
        report(tx);
    if (!m_running.empty())
        qCInfo(lcScheduler) << "resuming" << m_running.size() << "workflows";
}

void SchedulerService::onStop()
{
    m_retention.reset();
    if (m_alive)
        *m_alive = false;
    if (m_store)
        flush();
    m_server.reset();
    m_reporter.reset();
    m_account.reset();
    m_package.reset();
    m_drone.reset();
    m_thirdParty.reset();
    m_delivery.reset();
    m_supervisor.reset();
    m_running.clear();
    m_traces.clear();
    m_afterCommit.clear();
    m_store.reset();
}

std::uint32_t SchedulerService::credit() const
{
    return m_running.size() >= m_options.maxRunning ? 0 : std::uint32_t(m_options.maxRunning - m_running.size());
}

bool SchedulerService::admit(Workflow workflow, std::uint64_t streamSequence)
{
    if (m_running.count(workflow.id) || m_store->exists(workflow.id)) {
        m_counters.duplicates.fetch_add(1);
        return false;
    }
    workflow.step = Workflow::firstStep(workflow.request.operation());
    workflow.updatedAt = context().clock->now();
    m_store->insert(workflow, streamSequence);
    const std::string id = workflow.id;
    m_running.emplace(id, std::move(workflow));
    m_runningCount = m_running.size();
    m_counters.accepted.fetch_add(1);
    afterCommit([this, id] { runStep(id); });
    return true;
}

void SchedulerService::submit(const StreamBatch &batch, net::Responder responder)
{
    for (const DeliveryRequest &request : batch.requests()) {
        // At-least-once delivery from Ingestion: anything at or below the acked mark is a redelivery.
        if (request.stream_sequence() != 0 && request.stream_sequence() <= m_store->streamAckedThrough()) {
            m_counters.duplicates.fetch_add(1);
            continue;
        }
        Workflow workflow;
        workflow.request = request;
        workflow.id = Workflow::makeId(request);
        admit(std::move(workflow), request.stream_sequence());
    }
    // The ack goes out only once the workflows are durable here.
    auto shared = std::make_shared<net::Responder>(std::move(responder));
    afterCommit([this, shared] {
        StreamAck ack;
        ack.set_acked_through(m_store->streamAckedThrough());
        ack.set_credit(credit());
        shared->reply(ack);
    });
    scheduleFlush();
}

void SchedulerService::retry(const DeliveryRequest &request, net::Responder responder)
{
    Workflow workflow;
    workflow.request = request;
    workflow.request.set_stream_sequence(0);
    workflow.id = Workflow::makeId(request) + "-retry-" + std::to_string(context().clock->now());
    admit(std::move(workflow), 0);
    auto shared = std::make_shared<net::Responder>(std::move(responder));
    afterCommit([this, shared] {
        StreamAck ack;
        ack.set_credit(credit());
        shared->reply(ack);
    });
    scheduleFlush();
}

void SchedulerService::find(const WorkflowLookup &lookup, net::Responder responder)
{
    if (lookup.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    // The newest running workflow of the delivery, else the newest checkpointed one.
    const Workflow *found = nullptr;
    for (const auto &[id, w] : m_running)
        if (w.request.delivery_id() == lookup.delivery_id() && (!found || w.updatedAt > found->updatedAt))
            found = &w;
    std::optional<Workflow> stored;
    if (!found) {
        try {
            stored = m_store->latestFor(lookup.delivery_id());
        } catch (const SqliteError &error) {
            return responder.fail(TRANSIENT, std::string("scheduler store: ") + error.what());
        }
        if (!stored)
            return responder.fail(NOT_FOUND, "no workflow for delivery " + lookup.delivery_id());
        found = &*stored;
    }
    WorkflowStatus status;
    status.set_workflow_id(found->id);
    *status.mutable_request() = found->request;
    status.set_step(found->step);
    status.set_waiting(found->waiting);
    status.set_next_attempt_at_us(found->nextAttemptAt);
    status.set_failed(found->state == Workflow::State::Failed);
    status.set_error(found->error);
    responder.reply(status);
}

net::CallOptions SchedulerService::callOptions(const Workflow &workflow) const
{
    net::CallOptions options;
    // Every step carries its idempotency key, so retrying any of them is safe.
    options.idempotent = true;
    options.idempotencyKey = workflow.idempotencyKey(workflow.step);
    auto trace = m_traces.find(workflow.id);
    if (trace != m_traces.end())
        options.parent = trace->second;
    return options;
}

std::string SchedulerService::traceOf(const std::string &id) const
{
    auto trace = m_traces.find(id);
    return trace == m_traces.end() ? std::string() : trace->second.traceIdHex();
}

template <typename Reply>
std::function<void(RpcResult<Reply> &&)>
SchedulerService::guarded(const std::string &id, std::function<void(Workflow &, RpcResult<Reply> &&)> body)
{
    return [this, alive = m_alive, id, body = std::move(body)](RpcResult<Reply> &&result) {
        if (!*alive)
            return;
        auto found = m_running.find(id);
        if (found != m_running.end())
            body(found->second, std::move(result));
    };
}

void SchedulerService::runStep(const std::string &id)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    Workflow &w = it->second;
    if (!m_traces.count(id)) {
        net::TraceContext trace{w.request.trace_id_hi(), w.request.trace_id_lo(), w.request.parent_span_id(), 1};
        m_traces[id] = trace.valid() ? trace.child(net::Random::threadLocal())
                                     : net::TraceContext::newRoot(net::Random::threadLocal());
    }
    const net::CallOptions options = callOptions(w);
    switch (w.step) {
    case STEP_REGISTER: return runRegister(w, options);
    case STEP_ACCOUNT: return runAccount(w, options);
    case STEP_PACKAGE: return runPackage(w, options);
    case STEP_DRONE: return runDrone(w, options);
    case STEP_THIRD_PARTY: return runThirdParty(w, options);
    case STEP_DELIVERY: return runDelivery(w, options);
    default:
        // DONE or unknown (a newer build's step): nothing to run.
        w.state = Workflow::State::Done;
        m_store->checkpoint(w);
        scheduleFlush();
        return;
    }
}

void SchedulerService::runRegister(Workflow &w, const net::CallOptions &options)
{
    m_delivery->call<Delivery>("Register", steps::registration(w, options.parent.traceIdHex()), options,
                               guarded<Delivery>(w.id, [this](Workflow &w, RpcResult<Delivery> &&r) {
                                   r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "delivery register");
                               }));
}

void SchedulerService::runAccount(Workflow &w, const net::CallOptions &options)
{
    AccountCheckRequest check;
    check.set_owner_id(w.request.owner_id());
    m_account->call<Account>("Check", check, options, guarded<Account>(w.id, [this](Workflow &w, RpcResult<Account> &&r) {
        if (r.status.code == NOT_FOUND)
            fail(w, "account " + w.request.owner_id() + " does not exist");
        else if (!r.ok())
            stepFailed(w, r.status, "account check");
        else if (!r.value.active())
            fail(w, "account " + w.request.owner_id() + " is suspended: " + r.value.suspension_reason());
        else
            stepSucceeded(w);
    }));
}

void SchedulerService::runPackage(Workflow &w, const net::CallOptions &options)
{
    m_package->call<Package>("Create", steps::packageCreate(w), options,
                             guarded<Package>(w.id, [this](Workflow &w, RpcResult<Package> &&r) {
                                 if (!r.ok())
                                     return stepFailed(w, r.status, "package create");
                                 w.packageId = r.value.info().package_id();
                                 stepSucceeded(w);
                             }));
}

void SchedulerService::runDrone(Workflow &w, const net::CallOptions &options)
{
    if (w.request.operation() == CANCEL) {
        DroneCancelRequest cancel;
        cancel.set_delivery_id(w.request.delivery_id());
        m_drone->call<DroneCancelReply>("Cancel", cancel, options,
                                        guarded<DroneCancelReply>(w.id, [this](Workflow &w, RpcResult<DroneCancelReply> &&r) {
                                            r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "drone cancel");
                                        }));
        return;
    }
    m_drone->call<DroneScheduleReply>(
        "Schedule", steps::droneSchedule(w), options,
        guarded<DroneScheduleReply>(w.id, [this](Workflow &w, RpcResult<DroneScheduleReply> &&r) {
            if (r.status.code == CONFLICT) // no drone of ours fits: a third-party carrier takes it (DESIGN §2 step 3)
                return switchStep(w, STEP_THIRD_PARTY);
            if (!r.ok())
                return stepFailed(w, r.status, "drone schedule");
            w.droneId = r.value.drone_id();
            w.pickupEta = r.value.pickup_eta_us();
            w.dropoffEta = r.value.dropoff_eta_us();
            stepSucceeded(w);
        }));
}

void SchedulerService::runThirdParty(Workflow &w, const net::CallOptions &options)
{
    if (w.request.operation() == CANCEL) {
        ThirdPartyCancelRequest cancel;
        cancel.set_delivery_id(w.request.delivery_id());
        m_thirdParty->call<ThirdPartyCancelReply>(
            "Cancel", cancel, options,
            guarded<ThirdPartyCancelReply>(w.id, [this](Workflow &w, RpcResult<ThirdPartyCancelReply> &&r) {
                r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "third-party cancel");
            }));
        return;
    }
    m_thirdParty->call<ThirdPartyBooking>("Schedule", steps::thirdPartySchedule(w), options,
                                          guarded<ThirdPartyBooking>(w.id, [this](Workflow &w, RpcResult<ThirdPartyBooking> &&r) {
                                              if (!r.ok())
                                                  return stepFailed(w, r.status, "third-party schedule");
                                              w.bookingId = r.value.booking_id();
                                              stepSucceeded(w);
                                          }));
}

void SchedulerService::runDelivery(Workflow &w, const net::CallOptions &options)
{
    const std::string &deliveryId = w.request.delivery_id();
    if (w.request.operation() == CANCEL) {
        DeliveryIdRequest cancel;
        cancel.set_delivery_id(deliveryId);
        m_delivery->call<Delivery>("Cancel", cancel, options, guarded<Delivery>(w.id, [this](Workflow &w, RpcResult<Delivery> &&r) {
            if (r.status.code == NOT_FOUND || r.status.code == CONFLICT)
                return fail(w, "cannot cancel delivery " + w.request.delivery_id() + ": " + r.status.message);
            if (!r.ok())
                return stepFailed(w, r.status, "delivery cancel");
            w.droneId = r.value.drone_id();
            w.bookingId = r.value.third_party_booking();
            stepSucceeded(w);
        }));
        return;
    }
    if (w.request.operation() == RESCHEDULE) {
        m_delivery->call<Delivery>("Reschedule", steps::reschedule(w), options,
                                   guarded<Delivery>(w.id, [this](Workflow &w, RpcResult<Delivery> &&r) {
                                       if (r.status.code == NOT_FOUND || r.status.code == CONFLICT)
                                           return fail(w, "cannot reschedule delivery " + w.request.delivery_id() + ": "
                                                              + r.status.message);
                                       r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "delivery reschedule");
                                   }));
        return;
    }
    m_delivery->call<Delivery>("Create", steps::creation(w, options.parent.traceIdHex()), options,
                               guarded<Delivery>(w.id, [this](Workflow &w, RpcResult<Delivery> &&r) {
                                   if (r.status.code == CONFLICT)
                                       return fail(w, "delivery create failed: " + r.status.message);
                                   r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "delivery create");
                               }));
}

void SchedulerService::switchStep(Workflow &w, WorkflowStep step)
{
    w.step = step;
    TransientRetry::reset(w);
    w.updatedAt = context().clock->now();
    m_store->checkpoint(w);
    const std::string id = w.id;
    afterCommit([this, id] { runStep(id); });
    scheduleFlush();
}

void SchedulerService::stepSucceeded(Workflow &w)
{
    w.step = w.nextStep();
    TransientRetry::reset(w);
    w.updatedAt = context().clock->now();
    const bool done = w.step == STEP_DONE;
    if (done)
        w.state = Workflow::State::Done;
    m_store->checkpoint(w);
    const std::string id = w.id;
    afterCommit([this, id, done] {
        if (!done)
            return runStep(id);
        m_running.erase(id);
        m_traces.erase(id);
        m_runningCount = m_running.size();
        m_counters.completed.fetch_add(1);
    });
    scheduleFlush();
}

void SchedulerService::stepFailed(Workflow &w, const net::RpcStatus &status, const std::string &what)
{
    if (status.transient()) {
        // The call's own retries are spent; the outage may still pass: the step waits and runs again.
        if (const auto delay = m_options.retry.next(w, context().clock->now())) {
            w.waiting = what + " failed: " + status.toString() + "; retrying";
            m_counters.waits.fetch_add(1);
            const std::string id = w.id;
            loop().after(*delay, [this, alive = m_alive, id] {
                if (*alive)
                    runStep(id);
            });
            return;
        }
        return fail(w, what + " failed: " + status.toString() + " (still failing after the retry window)");
    }
    fail(w, what + " failed: " + status.toString());
}

void SchedulerService::fail(Workflow &w, const std::string &error)
{
    w.state = Workflow::State::Failed;
    w.error = error;
    w.waiting.clear();
    w.updatedAt = context().clock->now();
    m_store->checkpoint(w);
    FailedTransaction tx = w.toFailedTransaction(w.updatedAt);
    tx.set_trace_id(traceOf(w.id));
    m_store->enqueueFailed(tx);
    const std::string id = w.id;
    qCInfo(lcScheduler).noquote() << "workflow" << QString::fromStdString(id) << "failed:" << QString::fromStdString(error);
    afterCommit([this, id, tx] {
        m_running.erase(id);
        m_traces.erase(id);
        m_runningCount = m_running.size();
        m_counters.failed.fetch_add(1);
        report(tx);
    });
    scheduleFlush();
}

void SchedulerService::report(const FailedTransaction &tx)
{
    m_reporter->report(tx);
}

void SchedulerService::afterCommit(std::function<void()> action)
{
    m_afterCommit.push_back(std::move(action));
}

void SchedulerService::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // Deferred to the end of this loop turn: everything queued meanwhile shares one commit.
    loop().post([this, alive = m_alive] {
        if (*alive)
            flush();
    });
}

void SchedulerService::flush()
{
    m_flushScheduled = false;
    try {
        m_store->flush();
    } catch (const SqliteError &e) {
        qCWarning(lcScheduler) << "checkpoint failed, will retry:" << e.what();
        loop().after(100 * net::kMillis, [this, alive = m_alive] {
            if (*alive)
                scheduleFlush();
        });
        return;
    }
    std::vector<std::function<void()>> actions;
    actions.swap(m_afterCommit);
    for (auto &action : actions)
        action();
}

} // namespace dd::backend
