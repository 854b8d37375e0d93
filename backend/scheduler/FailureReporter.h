// The Scheduler's durable failed-transaction queue, delivered to the Delivery service and the Supervisor.
#pragma once

#include "net/rpc/RpcClient.h"
#include "net/transport/ServiceLoop.h"
#include "workflow.pb.h"

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace dd::backend {

/// For each failed workflow: first Delivery.RecordFailure (the delivery's Location
/// then says Failed, or its history says what failed), then Supervisor.Report (it
/// compensates). Both are idempotent by transaction id; each is retried until it
/// succeeds, and `delivered` runs once both have it (the outbox row may then go).
/// Flow control: at most `window` transactions are in flight at once, the rest wait
/// in order; a receiver that is slow (a failure storm) is not sent more than it can
/// answer, so its answers do not time out and nothing is retried for being late.
/// Loop thread only.
class FailureReporter
{
public:
    using Delivered = std::function<void(const std::string &transactionId)>;

    static constexpr std::size_t kDefaultWindow = 64;

    FailureReporter(net::ServiceLoop &loop, net::RpcClient &delivery, net::RpcClient &supervisor,
                    net::Micros retryAfter, Delivered delivered, std::size_t window = kDefaultWindow);
    ~FailureReporter();
    FailureReporter(const FailureReporter &) = delete;
    FailureReporter &operator=(const FailureReporter &) = delete;

    /// Queues `tx`; it is sent once a place in the window is free.
    void report(const dronedelivery::v1::FailedTransaction &tx);

    std::size_t inFlight() const { return m_inFlight; }
    std::size_t queued() const { return m_queue.size(); }

private:
    void pump();
    void send(const dronedelivery::v1::FailedTransaction &tx);
    void toSupervisor(const dronedelivery::v1::FailedTransaction &tx);
    /// Frees the transaction's place in the window; a failed one is queued again after a pause.
    void finished(const dronedelivery::v1::FailedTransaction &tx, bool delivered);

    net::ServiceLoop &m_loop;
    net::RpcClient &m_delivery;
    net::RpcClient &m_supervisor;
    net::Micros m_retryAfter;
    Delivered m_delivered;
    std::size_t m_window;
    std::size_t m_inFlight = 0;
    bool m_pumping = false;
    std::deque<dronedelivery::v1::FailedTransaction> m_queue;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::backend
