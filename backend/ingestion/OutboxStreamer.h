// Streams the outbox to the Scheduler ("Submit"): batches in sequence order within credit, redelivery on failure.
#pragma once

#include "backend/ingestion/Outbox.h"
#include "net/rpc/RpcClient.h"
#include "net/transport/ServiceLoop.h"

#include <atomic>
#include <functional>
#include <memory>

namespace dd::backend {

struct StreamerOptions
{
    std::size_t maxBatch = 500;         ///< requests per StreamBatch
    std::uint32_t initialCredit = 500;  ///< what may be sent before the first StreamAck
    net::Micros deadline = 2 * net::kSeconds;
    net::Micros backoffMin = 50 * net::kMillis;  ///< first redelivery delay, doubled per failure
    net::Micros backoffMax = 2 * net::kSeconds;
    net::Micros creditProbeInterval = 100 * net::kMillis; ///< credit 0: ask again (empty batch) this often
};

/// Outlives the streamer (owned by the service) so other threads can read it any time.
struct StreamCounters
{
    std::atomic<std::uint64_t> batchesSent{0};  ///< Submit calls, probes and redeliveries included
    std::atomic<std::uint64_t> redeliveries{0}; ///< failed or timed-out attempts, each sent again
};

/// One batch in flight at a time, always starting at the first unacknowledged row:
/// an ack deletes what it covers and grants the credit for the next batch; a failure
/// or timeout redelivers from the first unacknowledged row after a backoff (the
/// Scheduler skips sequences it has checkpointed already). Loop thread only.
class OutboxStreamer
{
public:
    OutboxStreamer(net::ServiceLoop &loop, Outbox &outbox, net::RpcClient &scheduler, StreamerOptions options,
                   StreamCounters &counters);
    ~OutboxStreamer();
    OutboxStreamer(const OutboxStreamer &) = delete;
    OutboxStreamer &operator=(const OutboxStreamer &) = delete;

    /// Rows were committed (or the service started): send if idle.
    void kick();
    /// Called with the number of rows each ack covered.
    void setOnAcked(std::function<void(std::uint64_t)> onAcked) { m_onAcked = std::move(onAcked); }

    std::uint32_t credit() const { return m_credit; }
    bool inFlight() const { return m_inFlight; }

private:
    void send();
    void sendBatch(std::size_t count);
    void onReply(const net::RpcReply &reply);
    void failed(const std::string &why);
    void sendAfter(net::Micros delay);
    void onTimer();

    net::ServiceLoop &m_loop;
    Outbox &m_outbox;
    net::RpcClient &m_scheduler;
    StreamerOptions m_options;
    std::function<void(std::uint64_t)> m_onAcked;
    std::uint32_t m_credit;
    bool m_inFlight = false;
    std::size_t m_sentInFlight = 0;
    net::ServiceLoop::TimerId m_timer = 0;
    int m_failures = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    StreamCounters &m_counters;
};

} // namespace dd::backend
