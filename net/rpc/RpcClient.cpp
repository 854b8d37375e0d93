// RpcClient: one logical call = attempts over chosen instances inside one deadline.
#include "net/rpc/RpcClient.h"

#include "net/rpc/RpcClientRegistry.h"
#include "net/telemetry/MetricsRegistry.h"
#include "net/transport/ZmqContext.h"

#include <QLoggingCategory>

#include <cstring>

Q_LOGGING_CATEGORY(lcRpcClient, "dd.net.rpc.client")

namespace dd::net {

using namespace dronedelivery::v1;

namespace {
/// Failures that say something about the instance's health (Envoy: 5xx, resets,
/// timeouts), as opposed to the caller's request being refused on its merits.
bool countsAgainstInstance(StatusCode code)
{
    return code == TRANSIENT || code == OVERLOADED || code == FATAL || code == DEADLINE_EXCEEDED;
}

int breakerIndex(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed: return 0;
    case BreakerState::Open: return 1;
    case BreakerState::HalfOpen: return 2;
    case BreakerState::Isolated: return 3;
    case BreakerState::ForcedClosed: return 4;
    }
    return 0;
}
} // namespace

RpcClient::RpcClient(ServiceLoop &loop, std::string caller, std::string service, const EndpointTable &endpoints,
                     ClientOptions options)
    : m_loop(loop),
      m_caller(std::move(caller)),
      m_service(std::move(service)),
      m_options(std::move(options)),
      m_pool(loop.iterationClock(), m_options.random ? *m_options.random : Random::threadLocal(), m_options.lb,
             m_options.breaker, m_options.maxEjectionPercent, m_options.heartbeatInterval,
             m_options.heartbeatMisses),
      m_budget(loop.iterationClock(), m_options.retryBudgetRatio, m_options.retryBudgetMinPerSecond),
      m_metrics(MetricsRegistry::global().route(m_caller, m_service)),
      m_senderId(newSenderId())
{
    if (!m_options.versionWeights.empty())
        m_pool.versions().setWeights(m_options.versionWeights);
    m_spans = SpanRecorder(m_options.recordSpans ? m_options.spans : nullptr, m_caller);
    for (const ServiceInstance &instance : endpoints.instances(m_service)) {
        auto socket = std::make_unique<zmq::socket_t>(loop.context(), zmq::socket_type::dealer);
        socket->set(zmq::sockopt::linger, 0);
        socket->set(zmq::sockopt::maxmsgsize, kMaxMessageBytes);
        socket->set(zmq::sockopt::sndhwm, 100000);
        socket->set(zmq::sockopt::rcvhwm, 100000);
        if (instance.isTcp()) {
            // Without a live connection a send fails at once (and is retried
            // elsewhere) instead of queueing for a peer that may never come back.
            socket->set(zmq::sockopt::immediate, 1);
            socket->set(zmq::sockopt::reconnect_ivl, 100);
            socket->set(zmq::sockopt::reconnect_ivl_max, 2000);
        }
        secureClientSocket(*socket, instance.endpoint, m_service, m_options.security);
        socket->connect(instance.endpoint);
        PoolInstance &added = m_pool.add(instance, std::move(socket));
        const std::size_t index = m_pool.size() - 1;
        loop.addSocket(*added.socket, [this, index] { onReadable(index); });
    }
    if (m_pool.size() == 0)
        qCWarning(lcRpcClient) << m_caller.c_str() << "-> " << m_service.c_str() << ": no endpoint known";
    m_heartbeatTimer = loop.every(m_options.heartbeatInterval, [this] { sendHeartbeats(); });
    m_registryToken = RpcClientRegistry::global().add(m_caller, m_service, loop, *this);
}

RpcClient::~RpcClient()
{
    RpcClientRegistry::global().remove(m_registryToken); // first: no command may reach a half-destroyed client
    *m_alive = false;
    m_loop.cancel(m_heartbeatTimer);
    if (m_sweepTimer)
        m_loop.cancel(m_sweepTimer);
    for (std::size_t i = 0; i < m_pool.size(); ++i)
        m_loop.removeSocket(*m_pool.at(i).socket);
}

