// RpcServer: the request path from ROUTER frames to handler and back.
#include "net/rpc/RpcServer.h"

#include "net/transport/ZmqContext.h"

#include "net/resilience/Random.h"
#include "net/telemetry/LogContext.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QLoggingCategory>

#include <cstring>

Q_LOGGING_CATEGORY(lcRpcServer, "dd.net.rpc.server")

namespace dd::net {

using namespace dronedelivery::v1;

// ---------------------------------------------------------------- Responder

Responder::Responder(Responder &&other) noexcept
{
    *this = std::move(other);
}

Responder &Responder::operator=(Responder &&other) noexcept
{
    if (this != &other) {
        if (m_server)
            fail(FATAL, "handler replaced its responder without answering");
        m_server = std::exchange(other.m_server, nullptr);
        m_serverAlive = std::move(other.m_serverAlive);
        m_identity = std::move(other.m_identity);
        m_correlation = other.m_correlation;
        m_dedupKey = std::move(other.m_dedupKey);
        m_trace = other.m_trace;
        m_parentSpan = other.m_parentSpan;
        m_spanName = other.m_spanName;
        m_started = other.m_started;
        m_attempt = other.m_attempt;
    }
    return *this;
}

Responder::~Responder()
{
    if (m_server)
        fail(FATAL, "handler did not answer");
}

void Responder::reply(const google::protobuf::MessageLite &message)
{
    finish(OK, {}, {}, message.SerializeAsString());
}

void Responder::replyBytes(std::string_view payload)
{
    finish(OK, {}, {}, payload);
}

void Responder::fail(StatusCode code, std::string message, std::string field)
{
    finish(code, message, field, {});
}

void Responder::finish(StatusCode code, std::string_view error, std::string_view field, std::string_view payload)
{
    RpcServer *server = std::exchange(m_server, nullptr);
    if (!server || !m_serverAlive.alive())
        return; // answered already, or the server is gone (stopping service)
    if (!m_dedupKey.empty())
        server->rememberReply(m_dedupKey, code, error, field, payload);
    server->sendReply(m_identity, m_correlation, code, error, field, payload);
    if (server->m_spans.enabled())
        server->m_spans.record(m_trace, m_parentSpan, m_spanName,
                               {.kind = SpanKind::Server, .start = m_started,
                                .duration = server->m_loop.clock().now() - m_started, .status = code,
                                .attempt = m_attempt});
}

// ---------------------------------------------------------------- RpcServer

RpcServer::RpcServer(ServiceLoop &loop, std::string service, std::string endpoint, ServerOptions options)
    : m_loop(loop),
      m_service(std::move(service)),
      m_endpoint(std::move(endpoint)),
      m_options(std::move(options)),
      m_socket(loop.context(), zmq::socket_type::router),
      m_senderId(newSenderId())
{
    auto &metrics = MetricsRegistry::global();
    m_badFrames = &metrics.counter("rpc_bad_frames_total", m_service);
    m_droppedExpired = &metrics.counter("rpc_dropped_expired_total", m_service);
    m_dedupHits = &metrics.counter("rpc_dedup_hits_total", m_service);
    m_unknownMethod = &metrics.counter("rpc_unknown_method_total", m_service);
    m_injected = &metrics.counter("rpc_faults_injected_total", m_service);

    m_socket.set(zmq::sockopt::linger, 0);
    m_socket.set(zmq::sockopt::maxmsgsize, kMaxMessageBytes);
    m_socket.set(zmq::sockopt::sndhwm, 100000);
    m_socket.set(zmq::sockopt::rcvhwm, 100000);
    // A reply to a client that vanished is dropped rather than blocking the loop.
    m_socket.set(zmq::sockopt::router_mandatory, 0);
    secureServerSocket(m_socket, m_endpoint, m_service, m_options.security);
    bindWithRetry(m_socket, m_endpoint);
    m_endpoint = m_socket.get(zmq::sockopt::last_endpoint);
    m_spans = SpanRecorder(m_options.recordSpans ? m_options.spans : nullptr, m_service);
    m_loop.addSocket(m_socket, [this] { onReadable(); });
    m_dedupTimer = m_loop.every(10 * kSeconds, [this] { expireDedup(); });
}

RpcServer::~RpcServer()
{
    m_alive.end();
    m_loop.cancel(m_dedupTimer);
    m_loop.removeSocket(m_socket);
}

void RpcServer::handleRaw(const std::string &method, Idempotency idempotency, RawHandler handler, SubjectOf subject)
{
    Handler &entry = m_handlers[method];
    entry.fn = std::move(handler);
    entry.idempotency = idempotency;
    entry.subject = std::move(subject);
    SpanRecorder::formatName(entry.spanName, method);
}

void RpcServer::onReadable()
{
    zmq::message_t identity, message, extra;
    // Bounded batch so one busy socket cannot starve the loop's other sockets and timers.
    for (int batch = 0; batch < 4096; ++batch) {
        if (!m_socket.recv(identity, zmq::recv_flags::dontwait))
            return;
        bool ok = identity.more();
        if (ok) {
            (void)m_socket.recv(message);
            bool more = message.more();
            while (more) { // garbage trailing frames: drain the whole message
                (void)m_socket.recv(extra);
                more = extra.more();
                ok = false;
            }
        }
        if (!ok) {
            m_badFrames->fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        if (m_paused.load(std::memory_order_relaxed))
            continue;
        dispatch(identity, message);
    }
}

void RpcServer::dispatch(zmq::message_t &identity, zmq::message_t &message)
{
    std::string_view payload;
    if (!unframe(message, m_in, payload) || (m_in.kind() != REQUEST && m_in.kind() != HEARTBEAT)) {
        m_badFrames->fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (m_in.kind() == HEARTBEAT) {
        Envelope beat;
        beat.set_kind(HEARTBEAT);
        beat.set_sender_id(m_senderId);
        beat.set_correlation_id(m_in.message_id());
        m_socket.send(identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        m_socket.send(frame(beat, {}), zmq::send_flags::dontwait);
        return;
    }
    // The turn's clock reading: a deadline check and a span start need no finer time,
    // and the server span then includes the time the request waited in this batch.
    const Micros now = m_loop.iterationClock().now();
    if (m_in.deadline_us() != 0 && now > m_in.deadline_us()) {
        // The caller has given up already: working on it would only add load.
        m_droppedExpired->fetch_add(1, std::memory_order_relaxed);
        return;
    }
    auto handlerIt = m_handlers.find(m_in.method());
    if (handlerIt == m_handlers.end()) {
        m_unknownMethod->fetch_add(1, std::memory_order_relaxed);
        sendReply(identity, m_in.message_id(), UNKNOWN_METHOD,
                  "service " + m_service + " has no method \"" + m_in.method() + "\"", {}, {});
        return;
    }
    const Handler &handler = handlerIt->second;

    std::string dedupKey;
    if (handler.idempotency == Idempotency::NonIdempotent) {
        dedupKey = m_in.idempotency_key().empty()
            ? std::to_string(m_in.sender_id()) + ":" + std::to_string(m_in.message_id())
            : scopedKey(handler, message, payload);
        auto cached = m_dedup.find(dedupKey);
        if (cached != m_dedup.end()) {
            m_dedupHits->fetch_add(1, std::memory_order_relaxed);
            if (cached->second.done) {
                sendReply(identity, m_in.message_id(), cached->second.code, cached->second.error,
                          cached->second.field, cached->second.payload);
            }
            return; // still running: the first execution answers
        }
        CachedReply pending;
        pending.at = now;
        m_dedup.emplace(dedupKey, std::move(pending));
        m_dedupOrder.emplace_back(now, dedupKey);
    }

    if (!m_options.faults->empty()) {
        const FaultDecision fault = m_options.faults->decide(m_service, m_in.method(),
                                                                 m_options.random ? *m_options.random : Random::threadLocal());
        if (fault.kind != FaultKind::None)
            m_injected->fetch_add(1, std::memory_order_relaxed);
        if (fault.kind == FaultKind::Crash) {
            m_dedup.erase(dedupKey);
            return; // as if the instance died mid-request: no answer at all
        }
        if (fault.kind == FaultKind::Delay || fault.delay > 0) {
            auto request = std::make_shared<Envelope>(m_in);
            auto body = std::make_shared<std::string>(payload);
            auto id = std::make_shared<zmq::message_t>(std::move(identity));
            const FaultKind abortKind = fault.kind;
            m_loop.after(fault.delay, [this, alive = m_alive, request, body, id, dedupKey, abortKind,
                                       method = handlerIt->first]() mutable {
                if (!alive.alive())
                    return;
                auto it = m_handlers.find(method);
                if (it == m_handlers.end())
                    return;
                if (abortKind == FaultKind::Transient || abortKind == FaultKind::Fatal) {
                    const StatusCode code = abortKind == FaultKind::Transient ? TRANSIENT : FATAL;
                    m_dedup.erase(dedupKey);
                    sendReply(*id, request->message_id(), code, "injected fault", {}, {});
                    return;
                }
                invoke(it->second, std::move(*id), *request, *body, dedupKey, m_loop.clock().now());
            });
            return;
        }
        if (fault.kind == FaultKind::Transient || fault.kind == FaultKind::Fatal) {
            // An injected failure is not a real execution: the retry must run for real.
            m_dedup.erase(dedupKey);
            sendReply(identity, m_in.message_id(), fault.kind == FaultKind::Transient ? TRANSIENT : FATAL,
                      "injected fault", {}, {});
            return;
        }
    }
    invoke(handler, std::move(identity), m_in, payload, std::move(dedupKey), now);
}

std::string RpcServer::scopedKey(const Handler &handler, const zmq::message_t &message, std::string_view payload) const
{
    // The CURVE client key ZAP admitted (libzmq's User-Id); absent in-process.
    const char *transport = zmq_msg_gets(message.handle(), "User-Id");
    const IdempotencySubject subject = handler.subject ? handler.subject(payload) : IdempotencySubject{};
    return IdempotencyScope::key(IdempotencyScope::caller(transport ? transport : "", subject.caller),
                                 IdempotencyScope::operation(m_in.method(), subject.action), subject.target,
                                 m_in.idempotency_key());
}

void RpcServer::invoke(const Handler &handler, zmq::message_t identity, const Envelope &request,
                       std::string_view payload, std::string dedupKey, Micros now)
{
    Responder responder;
    responder.m_server = this;
    responder.m_serverAlive = m_alive;
    responder.m_identity = std::move(identity);
    responder.m_correlation = request.message_id();
    responder.m_dedupKey = std::move(dedupKey);
    responder.m_started = now;
    responder.m_attempt = request.attempt();
    if (request.trace_id_hi() || request.trace_id_lo()) {
        responder.m_trace = traceOf(request).child(Random::threadLocal());
        responder.m_parentSpan = request.parent_span_id();
        responder.m_spanName = handler.spanName;
    }
    CallContext ctx;
    ctx.request = &request;
    ctx.method = request.method();
    ctx.trace = responder.m_trace;
    ctx.received = responder.m_started;
    ctx.attempt = request.attempt();
    ctx.idempotencyKey = request.idempotency_key();
    m_served.fetch_add(1, std::memory_order_relaxed);
    try {
        const LogContext::TraceScope logTrace(ctx.trace); // log lines in the handler carry its trace
        handler.fn(ctx, payload, std::move(responder));
    } catch (const std::exception &e) {
        // A throwing handler (a store error it did not catch, or a bug) fails that call alone:
        // the caller gets FATAL via the dropped responder; counted and logged by the loop.
        m_loop.reportFailure(request.method(), e.what());
    } catch (...) {
        m_loop.reportFailure(request.method(), "an exception that is not a std::exception");
    }
}

void RpcServer::sendReply(zmq::message_t &identity, std::uint64_t correlation, StatusCode code,
                          std::string_view error, std::string_view field, std::string_view payload)
{
    // Reused: only the fields that differ between replies are rewritten.
    if (m_out.kind() != REPLY) {
        m_out.Clear();
        m_out.set_kind(REPLY);
        m_out.set_sender_id(m_senderId);
    }
    m_out.set_correlation_id(correlation);
    if (code != OK || m_out.status() != OK) {
        m_out.set_status(code);
        m_out.set_error(std::string(error));
        m_out.set_field(std::string(field));
    }
    // dontwait: a slow or vanished client must never stall the service loop.
    if (!m_socket.send(identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait))
        return;
    m_socket.send(frame(m_out, payload), zmq::send_flags::dontwait);
}

void RpcServer::rememberReply(const std::string &key, StatusCode code, std::string_view error,
                              std::string_view field, std::string_view payload)
{
    auto it = m_dedup.find(key);
    if (it == m_dedup.end())
        return;
    // A transient outcome is not remembered: the retry should really run again.
    if (code == TRANSIENT || code == OVERLOADED) {
        m_dedup.erase(it);
        return;
    }
    it->second.done = true;
    it->second.code = code;
    it->second.error = error;
    it->second.field = field;
    it->second.payload.assign(payload);
}

void RpcServer::expireDedup()
{
    const Micros cutoff = m_loop.clock().now() - m_options.dedupTtl;
    while (!m_dedupOrder.empty()
           && (m_dedupOrder.front().first < cutoff || m_dedupOrder.size() > m_options.dedupCapacity)) {
        auto it = m_dedup.find(m_dedupOrder.front().second);
        if (it != m_dedup.end() && it->second.at == m_dedupOrder.front().first)
            m_dedup.erase(it);
        m_dedupOrder.pop_front();
    }
}

} // namespace dd::net
