// The Scheduler: takes Ingestion's stream and runs each request's workflow with checkpoints.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/scheduler/WorkflowStore.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_map>

namespace dd::backend {

struct SchedulerOptions
{
    std::size_t maxRunning = 20000;   ///< workflows in flight; the stream's credit is what is left
    int transientRounds = 3;          ///< re-runs of a step after its calls' own retries gave up
    net::Micros stepBackoff = 200 * net::kMillis;
    net::Micros reportRetry = 1 * net::kSeconds;
};

/// Workflow per request (DESIGN §2): Account → Package → Drone or ThirdParty →
/// Delivery for a schedule; Delivery (→ Drone/ThirdParty release) for a cancel;
/// Delivery for a reschedule. Every step is checkpointed (group commit) before
/// the next starts; every call carries the step's idempotency key, so resuming
/// after a crash repeats no side effect. A failed workflow becomes a
/// FailedTransaction in a durable outbox, delivered to the Supervisor until acked.
class SchedulerService : public BackendService
{
public:
    explicit SchedulerService(const ServiceContext &context, SchedulerOptions options = {});
    ~SchedulerService() override;

    struct Counters
    {
        std::atomic<std::uint64_t> accepted{0}, completed{0}, failed{0}, resumed{0}, duplicates{0};
    };
    const Counters &counters() const { return m_counters; }
    std::size_t runningCount() const { return m_runningCount.load(); }

protected:
    void onStart() override;
    void onStop() override;

private:
    void submit(const dronedelivery::v1::StreamBatch &batch, net::Responder responder);
    void retry(const dronedelivery::v1::DeliveryRequest &request, net::Responder responder);
    bool admit(Workflow workflow, std::uint64_t streamSequence);
    void runStep(const std::string &id);
    void stepSucceeded(Workflow &workflow);
    void stepFailed(Workflow &workflow, const net::RpcStatus &status, const std::string &what);
    void fail(Workflow &workflow, const std::string &error);
    void report(const dronedelivery::v1::FailedTransaction &tx);
    void afterCommit(std::function<void()> action);
    void scheduleFlush();
    void flush();
    net::CallOptions callOptions(const Workflow &workflow) const;
    std::uint32_t credit() const;

    SchedulerOptions m_options;
    std::unique_ptr<WorkflowStore> m_store;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<net::RpcClient> m_account, m_package, m_drone, m_thirdParty, m_delivery, m_supervisor;
    std::unordered_map<std::string, Workflow> m_running;
    std::unordered_map<std::string, net::TraceContext> m_traces;
    std::vector<std::function<void()>> m_afterCommit;
    bool m_flushScheduled = false;
    std::shared_ptr<bool> m_alive;
    Counters m_counters;
    std::atomic<std::size_t> m_runningCount{0};
};

} // namespace dd::backend
