// Ingestion: accepts delivery requests durably (group commit) and streams them to the Scheduler.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/domain/RequestRules.h"
#include "backend/ingestion/AcceptResult.h"
#include "backend/ingestion/Outbox.h"
#include "backend/ingestion/OutboxStreamer.h"
#include "net/rpc/IdempotencyScope.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace dd::backend {

struct IngestionOptions
{
    std::uint64_t maxBacklog = 100000; ///< unacknowledged rows; beyond: BacklogFull (HTTP 503)
    std::size_t maxGroup = 5000;       ///< requests per commit (one fsync)
    StreamerOptions stream;            ///< batches, credit, deadline, redelivery backoff
    /// How long an Idempotency-Key replays, at most: a shorter --retention prunes it sooner.
    net::Micros keyRetention = 24LL * 3600 * net::kSeconds;
    int retryAfterSeconds = 1;         ///< Retry-After while the Scheduler is draining the backlog
    int stalledRetryAfterSeconds = 5;  ///< Retry-After when it has acknowledged nothing for a while
    net::Micros precheckDeadline = 500 * net::kMillis; ///< asking Delivery whether a cancel / reschedule may go ahead
    domain::RequestPolicy policy;      ///< the request rules' choices (free-text places: lenient)
};

/// Counters for /api/services, /metrics and tests; readable from any thread.
struct IngestionStats
{
    std::uint64_t accepted = 0;     ///< requests written to the outbox
    std::uint64_t replayed = 0;     ///< Idempotency-Key replays answered with the first answer
    std::uint64_t rejectedFull = 0; ///< refused because the backlog was full
    std::uint64_t backlog = 0;      ///< written, not yet acknowledged by the Scheduler
    std::uint64_t acked = 0;        ///< acknowledged by the Scheduler
    std::uint64_t commits = 0;      ///< outbox transactions that wrote (appends and acks)
    std::uint64_t batchesSent = 0;  ///< StreamBatch calls, probes and redeliveries included
    std::uint64_t redeliveries = 0; ///< failed or timed-out batches (each is sent again)
};

class IngestionService : public BackendService
{
public:
    using Done = std::function<void(AcceptResult)>;

    explicit IngestionService(const ServiceContext &context);
    IngestionService(const ServiceContext &context, IngestionOptions options);
    ~IngestionService() override;

    /// Thread-safe. SCHEDULE gets a server-assigned delivery id (also its package id
    /// when it has none); RESCHEDULE and CANCEL must carry one. `done` runs exactly once, on the Ingestion thread, after the
    /// COMMIT returned (or at once on the calling thread when the service is not running
    /// or the request is invalid): keep it short and hand the result to your own thread.
    void accept(dronedelivery::v1::DeliveryRequest request, std::string idempotencyKey, Done done);

    /// Thread-safe: the newest request for `deliveryId` still waiting for the Scheduler's
    /// acknowledgement (accepted, not yet a workflow). `done` runs on the Ingestion thread.
    void findPending(std::string deliveryId, std::function<void(std::optional<dronedelivery::v1::DeliveryRequest>)> done);

    IngestionStats stats() const;
    const IngestionOptions &options() const { return m_options; }

    /// Who a request speaks for, its operation and the delivery it changes (none for a
    /// SCHEDULE: the id is assigned here), the scope of its Idempotency-Key.
    static net::IdempotencySubject subjectOf(const dronedelivery::v1::DeliveryRequest &request);
    /// The key `accept` takes: `clientKey` scoped by subjectOf(request); empty for no key.
    static std::string scopedKey(const dronedelivery::v1::DeliveryRequest &request, std::string_view clientKey);

protected:
    void onStart() override;
    void onStop() override;

private:
    struct Incoming
    {
        dronedelivery::v1::DeliveryRequest request;
        std::string idempotencyKey;
        Done done;
    };

    /// The mesh face of accept(): "Accept" (DeliveryRequest → the request as stored),
    /// so the console submits through the same path as the HTTP API, embedded or remote.
    void serveAccept(const net::CallContext &call, const dronedelivery::v1::DeliveryRequest &request,
                     net::Responder responder);
    bool accepting();
    void unavailable(const Done &done);
    /// Cancel and reschedule: asks Delivery for the stage first (StageCheck), then enqueue().
    void precheck(dronedelivery::v1::DeliveryRequest request, std::string idempotencyKey, Done done);
    /// Queues the request for the next group commit.
    void enqueue(dronedelivery::v1::DeliveryRequest request, std::string idempotencyKey, Done done);
    void flush();
    void commit(std::vector<Incoming> &group);
    int retryAfterSeconds() const;
    static std::string newDeliveryId();

    IngestionOptions m_options;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<net::RpcClient> m_scheduler;
    std::unique_ptr<net::RpcClient> m_delivery;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<OutboxStreamer> m_streamer;
    std::unique_ptr<RetentionSweeper> m_retention;
    net::Micros m_lastAckAt = 0;

    std::mutex m_incomingMutex; // guards the three below
    std::vector<Incoming> m_incoming;
    bool m_flushPosted = false;
    bool m_accepting = false;

    std::atomic<std::uint64_t> m_accepted{0};
    std::atomic<std::uint64_t> m_replayed{0};
    std::atomic<std::uint64_t> m_rejectedFull{0};
    std::atomic<std::uint64_t> m_backlog{0};
    std::atomic<std::uint64_t> m_acked{0};
    std::atomic<std::uint64_t> m_commits{0};
    StreamCounters m_streamCounters;
    std::atomic<std::uint64_t> *m_acceptedTotal;
    std::atomic<std::uint64_t> *m_replayedTotal;
    std::atomic<std::uint64_t> *m_rejectedTotal;
    std::atomic<std::uint64_t> *m_ackedTotal;
};

} // namespace dd::backend
