// IngestionService: group commit of accepted requests into the outbox, then the stream to the Scheduler.
#include "backend/ingestion/IngestionService.h"
#include "backend/ingestion/StageCheck.h"

#include "net/telemetry/MetricsRegistry.h"
#include "net/telemetry/TraceContext.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcIngestion, "dd.backend.ingestion")

namespace dd::backend {

using dronedelivery::v1::DeliveryRequest;
using dronedelivery::v1::RequestOperation;

namespace {
constexpr net::Micros kStalledAfter = 10 * net::kSeconds;
} // namespace

IngestionService::IngestionService(const ServiceContext &context) : IngestionService(context, IngestionOptions{}) {}

IngestionService::IngestionService(const ServiceContext &context, IngestionOptions options)
    : BackendService("ingestion", context), m_options(std::move(options))
{
    if (context.strictPlaces)
        m_options.policy.places = domain::PlacePolicy::Strict;
    auto &metrics = net::MetricsRegistry::global();
    m_acceptedTotal = &metrics.counter("ingestion_accepted_total", "ingestion");
    m_replayedTotal = &metrics.counter("ingestion_replayed_total", "ingestion");
    m_rejectedTotal = &metrics.counter("ingestion_rejected_full_total", "ingestion");
    m_ackedTotal = &metrics.counter("ingestion_acked_total", "ingestion");
}

IngestionService::~IngestionService()
{
    stop();
}

void IngestionService::onStart()
{
    m_outbox = std::make_unique<Outbox>(context().storePath("ingestion"), m_options.maxBacklog);
    m_backlog = m_outbox->backlog();
    m_commits = m_outbox->commits();
    m_lastAckAt = context().clock->now();

    net::ClientOptions clientOptions = context().clientOptions();
    clientOptions.deadline = m_options.stream.deadline;
    m_scheduler = makeClient("scheduler", clientOptions);
    // Only asked whether a cancel or reschedule may go ahead; a table without it (an old
    // deployment file) leaves the decision to the workflow.
    if (!context().endpoints.instances("delivery").empty())
        m_delivery = makeClient("delivery");
    m_streamer = std::make_unique<OutboxStreamer>(loop(), *m_outbox, *m_scheduler, m_options.stream, m_streamCounters);
    m_streamer->setOnAcked([this](std::uint64_t count) {
        m_acked.fetch_add(count, std::memory_order_relaxed);
        m_ackedTotal->fetch_add(count, std::memory_order_relaxed);
        m_backlog = m_outbox->backlog();
        m_commits = m_outbox->commits();
        m_lastAckAt = context().clock->now();
    });
    // The keys are the only rows here that wait for retention (see Outbox::pruneKeys).
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add(
        "idempotency keys",
        [this](net::Micros cutoff, std::size_t slice) { return m_outbox->pruneKeys(cutoff, slice); },
        m_options.keyRetention);
    m_retention->start();
    {
        std::lock_guard lock(m_incomingMutex);
        m_accepting = true;
        m_flushPosted = false;
    }
    // A deployment file written before Ingestion had a server may not name it: then
    // only in-process callers (the HTTP gateway) can submit, as before.
    if (!context().endpoints.endpoint(name()).empty()) {
        m_server = makeServer();
        m_server->handle<DeliveryRequest>("Accept", net::Idempotency::NonIdempotent,
                                          [this](const net::CallContext &call, const DeliveryRequest &request,
                                                 net::Responder responder) {
                                              serveAccept(call, request, std::move(responder));
                                          },
                                          [](const DeliveryRequest &request) { return subjectOf(request); });
    }
    if (m_outbox->backlog() > 0)
        qCInfo(lcIngestion) << "resuming the stream with" << m_outbox->backlog() << "unacknowledged requests";
    m_streamer->kick();
}

void IngestionService::onStop()
{
    std::vector<Incoming> rest;
    {
        std::lock_guard lock(m_incomingMutex);
        m_accepting = false;
        rest.swap(m_incoming);
    }
    // Whatever was accepted before the stop is answered properly (committed), not dropped.
    if (!rest.empty() && m_outbox)
        commit(rest);
    m_server.reset(); // after the commit above, so mesh callers still get their answers
    m_retention.reset();
    m_streamer.reset();
    m_scheduler.reset();
    m_delivery.reset();
    m_outbox.reset();
}

void IngestionService::accept(DeliveryRequest request, std::string idempotencyKey, Done done)
{
    const auto operation = request.operation();
    if (!dronedelivery::v1::RequestOperation_IsValid(operation)) {
        AcceptResult result;
        result.kind = AcceptResult::Kind::Invalid;
        result.message = "unknown operation";
        result.field = "operation";
        done(std::move(result));
        return;
    }
    if (operation != dronedelivery::v1::SCHEDULE && request.delivery_id().empty()) {
        AcceptResult result;
        result.kind = AcceptResult::Kind::Invalid;
        result.message = "a reschedule or cancel needs the delivery id";
        result.field = "deliveryId";
        done(std::move(result));
        return;
    }
    // Requests that can only fail (no such place, no carrier for the package) are refused
    // here, for the HTTP gateway and the console alike; places are resolved once, now.
    if (auto error = domain::RequestRules::prepare(request, m_options.policy, context().clock->now())) {
        AcceptResult result;
        result.kind = AcceptResult::Kind::Invalid;
        result.message = std::move(error->message);
        result.field = std::move(error->field);
        done(std::move(result));
        return;
    }
    if (operation != dronedelivery::v1::SCHEDULE) {
        // A cancel or reschedule the delivery's stage forbids is answered now (404 / 409),
        // not accepted and then failed: the Delivery service is asked first, on this loop.
        if (!accepting()) {
            unavailable(done);
            return;
        }
        loop().post([this, request = std::move(request), key = std::move(idempotencyKey), done = std::move(done)]() mutable {
            precheck(std::move(request), std::move(key), std::move(done));
        });
        return;
    }
    enqueue(std::move(request), std::move(idempotencyKey), std::move(done));
}

bool IngestionService::accepting()
{
    std::lock_guard lock(m_incomingMutex);
    return m_accepting;
}

void IngestionService::unavailable(const Done &done)
{
    AcceptResult result;
    result.kind = AcceptResult::Kind::Unavailable;
    result.message = "ingestion is not running";
    result.retryAfterSeconds = m_options.stalledRetryAfterSeconds;
    done(std::move(result));
}

void IngestionService::precheck(DeliveryRequest request, std::string idempotencyKey, Done done)
{
    if (!m_delivery)
        return enqueue(std::move(request), std::move(idempotencyKey), std::move(done));
    dronedelivery::v1::DeliveryIdRequest get;
    get.set_delivery_id(request.delivery_id());
    net::CallOptions options;
    options.idempotent = true;
    options.deadline = m_options.precheckDeadline;
    auto state = std::make_shared<Incoming>(Incoming{std::move(request), std::move(idempotencyKey), std::move(done)});
    m_delivery->call<dronedelivery::v1::Delivery>(
        "Get", get, options, [this, state](net::RpcResult<dronedelivery::v1::Delivery> &&r) {
            bool pending = false;
            if (r.status.code == dronedelivery::v1::NOT_FOUND && m_outbox) {
                try {
                    pending = m_outbox->hasPending(state->request.delivery_id());
                } catch (const SqliteError &) {
                    pending = true; // cannot tell: let the workflow decide
                }
            }
            const StageCheck check = StageCheck::of(state->request, r.status, r.value, pending);
            switch (check.verdict) {
            case StageCheck::Verdict::Refuse: return state->done(check.refusal);
            case StageCheck::Verdict::AlreadyDone: {
                AcceptResult result;
                result.kind = AcceptResult::Kind::Replayed;
                result.request = state->request;
                return state->done(std::move(result));
            }
            case StageCheck::Verdict::Accept:
                return enqueue(std::move(state->request), std::move(state->idempotencyKey), std::move(state->done));
            }
        });
}

void IngestionService::enqueue(DeliveryRequest request, std::string idempotencyKey, Done done)
{
    bool post = false;
    {
        std::unique_lock lock(m_incomingMutex);
        if (!m_accepting) {
            lock.unlock();
            AcceptResult result;
            result.kind = AcceptResult::Kind::Unavailable;
            result.message = "ingestion is not running";
            result.retryAfterSeconds = m_options.stalledRetryAfterSeconds;
            done(std::move(result));
            return;
        }
        m_incoming.push_back({std::move(request), std::move(idempotencyKey), std::move(done)});
        post = !m_flushPosted;
        m_flushPosted = true;
    }
    if (post)
        loop().post([this] { flush(); });
}

void IngestionService::serveAccept(const net::CallContext &call, const DeliveryRequest &request,
                                   net::Responder responder)
{
    DeliveryRequest copy = request;
    if (copy.trace_id_hi() == 0 && copy.trace_id_lo() == 0 && call.trace.valid()) {
        // The caller's trace becomes the workflow's: its waterfall starts at the caller.
        copy.set_trace_id_hi(call.trace.traceIdHi);
        copy.set_trace_id_lo(call.trace.traceIdLo);
        copy.set_parent_span_id(call.trace.spanId);
    }
    // Scoped like the gateway's keys: who asked, what and on which delivery, so keys never cross.
    const std::string key = scopedKey(copy, call.idempotencyKey);
    // Runs on this loop (the server's) in every case, so the responder is used on its thread.
    auto shared = std::make_shared<net::Responder>(std::move(responder));
    accept(std::move(copy), std::move(key), [shared](AcceptResult result) {
        switch (result.kind) {
        case AcceptResult::Kind::Accepted:
        case AcceptResult::Kind::Replayed: shared->reply(result.request); return;
        case AcceptResult::Kind::Invalid:
            shared->fail(dronedelivery::v1::BAD_REQUEST, result.message, result.field);
            return;
        case AcceptResult::Kind::BacklogFull:
            shared->fail(dronedelivery::v1::OVERLOADED,
                         result.message + "; retry after " + std::to_string(std::max(1, result.retryAfterSeconds))
                             + " s");
            return;
        case AcceptResult::Kind::NotFound: shared->fail(dronedelivery::v1::NOT_FOUND, result.message, result.field); return;
        case AcceptResult::Kind::Conflict: shared->fail(dronedelivery::v1::CONFLICT, result.message, result.field); return;
        case AcceptResult::Kind::Unavailable:
            shared->fail(dronedelivery::v1::TRANSIENT,
                         result.message + "; retry after " + std::to_string(std::max(1, result.retryAfterSeconds))
                             + " s");
            return;
        }
        shared->fail(dronedelivery::v1::FATAL, "unexpected accept result");
    });
}

void IngestionService::flush()
{
    // Group commit: everything posted while the previous commit ran goes into this one.
    std::vector<Incoming> group;
    {
        std::lock_guard lock(m_incomingMutex);
        group.swap(m_incoming);
        m_flushPosted = false;
    }
    if (group.empty())
        return;
    if (!m_outbox) {
        for (Incoming &item : group) {
            AcceptResult result;
            result.kind = AcceptResult::Kind::Unavailable;
            result.message = "ingestion is stopping";
            result.retryAfterSeconds = m_options.stalledRetryAfterSeconds;
            item.done(std::move(result));
        }
        return;
    }
    commit(group);
}

void IngestionService::commit(std::vector<Incoming> &group)
{
    const std::size_t chunk = std::max<std::size_t>(1, m_options.maxGroup);
    for (std::size_t begin = 0; begin < group.size(); begin += chunk) {
        const std::size_t end = std::min(group.size(), begin + chunk);
        const net::Micros now = context().clock->now();
        std::vector<Outbox::Append> appends(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            Outbox::Append &append = appends[i - begin];
            append.request = std::move(group[i].request);
            append.idempotencyKey = std::move(group[i].idempotencyKey);
            if (append.request.operation() == dronedelivery::v1::SCHEDULE) {
                append.request.set_delivery_id(newDeliveryId());
                // The reference API lets clients leave the package id out; the Package
                // service needs one, and one package per delivery is what it means.
                if (append.request.package_info().package_id().empty())
                    append.request.mutable_package_info()->set_package_id(append.request.delivery_id());
            }
            append.request.set_accepted_at_us(now);
            if (append.request.trace_id_hi() == 0 && append.request.trace_id_lo() == 0) {
                // The workflow's trace starts here, so the whole delivery is one trace.
                const auto root = net::TraceContext::newRoot(net::Random::threadLocal());
                append.request.set_trace_id_hi(root.traceIdHi);
                append.request.set_trace_id_lo(root.traceIdLo);
                append.request.set_parent_span_id(root.spanId);
            }
        }

        std::vector<Outbox::Result> results;
        bool stored = true;
        std::string error;
        try {
            results = m_outbox->append(appends, now);
        } catch (const SqliteError &e) {
            stored = false;
            error = e.what();
            qCWarning(lcIngestion) << "outbox commit failed:" << e.what();
        }
        m_backlog = m_outbox->backlog();
        m_commits = m_outbox->commits();

        for (std::size_t i = begin; i < end; ++i) {
            AcceptResult result;
            if (!stored) {
                result.kind = AcceptResult::Kind::Unavailable;
                result.message = "the outbox could not store the request: " + error;
                result.retryAfterSeconds = retryAfterSeconds();
            } else {
                Outbox::Result &outcome = results[i - begin];
                switch (outcome.outcome) {
                case Outbox::Outcome::Appended:
                    result.kind = AcceptResult::Kind::Accepted;
                    m_accepted.fetch_add(1, std::memory_order_relaxed);
                    m_acceptedTotal->fetch_add(1, std::memory_order_relaxed);
                    break;
                case Outbox::Outcome::Replayed:
                    result.kind = AcceptResult::Kind::Replayed;
                    m_replayed.fetch_add(1, std::memory_order_relaxed);
                    m_replayedTotal->fetch_add(1, std::memory_order_relaxed);
                    break;
                case Outbox::Outcome::Full:
                    result.kind = AcceptResult::Kind::BacklogFull;
                    result.message = "the backlog of " + std::to_string(m_outbox->capacity())
                        + " unacknowledged requests is full";
                    result.retryAfterSeconds = retryAfterSeconds();
                    m_rejectedFull.fetch_add(1, std::memory_order_relaxed);
                    m_rejectedTotal->fetch_add(1, std::memory_order_relaxed);
                    break;
                }
                result.request = std::move(outcome.request);
            }
            group[i].done(std::move(result));
        }
    }
    if (m_streamer)
        m_streamer->kick();
}

int IngestionService::retryAfterSeconds() const
{
    // A Scheduler that keeps acknowledging frees room within a second; one that has
    // acknowledged nothing for a while (down, restarting) needs longer.
    const bool stalled = context().clock->now() - m_lastAckAt > kStalledAfter && m_outbox && m_outbox->backlog() > 0;
    return stalled ? m_options.stalledRetryAfterSeconds : m_options.retryAfterSeconds;
}

net::IdempotencySubject IngestionService::subjectOf(const DeliveryRequest &request)
{
    const bool schedule = request.operation() == dronedelivery::v1::SCHEDULE;
    return {request.requested_by(), dronedelivery::v1::RequestOperation_Name(request.operation()),
            schedule ? std::string() : request.delivery_id()};
}

std::string IngestionService::scopedKey(const DeliveryRequest &request, std::string_view clientKey)
{
    const net::IdempotencySubject subject = subjectOf(request);
    return net::IdempotencyScope::key(subject.caller, subject.action, subject.target, clientKey);
}

std::string IngestionService::newDeliveryId()
{
    // 12 base32 characters = 60 random bits: collisions are not a practical concern.
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::uint64_t bits = net::Random::threadLocal().next();
    std::string id = "d-";
    for (int i = 0; i < 12; ++i, bits >>= 5)
        id += kAlphabet[bits & 31];
    return id;
}

void IngestionService::findPending(std::string deliveryId, std::function<void(std::optional<DeliveryRequest>)> done)
{
    if (!accepting())
        return done(std::nullopt);
    loop().post([this, id = std::move(deliveryId), done = std::move(done)] {
        std::optional<DeliveryRequest> found;
        try {
            if (m_outbox)
                found = m_outbox->findPending(id);
        } catch (const SqliteError &e) {
            qCWarning(lcIngestion) << "cannot look up" << id.c_str() << ":" << e.what();
        }
        done(std::move(found));
    });
}

IngestionStats IngestionService::stats() const
{
    IngestionStats stats;
    stats.accepted = m_accepted.load(std::memory_order_relaxed);
    stats.replayed = m_replayed.load(std::memory_order_relaxed);
    stats.rejectedFull = m_rejectedFull.load(std::memory_order_relaxed);
    stats.backlog = m_backlog.load(std::memory_order_relaxed);
    stats.acked = m_acked.load(std::memory_order_relaxed);
    stats.commits = m_commits.load(std::memory_order_relaxed);
    stats.batchesSent = m_streamCounters.batchesSent.load(std::memory_order_relaxed);
    stats.redeliveries = m_streamCounters.redeliveries.load(std::memory_order_relaxed);
    return stats;
}

} // namespace dd::backend
