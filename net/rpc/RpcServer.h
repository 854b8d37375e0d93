// ROUTER side of the mesh RPC: typed handlers, deadlines, de-duplication, faults, spans.
#pragma once

#include "net/envelope/Envelope.h"
#include "net/resilience/FaultInjector.h"
#include "net/rpc/IdempotencyScope.h"
#include "net/rpc/RpcStatus.h"
#include "net/security/SocketSecurity.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/SpanRecorder.h"
#include "net/transport/ServiceLoop.h"

#include <google/protobuf/message_lite.h>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace dd::net {

class RpcServer;

enum class Idempotency { Idempotent, NonIdempotent };

/// Whether a server still exists, for answers given after its handler returned.
/// Reference counted without atomics on purpose: a server and its responders live
/// on one loop thread, and two atomic operations per request are measurable.
class ServerLife
{
public:
    ServerLife() = default;
    static ServerLife create() { return ServerLife(new Token); }
    ServerLife(const ServerLife &other) : m_token(other.m_token) { retain(); }
    ServerLife(ServerLife &&other) noexcept : m_token(std::exchange(other.m_token, nullptr)) {}
    ServerLife &operator=(ServerLife other) noexcept
    {
        std::swap(m_token, other.m_token);
        return *this;
    }
    ~ServerLife() { release(); }

    bool alive() const { return m_token && m_token->alive; }
    void end() const
    {
        if (m_token)
            m_token->alive = false;
    }

private:
    struct Token
    {
        bool alive = true;
        std::uint32_t refs = 1;
    };
    explicit ServerLife(Token *token) : m_token(token) {}
    void retain() const
    {
        if (m_token)
            ++m_token->refs;
    }
    void release()
    {
        if (m_token && --m_token->refs == 0)
            delete m_token;
        m_token = nullptr;
    }
    Token *m_token = nullptr;
};

/// What a handler knows about the call it serves.
struct CallContext
{
    const Envelope *request = nullptr;
    std::string_view method;
    TraceContext trace; ///< this server span: pass as parent to downstream calls
    Micros received = 0;
    std::uint32_t attempt = 1;
    std::string_view idempotencyKey;
};

/// Answers one request exactly once. Move-only: a handler that answers later
/// moves it into its continuation. Dropping it unanswered replies FATAL, so a
/// buggy handler can never leave a caller waiting for its whole deadline.
class Responder
{
public:
    Responder() = default;
    Responder(Responder &&other) noexcept;
    Responder &operator=(Responder &&other) noexcept;
    ~Responder();

    void reply(const google::protobuf::MessageLite &message);
    void replyBytes(std::string_view payload);
    void fail(StatusCode code, std::string message, std::string field = {});
    bool answered() const { return m_server == nullptr; }
    const TraceContext &trace() const { return m_trace; }

private:
    friend class RpcServer;
    void finish(StatusCode code, std::string_view error, std::string_view field, std::string_view payload);

    RpcServer *m_server = nullptr;
    ServerLife m_serverAlive;
    zmq::message_t m_identity;
    std::uint64_t m_correlation = 0;
    std::string m_dedupKey;
    TraceContext m_trace;
    std::uint64_t m_parentSpan = 0;
    const char *m_spanName = nullptr; ///< the handler's, stable while the server lives
    Micros m_started = 0;
    std::uint32_t m_attempt = 1;
};

struct ServerOptions
{
    std::string version = "v1";
    std::size_t dedupCapacity = 65536; ///< replies remembered for non-idempotent methods
    Micros dedupTtl = 10 * 60 * kSeconds;
    bool recordSpans = true;
    FaultInjector *faults = &FaultInjector::global();
    Random *random = nullptr; ///< fault draws; null: the loop thread's generator
    SpanSink *spans = &SpanFanout::global(); ///< the store, plus the exporter when one is attached
    SecurityConfig security;
};

class RpcServer
{
public:
    using RawHandler = std::function<void(const CallContext &, std::string_view payload, Responder)>;
    /// Reads who a non-idempotent request speaks for and what it targets, so its client
    /// key is scoped by them (IdempotencyScope). Without one a key is scoped by the
    /// caller's transport identity and the method only.
    using SubjectOf = std::function<IdempotencySubject(std::string_view payload)>;

    /// Binds now; create it on the loop's thread or before the loop starts.
    RpcServer(ServiceLoop &loop, std::string service, std::string endpoint, ServerOptions options = {});
    ~RpcServer();

