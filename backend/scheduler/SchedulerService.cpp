// SchedulerService: stream intake, step execution, checkpoints, failure reporting.
#include "backend/scheduler/SchedulerService.h"

#include "backend/common/Geo.h"
#include "services.pb.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcScheduler, "dd.backend.scheduler")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::RpcResult;

SchedulerService::SchedulerService(const ServiceContext &context, SchedulerOptions options)
    : BackendService("scheduler", context), m_options(options)
{
}

SchedulerService::~SchedulerService()
{
    stop();
}

void SchedulerService::onStart()
{
    m_alive = std::make_shared<bool>(true);
    m_store = std::make_unique<WorkflowStore>(context().storePath("scheduler"));
    m_account = makeClient("account");
    m_package = makeClient("package");
    m_drone = makeClient("drone");
    m_thirdParty = makeClient("thirdparty");
    m_delivery = makeClient("delivery");
    m_supervisor = makeClient("supervisor");
    m_server = makeServer();
    m_server->handle<StreamBatch>("Submit", net::Idempotency::Idempotent,
                                  [this](const net::CallContext &, const StreamBatch &batch, net::Responder r) {
                                      submit(batch, std::move(r));
                                  });
    m_server->handle<DeliveryRequest>("Retry", net::Idempotency::NonIdempotent,
                                      [this](const net::CallContext &, const DeliveryRequest &request,
                                             net::Responder r) { retry(request, std::move(r)); });
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
    if (m_alive)
        *m_alive = false;
    if (m_store)
        flush();
    m_server.reset();
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
    const DeliveryRequest &request = w.request;
    auto guard = [this, alive = m_alive, id](auto &&body) {
        return [this, alive, id, body = std::forward<decltype(body)>(body)](auto &&result) mutable {
            if (!*alive)
                return;
            auto found = m_running.find(id);
            if (found != m_running.end())
                body(found->second, std::move(result));
        };
    };
    switch (w.step) {
    case STEP_ACCOUNT: {
        AccountCheckRequest check;
        check.set_owner_id(request.owner_id());
        m_account->call<Account>("Check", check, options, guard([this](Workflow &w, RpcResult<Account> &&r) {
            if (r.status.code == NOT_FOUND)
                fail(w, "account " + w.request.owner_id() + " does not exist");
            else if (!r.ok())
                stepFailed(w, r.status, "account check");
            else if (!r.value.active())
                fail(w, "account " + w.request.owner_id() + " is suspended: " + r.value.suspension_reason());
            else
                stepSucceeded(w);
        }));
        return;
    }
    case STEP_PACKAGE: {
        PackageCreateRequest create;
        *create.mutable_package() = request.package_info();
        if (create.package().package_id().empty())
            create.mutable_package()->set_package_id("pkg-" + request.delivery_id());
        create.set_delivery_id(request.delivery_id());
        m_package->call<Package>("Create", create, options, guard([this](Workflow &w, RpcResult<Package> &&r) {
            if (!r.ok())
                return stepFailed(w, r.status, "package create");
            w.packageId = r.value.info().package_id();
            stepSucceeded(w);
        }));
        return;
    }
    case STEP_DRONE: {
        if (request.operation() == CANCEL) {
            DroneCancelRequest cancel;
            cancel.set_delivery_id(request.delivery_id());
            m_drone->call<DroneCancelReply>("Cancel", cancel, options,
                                            guard([this](Workflow &w, RpcResult<DroneCancelReply> &&r) {
                                                r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "drone cancel");
                                            }));
            return;
        }
        DroneScheduleRequest schedule;
        schedule.set_delivery_id(request.delivery_id());
        *schedule.mutable_pickup() = geo::parseLocation(request.pickup_location());
        *schedule.mutable_dropoff() = geo::parseLocation(request.dropoff_location());
        schedule.set_weight(request.package_info().weight());
        schedule.set_size(request.package_info().size());
        schedule.set_expedited(request.expedited());
        m_drone->call<DroneScheduleReply>(
            "Schedule", schedule, options, guard([this](Workflow &w, RpcResult<DroneScheduleReply> &&r) {
                if (r.status.code == CONFLICT) {
                    // No drone of ours fits: a third-party carrier takes it (DESIGN §2 step 3).
                    w.step = STEP_THIRD_PARTY;
                    w.updatedAt = context().clock->now();
                    m_store->checkpoint(w);
                    const std::string id = w.id;
                    afterCommit([this, id] { runStep(id); });
                    scheduleFlush();
                    return;
                }
                if (!r.ok())
                    return stepFailed(w, r.status, "drone schedule");
                w.droneId = r.value.drone_id();
                stepSucceeded(w);
            }));
        return;
    }
    case STEP_THIRD_PARTY: {
        if (request.operation() == CANCEL) {
            ThirdPartyCancelRequest cancel;
            cancel.set_delivery_id(request.delivery_id());
            m_thirdParty->call<ThirdPartyCancelReply>(
                "Cancel", cancel, options, guard([this](Workflow &w, RpcResult<ThirdPartyCancelReply> &&r) {
                    r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "third-party cancel");
                }));
            return;
        }
        ThirdPartyScheduleRequest schedule;
        schedule.set_delivery_id(request.delivery_id());
        *schedule.mutable_pickup() = geo::parseLocation(request.pickup_location());
        *schedule.mutable_dropoff() = geo::parseLocation(request.dropoff_location());
        schedule.set_weight(request.package_info().weight());
        m_thirdParty->call<ThirdPartyBooking>("Schedule", schedule, options,
                                              guard([this](Workflow &w, RpcResult<ThirdPartyBooking> &&r) {
                                                  if (!r.ok())
                                                      return stepFailed(w, r.status, "third-party schedule");
                                                  w.bookingId = r.value.booking_id();
                                                  stepSucceeded(w);
                                              }));
        return;
    }
    case STEP_DELIVERY: {
        if (request.operation() == CANCEL) {
            DeliveryIdRequest cancel;
            cancel.set_delivery_id(request.delivery_id());
            m_delivery->call<Delivery>("Cancel", cancel, options, guard([this](Workflow &w, RpcResult<Delivery> &&r) {
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
        if (request.operation() == RESCHEDULE) {
            DeliveryRescheduleRequest reschedule;
            reschedule.set_delivery_id(request.delivery_id());
            reschedule.set_pickup_location(request.pickup_location());
            reschedule.set_dropoff_location(request.dropoff_location());
            reschedule.set_pickup_time(request.pickup_time());
            reschedule.set_deadline(request.deadline());
            if (!request.pickup_location().empty())
                *reschedule.mutable_pickup() = geo::parseLocation(request.pickup_location());
            if (!request.dropoff_location().empty())
                *reschedule.mutable_dropoff() = geo::parseLocation(request.dropoff_location());
            m_delivery->call<Delivery>("Reschedule", reschedule, options,
                                       guard([this](Workflow &w, RpcResult<Delivery> &&r) {
                                           if (r.status.code == NOT_FOUND || r.status.code == CONFLICT)
                                               return fail(w, "cannot reschedule delivery " + w.request.delivery_id()
                                                                  + ": " + r.status.message);
                                           r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "delivery reschedule");
                                       }));
            return;
        }
        Delivery delivery;
        delivery.set_delivery_id(request.delivery_id());
        delivery.set_owner_id(request.owner_id());
        delivery.set_pickup_location(request.pickup_location());
        delivery.set_dropoff_location(request.dropoff_location());
        *delivery.mutable_pickup() = geo::parseLocation(request.pickup_location());
        *delivery.mutable_dropoff() = geo::parseLocation(request.dropoff_location());
        delivery.set_pickup_time(request.pickup_time());
        delivery.set_deadline(request.deadline());
        delivery.set_expedited(request.expedited());
        delivery.set_confirmation_required(request.confirmation_required());
        delivery.set_package_id(w.packageId);
        *delivery.mutable_package_info() = request.package_info();
        delivery.set_drone_id(w.droneId);
        delivery.set_third_party_booking(w.bookingId);
        delivery.set_trace_id(options.parent.traceIdHex());
        m_delivery->call<Delivery>("Create", delivery, options, guard([this](Workflow &w, RpcResult<Delivery> &&r) {
            r.ok() ? stepSucceeded(w) : stepFailed(w, r.status, "delivery create");
        }));
        return;
    }
    default:
        // DONE or unknown (a newer build's step): nothing to run.
        w.state = Workflow::State::Done;
        m_store->checkpoint(w);
        scheduleFlush();
        return;
    }
}

void SchedulerService::stepSucceeded(Workflow &w)
{
    w.step = w.nextStep();
    w.transientRounds = 0;
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
    if (status.transient() && w.transientRounds < m_options.transientRounds) {
        // The call's own retries are spent; the outage may still pass: try the step again later.
        const net::Micros backoff = m_options.stepBackoff << w.transientRounds;
        ++w.transientRounds;
        const std::string id = w.id;
        loop().after(backoff, [this, alive = m_alive, id] {
            if (*alive)
                runStep(id);
        });
        return;
    }
    fail(w, what + " failed: " + status.toString());
}

void SchedulerService::fail(Workflow &w, const std::string &error)
{
    w.state = Workflow::State::Failed;
    w.error = error;
    w.updatedAt = context().clock->now();
    m_store->checkpoint(w);
    FailedTransaction tx = w.toFailedTransaction(w.updatedAt);
    auto trace = m_traces.find(w.id);
    if (trace != m_traces.end())
        tx.set_trace_id(trace->second.traceIdHex());
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
    net::CallOptions options;
    options.idempotent = true;
    options.idempotencyKey = "report/" + tx.transaction_id();
    m_supervisor->call<FailedTransaction>(
        "Report", tx, options, [this, alive = m_alive, tx](RpcResult<FailedTransaction> &&r) {
            if (!*alive)
                return;
            if (r.ok()) {
                m_store->removeFailed(tx.transaction_id());
                scheduleFlush();
                return;
            }
            // Durable queue: keep it and try again; the Supervisor de-duplicates by id.
            loop().after(m_options.reportRetry, [this, alive = m_alive, tx] {
                if (*alive)
                    report(tx);
            });
        });
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
