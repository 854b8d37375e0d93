// The Supervisor: compensates failed transactions, automatically or after a supervisor's approval.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/GroupCommit.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/supervisor/TransactionStore.h"
#include "net/pubsub/Publisher.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/telemetry/MetricsRegistry.h"

#include <atomic>
#include <vector>

#include <memory>
#include <set>

namespace dd::backend {

struct SupervisorOptions
{
    int maxCompensationAttempts = 5;             ///< then the step is escalated to a person
    net::Micros retryBackoff = 500 * net::kMillis; ///< doubles per attempt
    /// "supervisor.events" kept for Events.Replay: in memory, and the newest this many in the
    /// store (older rows are pruned), so a subscriber can replay across a restart.
    std::size_t replayCapacity = 4096;
};

/// Reads the Scheduler's failed-transaction queue (Report), undoes completed
/// steps in reverse order (Scheduler Agent Supervisor pattern), keeps costly
/// undos for a supervisor (Approve / Reject), retries and escalates failed
/// compensations, writes every decision to the audit log and publishes each
/// change on "supervisor.events".
class SupervisorService : public BackendService
{
public:
    explicit SupervisorService(const ServiceContext &context, SupervisorOptions options = {});
    ~SupervisorService() override;

protected:
    void onStart() override;
    void onStop() override;

private:
    void onReport(const dronedelivery::v1::FailedTransaction &reported, net::Responder responder);
    /// Answers once the change is durable; a failed commit answers TRANSIENT (the caller retries).
    void replyAfterCommit(net::Responder responder, const dronedelivery::v1::FailedTransaction &tx);
    /// Picks up what a previous run (or a rolled-back commit) left half done.
    void resumeUnfinished();
    enum class Action { Approve, Reject, Retry };
    void onDecision(Action action, const dronedelivery::v1::SupervisorDecision &decision, net::Responder responder);
    void advance(const std::string &transactionId);
    void runCompensation(dronedelivery::v1::FailedTransaction &tx, int index);
    void compensationFinished(const std::string &transactionId, int index, const net::RpcStatus &status);
    /// Stores the transaction and its TransactionUpdated event in one commit, then publishes it.
    void save(dronedelivery::v1::FailedTransaction &tx);
    /// One audit row: `who` is the verified identity (never a claim from the request).
    void audit(const dronedelivery::v1::SupervisorDecision &decision, const identity::VerifiedIdentity &who,
               const char *action, const std::string &outcome);
    /// Refreshes the awaiting-approval figures /metrics reads (from the store).
    void refreshAwaitingApproval();
    void registerMetrics();

    SupervisorOptions m_options;
    std::unique_ptr<TransactionStore> m_store;
    /// Every save of a loop turn in one transaction and one fsync; answers and events wait for it.
    std::unique_ptr<GroupCommit> m_commit;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<net::Publisher> m_events;
    std::unique_ptr<RetentionSweeper> m_retention;
    std::unique_ptr<net::RpcClient> m_drone, m_thirdParty, m_package, m_delivery, m_scheduler;
    std::set<std::string> m_busy; ///< transactions with a compensation call in flight
    std::shared_ptr<bool> m_alive;
    // Written on the service loop, read by scrapes on the gateway's thread.
    std::atomic<std::uint64_t> m_awaitingApproval{0};
    std::atomic<net::Micros> m_oldestAwaitingSince{0}; ///< updated_at of the oldest, 0: none
    std::vector<net::MetricsRegistry::Registration> m_metricRegistrations;
};

} // namespace dd::backend
