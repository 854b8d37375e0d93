// The operator's writes on the bridge thread: submissions through Ingestion.Accept, decisions to the Supervisor.
#pragma once

#include "net/rpc/RpcClient.h"
#include "workflow.pb.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace dd::console {

/// Bridge thread only. Writes are never retried by the mesh (non-idempotent): each
/// outcome, good or bad, goes back to the operator exactly once through finished().
class ConsoleRequests
{
public:
    struct Outputs
    {
        std::function<void(QString action, bool ok, QString message, QString field)> finished;
        std::function<void(QString action, QString deliveryId)> submitted;
        /// A decision's answer: the transaction as the Supervisor now has it.
        std::function<void(const dronedelivery::v1::FailedTransaction &)> transactionChanged;
        /// After every decision batch (the audit log has grown).
        std::function<void()> decided;
    };

    ConsoleRequests(net::RpcClient &ingestion, net::RpcClient &supervisor, net::CallOptions writeOptions,
                    Outputs outputs);
    ~ConsoleRequests();

    /// Ingestion.Accept; `action` names it in finished() ("schedule", "reschedule", "cancel").
    /// The same non-empty `idempotencyKey` again makes no second request: Ingestion answers
    /// with the first one's delivery.
    void submit(const QString &action, dronedelivery::v1::DeliveryRequest request, const std::string &idempotencyKey);
    /// Supervisor.Approve / Reject / Retry for each id; one finished() for all of them.
    /// `credential`: the signed-in person's, minted by the bridge; the Supervisor verifies it.
    void decide(const QString &action, const QStringList &transactionIds, const std::string &comment,
                const dronedelivery::v1::Credential &credential);

private:
    net::RpcClient &m_ingestion;
    net::RpcClient &m_supervisor;
    net::CallOptions m_writeOptions;
    Outputs m_out;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::console
