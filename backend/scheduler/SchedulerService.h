// The Scheduler: takes Ingestion's stream and runs each request's workflow with checkpoints.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/scheduler/FailureReporter.h"
#include "backend/scheduler/TransientRetry.h"
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
    net::Micros reportRetry = 1 * net::kSeconds;
    /// Backoff of a step after transient failures; its window comes from ServiceContext::workflowRetryWindow.
    TransientRetry retry;
};

/// Workflow per request (DESIGN §2): Register → Account → Package → Drone or
/// ThirdParty → Delivery for a schedule; Delivery (→ Drone/ThirdParty release) for a
/// cancel; Delivery for a reschedule. Every step is checkpointed (group commit) before
/// the next starts; every call carries the step's idempotency key, so resuming after a
/// crash repeats no side effect. Transient errors are retried for the retry window
/// (TransientRetry); a nontransient one, or the window spent, fails the workflow: the
/// failure is recorded on the delivery and the FailedTransaction goes to the
/// Supervisor, both from a durable outbox until they succeed.
class SchedulerService : public BackendService
{
public:
    explicit SchedulerService(const ServiceContext &context, SchedulerOptions options = {});
    ~SchedulerService() override;

    struct Counters
    {
        std::atomic<std::uint64_t> accepted{0}, completed{0}, failed{0}, resumed{0}, duplicates{0}, waits{0};
    };
    const Counters &counters() const { return m_counters; }
    std::size_t runningCount() const { return m_runningCount.load(); }

protected:
    void onStart() override;
    void onStop() override;

private:
    void submit(const dronedelivery::v1::StreamBatch &batch, net::Responder responder);
    void retry(const dronedelivery::v1::DeliveryRequest &request, net::Responder responder);
    void find(const dronedelivery::v1::WorkflowLookup &lookup, net::Responder responder);
    bool admit(Workflow workflow, std::uint64_t streamSequence);

    void runStep(const std::string &id);
    void runRegister(Workflow &w, const net::CallOptions &options);
    void runAccount(Workflow &w, const net::CallOptions &options);
    void runPackage(Workflow &w, const net::CallOptions &options);
    void runDrone(Workflow &w, const net::CallOptions &options);
    void runThirdParty(Workflow &w, const net::CallOptions &options);
    void runDelivery(Workflow &w, const net::CallOptions &options);

    /// Wraps a reply handler: it runs only while the service and the workflow still exist.
    template <typename Reply>
    std::function<void(net::RpcResult<Reply> &&)> guarded(const std::string &id,
                                                          std::function<void(Workflow &, net::RpcResult<Reply> &&)> body);
    void stepSucceeded(Workflow &workflow);
    void switchStep(Workflow &workflow, dronedelivery::v1::WorkflowStep step);
    void stepFailed(Workflow &workflow, const net::RpcStatus &status, const std::string &what);
    void fail(Workflow &workflow, const std::string &error);
    void report(const dronedelivery::v1::FailedTransaction &tx);
    void afterCommit(std::function<void()> action);
    void scheduleFlush();
    void flush();
    net::CallOptions callOptions(const Workflow &workflow) const;
    std::string traceOf(const std::string &id) const;
    std::uint32_t credit() const;

    SchedulerOptions m_options;
    std::unique_ptr<WorkflowStore> m_store;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<net::RpcClient> m_account, m_package, m_drone, m_thirdParty, m_delivery, m_supervisor;
    std::unique_ptr<FailureReporter> m_reporter;
    std::unique_ptr<RetentionSweeper> m_retention;
    std::unordered_map<std::string, Workflow> m_running;
    std::unordered_map<std::string, net::TraceContext> m_traces;
    std::vector<std::function<void()>> m_afterCommit;
    bool m_flushScheduled = false;
    std::shared_ptr<bool> m_alive;
    Counters m_counters;
    std::atomic<std::size_t> m_runningCount{0};
};

} // namespace dd::backend
