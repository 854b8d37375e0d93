// DEALER side of the mesh RPC: pipelined async calls with deadlines, retries, breakers, balancing.
#pragma once

#include "net/envelope/Envelope.h"
#include "net/resilience/Backoff.h"
#include "net/resilience/RetryBudget.h"
#include "net/rpc/InstancePool.h"
#include "net/rpc/RpcStatus.h"
#include "net/security/SocketSecurity.h"
#include "net/telemetry/RouteMetrics.h"
#include "net/telemetry/SpanFanout.h"
#include "net/telemetry/SpanRecorder.h"
#include "net/transport/EndpointTable.h"
#include "net/transport/ServiceLoop.h"

#include <google/protobuf/message_lite.h>

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

namespace dd::net {

struct ClientOptions
{
    Micros deadline = 2 * kSeconds; ///< per call, all retries included (Envoy route timeout)
    Micros perTryTimeout = 0;       ///< 0: an attempt may use the whole remaining deadline
    RetryConfig retry;
    double retryBudgetRatio = 0.2;
    double retryBudgetMinPerSecond = 10;
    CircuitBreakerConfig breaker;
    double maxEjectionPercent = 50;
    LbPolicy lb = LbPolicy::PeakEwma;
    Micros heartbeatInterval = 1 * kSeconds;
    int heartbeatMisses = 3;
    std::vector<std::pair<std::string, int>> versionWeights; ///< empty: any version
    bool recordSpans = true;
    SpanSink *spans = &SpanFanout::global(); ///< the store, plus the exporter when one is attached
    Random *random = nullptr; ///< null: the loop thread's generator
    SecurityConfig security;
};

struct CallOptions
{
    Micros deadline = 0;      ///< relative; 0 = the client's default
    bool idempotent = false;  ///< only idempotent calls are ever retried
    std::string idempotencyKey;
    TraceContext parent;      ///< invalid = start a new trace
    std::string version;      ///< versioned-routing override ("v2")
    std::uint32_t apiVersion = 1;
};

/// What a call came back with. `payload` is valid only during the callback.
struct RpcReply
{
    RpcStatus status;
    std::string_view payload;
    std::uint32_t attempts = 0;
    Micros latency = 0;
    TraceContext trace; ///< the client span of this call
};

template <typename T>
struct RpcResult
{
    RpcStatus status;
    T value;
    std::uint32_t attempts = 0;
    bool ok() const { return status.ok(); }
};

class RpcClient
{
public:
    using RawCallback = std::function<void(const RpcReply &)>;

    /// `caller` names this side in metrics and envelopes; connects to every
    /// instance of `service` in the table. Create it on its loop's thread or before start().
    RpcClient(ServiceLoop &loop, std::string caller, std::string service, const EndpointTable &endpoints,
              ClientOptions options = {});
    ~RpcClient();

    void callRaw(std::string_view method, std::string_view payload, const CallOptions &options, RawCallback done);

    void call(std::string_view method, const google::protobuf::MessageLite &request, const CallOptions &options,
              RawCallback done);

    template <typename Rep>
    void call(std::string_view method, const google::protobuf::MessageLite &request, const CallOptions &options,
              std::function<void(RpcResult<Rep> &&)> done)
    {
        call(method, request, options, [done = std::move(done)](const RpcReply &reply) {
            RpcResult<Rep> result;
            result.status = reply.status;
            result.attempts = reply.attempts;
            if (reply.status.ok() && !result.value.ParseFromArray(reply.payload.data(), int(reply.payload.size())))
                result.status = {dronedelivery::v1::BAD_REQUEST, "reply does not parse as " + result.value.GetTypeName()};
            done(std::move(result));
        });
    }

    const std::string &service() const { return m_service; }
    std::size_t inFlight() const { return m_active; }
    InstancePool &pool() { return m_pool; }
    RouteMetrics &metrics() { return m_metrics; }
    /// Manual breaker control per instance (the console's isolate / force-close; by
    /// route from any thread: RpcClientRegistry). Loop thread only.
    void isolate(std::size_t instance);
    void forceClose(std::size_t instance);
    void resetBreaker(std::size_t instance);
    /// Fails every call in flight with CANCELLED (service shutting down).
    void cancelAll();

private:
    /// Calls live in reused slots (no allocation per call once warm); a call id is
    /// the slot index plus the slot's generation, so a late reply to a recycled
    /// slot is recognised as stale.
    struct Pending
    {
        bool active = false;
        std::uint32_t generation = 0;
        std::string method;
        std::string payload;
        RawCallback done;
        CallOptions options;
        Micros started = 0;
        Micros deadline = 0;
        Micros attemptStarted = 0;
        Micros attemptDeadline = 0;
        std::uint32_t attempt = 0;
        std::size_t instance = SIZE_MAX;
        bool waitingBackoff = false;
        TraceContext span;
        std::uint64_t parentSpan = 0;
    };

    Pending *find(std::uint64_t id);
    std::uint64_t allocate();
    void release(std::uint64_t id);
    void sendAttempt(std::uint64_t id, Pending &call, Micros now);
    void onReadable(std::size_t instance);
    void onReply(std::size_t instance, const Envelope &envelope, std::string_view payload);
    void attemptFailed(std::uint64_t id, Pending &call, const RpcStatus &status, Micros now, bool notSent = false);
    void complete(std::uint64_t id, Pending &call, const RpcStatus &status, std::string_view payload, Micros now);
    void armSweep(Micros at);
    void sweepDeadlines();
    void sendHeartbeats();
    void publishBreakerState();
    Random &random();

    ServiceLoop &m_loop;
    std::string m_caller;
    std::string m_service;
    ClientOptions m_options;
    InstancePool m_pool;
    RetryBudget m_budget;
    RouteMetrics &m_metrics;
    std::uint64_t m_senderId;
    std::deque<Pending> m_slots; // a deque: slots never move while a callback adds calls
    std::vector<std::uint32_t> m_freeSlots;
    std::size_t m_active = 0;
    // Per relative-deadline queues stay sorted by expiry, so a sweep only looks at fronts.
    std::map<Micros, std::deque<std::pair<Micros, std::uint64_t>>> m_expiries;
    ServiceLoop::TimerId m_sweepTimer = 0;
    Micros m_sweepAt = 0;
    ServiceLoop::TimerId m_heartbeatTimer = 0;
    Envelope m_out;
    Envelope m_in;
    std::string m_spanMethod;
    char m_spanName[sizeof(Span::nameBuf)] = {};
    SpanRecorder m_spans; ///< null sink when recordSpans is off
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::uint64_t m_registryToken = 0; ///< in RpcClientRegistry::global(), for the console's breaker controls
};

} // namespace dd::net
