// The Scheduler's durable failed-transaction queue, delivered to the Delivery service and the Supervisor.
#pragma once

#include "net/rpc/RpcClient.h"
#include "net/transport/ServiceLoop.h"
#include "workflow.pb.h"

#include <functional>
#include <memory>
#include <string>

namespace dd::backend {

/// For each failed workflow: first Delivery.RecordFailure (the delivery's Location
/// then says Failed, or its history says what failed), then Supervisor.Report (it
/// compensates). Both are idempotent by transaction id; each is retried until it
/// succeeds, and `delivered` runs once both have it (the outbox row may then go).
/// Loop thread only.
class FailureReporter
{
public:
    using Delivered = std::function<void(const std::string &transactionId)>;

    FailureReporter(net::ServiceLoop &loop, net::RpcClient &delivery, net::RpcClient &supervisor,
                    net::Micros retryAfter, Delivered delivered);
    ~FailureReporter();
    FailureReporter(const FailureReporter &) = delete;
    FailureReporter &operator=(const FailureReporter &) = delete;

    void report(const dronedelivery::v1::FailedTransaction &tx);

private:
    void toSupervisor(const dronedelivery::v1::FailedTransaction &tx);
    void later(const dronedelivery::v1::FailedTransaction &tx);

    net::ServiceLoop &m_loop;
    net::RpcClient &m_delivery;
    net::RpcClient &m_supervisor;
    net::Micros m_retryAfter;
    Delivered m_delivered;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::backend