Random &RpcClient::random()
{
    return m_options.random ? *m_options.random : Random::threadLocal();
}

RpcClient::Pending *RpcClient::find(std::uint64_t id)
{
    const std::size_t index = std::size_t(id & 0xffffffffu);
    if (index >= m_slots.size())
        return nullptr;
    Pending &slot = m_slots[index];
    return slot.active && slot.generation == std::uint32_t(id >> 32) ? &slot : nullptr;
}

std::uint64_t RpcClient::allocate()
{
    std::uint32_t index;
    if (!m_freeSlots.empty()) {
        index = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        index = std::uint32_t(m_slots.size());
        m_slots.emplace_back();
    }
    Pending &slot = m_slots[index];
    slot.active = true;
    ++m_active;
    return (std::uint64_t(slot.generation) << 32) | index;
}

void RpcClient::release(std::uint64_t id)
{
    Pending &slot = m_slots[std::size_t(id & 0xffffffffu)];
    slot.active = false;
    ++slot.generation;
    slot.done = nullptr; // let go of whatever the callback captured
    slot.waitingBackoff = false;
    slot.attempt = 0;
    slot.instance = SIZE_MAX;
    --m_active;
    m_freeSlots.push_back(std::uint32_t(id & 0xffffffffu));
}

void RpcClient::call(std::string_view method, const google::protobuf::MessageLite &request,
                     const CallOptions &options, RawCallback done)
{
    thread_local std::string buffer; // reused: serialising allocates nothing once warm
    buffer.clear();
    request.AppendToString(&buffer);
    callRaw(method, buffer, options, std::move(done));
}

void RpcClient::callRaw(std::string_view method, std::string_view payload, const CallOptions &options,
                        RawCallback done)
{
    // The turn's clock reading: calls are issued from handlers within the same turn,
    // and one fewer clock read per call is measurable at a million calls a second.
    const Micros now = m_loop.iterationClock().now();
    const Micros relative = options.deadline > 0 ? options.deadline : m_options.deadline;
    const std::uint64_t id = allocate();
    Pending &call = m_slots[std::size_t(id & 0xffffffffu)];
    call.method.assign(method);
    call.done = std::move(done);
    call.options = options;
    call.started = now;
    call.deadline = now + relative;
    if (options.parent.valid()) {
        call.span = options.parent.child(random());
        call.parentSpan = options.parent.spanId;
    } else {
        call.span = TraceContext::newRoot(random());
    }
    m_metrics.onRequest(payload.size());
    m_budget.onRequest();
    call.payload.assign(payload);
    m_expiries[relative].push_back({call.deadline, id});
    armSweep(call.deadline);
    sendAttempt(id, call, now);
}

void RpcClient::sendAttempt(std::uint64_t id, Pending &call, Micros now)
{
    ++call.attempt;
    call.attemptStarted = now;
    const auto previous = call.instance == SIZE_MAX ? std::nullopt : std::optional<std::size_t>(call.instance);
    const auto chosen = m_pool.pick(call.options.version, now, previous);
    if (!chosen) {
        call.instance = SIZE_MAX;
        attemptFailed(id, call, {CIRCUIT_OPEN, "no healthy instance of " + m_service}, now);
        return;
    }
    call.instance = *chosen;
    call.attemptDeadline = call.deadline;
    if (m_options.perTryTimeout > 0 && now + m_options.perTryTimeout < call.deadline) {
        call.attemptDeadline = now + m_options.perTryTimeout;
        m_expiries[-m_options.perTryTimeout].push_back({call.attemptDeadline, id});
        armSweep(call.attemptDeadline);
    }

    // m_out keeps the fields every request shares (kind, sender, source); only
    // the per-call ones are rewritten: no string copies on the hot path.
    if (m_out.kind() != REQUEST) {
        m_out.Clear();
        m_out.set_kind(REQUEST);
        m_out.set_sender_id(m_senderId);
        m_out.set_source(m_caller);
    }
    m_out.set_message_id(id);
    m_out.set_trace_id_hi(call.span.traceIdHi);
    m_out.set_trace_id_lo(call.span.traceIdLo);
    m_out.set_parent_span_id(call.span.spanId);
    m_out.set_trace_flags(call.span.flags);
    m_out.set_api_version(call.options.apiVersion);
    m_out.set_deadline_us(call.attemptDeadline);
    m_out.set_attempt(call.attempt);
    if (m_out.method() != call.method)
        m_out.set_method(call.method);
    if (m_out.idempotency_key() != call.options.idempotencyKey)
        m_out.set_idempotency_key(call.options.idempotencyKey);
    if (m_out.version() != call.options.version)
        m_out.set_version(call.options.version);

    zmq::socket_t &socket = *m_pool.at(*chosen).socket;
    if (!socket.send(frame(m_out, call.payload), zmq::send_flags::dontwait)) {
        m_pool.onFinished(*chosen, false, 0, now);
        // Never sent, so never seen: another attempt is safe even for a non-idempotent method.
        attemptFailed(id, call, {OVERLOADED, "cannot send to " + m_pool.at(*chosen).meta.endpoint}, now, true);
        return;
    }
    m_pool.onSent(*chosen);
}