    void handleRaw(const std::string &method, Idempotency idempotency, RawHandler handler, SubjectOf subject = {});

    /// Typed handler: the request is parsed for it, a parse failure answers BAD_REQUEST.
    template <typename Req>
    void handle(const std::string &method, Idempotency idempotency,
                std::function<void(const CallContext &, const Req &, Responder)> handler,
                std::function<IdempotencySubject(const Req &)> subject = {})
    {
        SubjectOf rawSubject;
        if (subject)
            rawSubject = [subject = std::move(subject)](std::string_view payload) {
                Req request;
                // Unparseable: the handler answers BAD_REQUEST, under an unscoped key.
                if (!request.ParseFromArray(payload.data(), int(payload.size())))
                    return IdempotencySubject{};
                return subject(request);
            };
        handleRaw(method, idempotency,
                  [handler = std::move(handler)](const CallContext &ctx, std::string_view payload, Responder r) {
                      Req request;
                      if (!request.ParseFromArray(payload.data(), int(payload.size()))) {
                          r.fail(dronedelivery::v1::BAD_REQUEST, "request does not parse as " + request.GetTypeName());
                          return;
                      }
                      handler(ctx, request, std::move(r));
                  },
                  std::move(rawSubject));
    }

    const std::string &service() const { return m_service; }
    const std::string &endpoint() const { return m_endpoint; } ///< the resolved one (tcp port 0 → real port)
    std::uint64_t served() const { return m_served.load(std::memory_order_relaxed); }
    std::uint64_t badFrames() const { return m_badFrames->load(std::memory_order_relaxed); }
    std::uint64_t droppedExpired() const { return m_droppedExpired->load(std::memory_order_relaxed); }
    std::uint64_t dedupHits() const { return m_dedupHits->load(std::memory_order_relaxed); }
    std::uint64_t unknownMethods() const { return m_unknownMethod->load(std::memory_order_relaxed); }

    /// While paused the server reads and drops everything (a simulated crash). Any thread.
    void setPaused(bool paused) { m_paused.store(paused, std::memory_order_relaxed); }

private:
    friend class Responder;
    struct Handler
    {
        RawHandler fn;
        Idempotency idempotency;
        SubjectOf subject;
        char spanName[sizeof(Span::nameBuf)] = {}; ///< formatted once, copied per span
    };
    struct CachedReply
    {
        Micros at = 0;
        bool done = false;
        StatusCode code = dronedelivery::v1::OK;
        std::string error;
        std::string field;
        std::string payload;
    };

    void onReadable();
    void dispatch(zmq::message_t &identity, zmq::message_t &message);
    std::string scopedKey(const Handler &handler, const zmq::message_t &message, std::string_view payload) const;
    void invoke(const Handler &handler, zmq::message_t identity, const Envelope &request, std::string_view payload,
                std::string dedupKey, Micros now);
    void sendReply(zmq::message_t &identity, std::uint64_t correlation, StatusCode code, std::string_view error,
                   std::string_view field, std::string_view payload);
    void rememberReply(const std::string &key, StatusCode code, std::string_view error, std::string_view field,
                       std::string_view payload);
    void expireDedup();

    ServiceLoop &m_loop;
    std::string m_service;
    std::string m_endpoint;
    ServerOptions m_options;
    zmq::socket_t m_socket;
    std::uint64_t m_senderId;
    std::unordered_map<std::string, Handler> m_handlers;
    std::unordered_map<std::string, CachedReply> m_dedup;
    SpanRecorder m_spans; ///< null sink when recordSpans is off
    std::deque<std::pair<Micros, std::string>> m_dedupOrder;
    Envelope m_in;
    Envelope m_out;
    ServerLife m_alive = ServerLife::create();
    std::atomic<bool> m_paused{false}; ///< set from the caller's thread, read on the loop (TSan found it plain)
    ServiceLoop::TimerId m_dedupTimer = 0;

    std::atomic<std::uint64_t> m_served{0};
    std::atomic<std::uint64_t> *m_badFrames;
    std::atomic<std::uint64_t> *m_droppedExpired;
    std::atomic<std::uint64_t> *m_dedupHits;
    std::atomic<std::uint64_t> *m_unknownMethod;
    std::atomic<std::uint64_t> *m_injected;
};

} // namespace dd::net