void RpcClient::onReadable(std::size_t instance)
{
    zmq::socket_t &socket = *m_pool.at(instance).socket;
    zmq::message_t message, extra;
    std::string_view payload;
    bool heard = false;
    for (int batch = 0; batch < 4096; ++batch) {
        if (!socket.recv(message, zmq::recv_flags::dontwait))
            break;
        bool bad = false;
        bool more = message.more();
        while (more) { // this protocol has one frame per message
            (void)socket.recv(extra);
            more = extra.more();
            bad = true;
        }
        if (bad || !unframe(message, m_in, payload))
            continue;
        heard = true;
        if (m_in.kind() == REPLY)
            onReply(instance, m_in, payload);
    }
    if (heard)
        m_pool.onHeard(instance);
    // Calls finish roughly in order: drop the finished ones at the queue fronts so
    // the expiry queues stay short without a sweep.
    for (auto &[relative, queue] : m_expiries)
        while (!queue.empty() && !find(queue.front().second))
            queue.pop_front();
}

void RpcClient::onReply(std::size_t instance, const Envelope &envelope, std::string_view payload)
{
    const std::uint64_t id = envelope.correlation_id();
    Pending *found = find(id);
    if (!found)
        return; // late answer to a call that already timed out
    Pending &call = *found;
    // The turn's reading, like the call's start: latency to within one batch, and no
    // clock read per reply.
    const Micros now = m_loop.iterationClock().now();
    const Micros latency = now - call.attemptStarted;
    const bool current = call.instance == instance && !call.waitingBackoff;
    const StatusCode code = envelope.status();
    if (current)
        m_pool.onFinished(instance, code == OK || !countsAgainstInstance(code), latency, now);
    if (code == OK) {
        if (!current && call.instance != SIZE_MAX && !call.waitingBackoff)
            m_pool.onFinished(call.instance, true, latency, now); // the attempt we abandon
        complete(id, call, {}, payload, now);
        return;
    }
    if (!current)
        return; // a late failure of an attempt already given up on
    attemptFailed(id, call, {code, envelope.error(), envelope.field()}, now);
}

void RpcClient::attemptFailed(std::uint64_t id, Pending &call, const RpcStatus &status, Micros now, bool notSent)
{
    if (status.retryable() && (call.options.idempotent || notSent)
        && int(call.attempt) < m_options.retry.maxAttempts) {
        const Micros backoff = fullJitterBackoff(m_options.retry, int(call.attempt), random());
        if (now + backoff < call.deadline && m_budget.tryAcquireRetry()) {
            call.waitingBackoff = true;
            m_metrics.onRetry();
            m_loop.after(backoff, [this, alive = m_alive, id] {
                if (!*alive)
                    return;
                Pending *call = find(id);
                if (!call)
                    return;
                call->waitingBackoff = false;
                sendAttempt(id, *call, m_loop.clock().now());
            });
            return;
        }
    }
    complete(id, call, status, {}, now);
}

void RpcClient::complete(std::uint64_t id, Pending &call, const RpcStatus &status, std::string_view payload,
                         Micros now)
{
    RpcReply reply;
    reply.status = status;
    reply.payload = payload;
    reply.attempts = call.attempt;
    reply.latency = now - call.started;
    reply.trace = call.span;
    m_metrics.onOutcome(outcomeOf(status.code), reply.latency, payload.size());
    if (m_spans.enabled()) {
        // "service.method", formatted once per method: this runs on every call.
        if (call.method != m_spanMethod) {
            m_spanMethod = call.method;
            SpanRecorder::formatName(m_spanName, m_service + "." + call.method);
        }
        m_spans.record(call.span, call.parentSpan, m_spanName,
                       {.kind = SpanKind::Client, .start = call.started, .duration = reply.latency,
                        .status = status.code, .attempt = call.attempt});
    }
    RawCallback done = std::move(call.done);
    release(id);
    if (done)
        done(reply);
}

void RpcClient::armSweep(Micros at)
{
    if (m_sweepTimer && at >= m_sweepAt)
        return;
    if (m_sweepTimer)
        m_loop.cancel(m_sweepTimer);
    m_sweepAt = at;
    m_sweepTimer = m_loop.after(at - m_loop.clock().now(), [this] {
        m_sweepTimer = 0;
        sweepDeadlines();
    });
}

void RpcClient::sweepDeadlines()
{
    const Micros now = m_loop.clock().now();
    Micros next = 0;
    for (auto &[relative, queue] : m_expiries) {
        const bool perTry = relative < 0;
        while (!queue.empty()) {
            const auto [at, id] = queue.front();
            Pending *found = find(id);
            if (!found) {
                queue.pop_front();
                continue;
            }
            if (at > now) {
                next = next == 0 ? at : std::min(next, at);
                break;
            }
            queue.pop_front();
            Pending &call = *found;
            if (!perTry) {
                if (call.instance != SIZE_MAX && !call.waitingBackoff)
                    m_pool.onFinished(call.instance, false, now - call.attemptStarted, now);
                complete(id, call, {DEADLINE_EXCEEDED, "no answer from " + m_service + " within the deadline"}, {},
                         now);
            } else if (at == call.attemptDeadline && !call.waitingBackoff && call.instance != SIZE_MAX) {
                m_pool.onFinished(call.instance, false, now - call.attemptStarted, now);
                attemptFailed(id, call, {TRANSIENT, "attempt timed out"}, now);
            }
        }
    }
    if (next)
        armSweep(next);
}

void RpcClient::sendHeartbeats()
{
    const Micros now = m_loop.clock().now();
    for (std::size_t i = 0; i < m_pool.size(); ++i) {
        PoolInstance &instance = m_pool.at(i);
        if (now - instance.lastHeard < m_options.heartbeatInterval)
            continue; // traffic proves liveness; heartbeats only fill silence
        Envelope heartbeat;
        heartbeat.set_kind(HEARTBEAT);
        heartbeat.set_sender_id(m_senderId);
        heartbeat.set_source(m_caller);
        instance.socket->send(frame(heartbeat, {}), zmq::send_flags::dontwait);
    }
    publishBreakerState();
}

void RpcClient::publishBreakerState()
{
    const BreakerState worst = m_pool.worstBreakerState();
    m_metrics.setBreakerState(breakerIndex(worst), toString(worst));
}

void RpcClient::isolate(std::size_t instance)
{
    m_pool.at(instance).breaker->isolate();
    publishBreakerState();
}

void RpcClient::forceClose(std::size_t instance)
{
    m_pool.at(instance).breaker->forceClose();
    publishBreakerState();
}

void RpcClient::resetBreaker(std::size_t instance)
{
    m_pool.at(instance).breaker->reset();
    publishBreakerState();
}

void RpcClient::cancelAll()
{
    std::vector<std::uint64_t> ids;
    for (std::size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].active)
            ids.push_back((std::uint64_t(m_slots[i].generation) << 32) | i);
    for (auto id : ids)
        if (Pending *call = find(id))
            complete(id, *call, {CANCELLED, "client shutting down"}, {}, m_loop.clock().now());
}

} // namespace dd::net
