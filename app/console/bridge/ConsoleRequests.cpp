// ConsoleRequests: one Accept per submission; one Supervisor call per selected transaction, reported as one outcome.
#include "bridge/ConsoleRequests.h"

namespace dd::console {

using namespace dronedelivery::v1;
using net::RpcResult;

namespace {
QString text(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

ConsoleRequests::ConsoleRequests(net::RpcClient &ingestion, net::RpcClient &supervisor, net::CallOptions writeOptions,
                                 Outputs outputs)
    : m_ingestion(ingestion), m_supervisor(supervisor), m_writeOptions(std::move(writeOptions)), m_out(std::move(outputs))
{
}

ConsoleRequests::~ConsoleRequests()
{
    *m_alive = false;
}

void ConsoleRequests::submit(const QString &action, DeliveryRequest request, const std::string &idempotencyKey)
{
    const RequestOperation operation = request.operation();
    net::CallOptions options = m_writeOptions;
    options.idempotencyKey = idempotencyKey;
    m_ingestion.call<DeliveryRequest>(
        "Accept", request, options, [this, alive = m_alive, action, operation](RpcResult<DeliveryRequest> &&r) {
            if (!*alive)
                return;
            if (!r.ok()) {
                m_out.finished(action, false, text(r.status.toString()), text(r.status.field));
                return;
            }
            const QString id = text(r.value.delivery_id());
            if (m_out.submitted)
                m_out.submitted(action, id);
            // Only stored: the workflow decides, and its outcome follows (SubmissionTracker).
            const char *verb = operation == SCHEDULE ? "scheduling" : operation == RESCHEDULE ? "rescheduling" : "cancelling";
            m_out.finished(action, true, QStringLiteral("Accepted — %1 %2…").arg(QLatin1String(verb), id), {});
        });
}

void ConsoleRequests::decide(const QString &action, const QStringList &transactionIds, const std::string &comment,
                             const dronedelivery::v1::Credential &credential)
{
    const char *method = action == QLatin1String("approve") ? "Approve"
        : action == QLatin1String("reject")                 ? "Reject"
                                                            : "Retry";
    if (transactionIds.isEmpty()) {
        m_out.finished(action, false, QStringLiteral("select at least one transaction"), QStringLiteral("ids"));
        return;
    }
    struct Tally
    {
        int pending = 0, succeeded = 0;
        net::RpcStatus firstFailure;
        QString failedId;
    };
    auto tally = std::make_shared<Tally>();
    tally->pending = int(transactionIds.size());
    for (const QString &id : transactionIds) {
        SupervisorDecision decision;
        decision.set_transaction_id(id.toStdString());
        *decision.mutable_credential() = credential;
        decision.set_comment(comment);
        m_supervisor.call<FailedTransaction>(
            method, decision, m_writeOptions,
            [this, alive = m_alive, tally, action, id, total = int(transactionIds.size())](RpcResult<FailedTransaction> &&r) {
                if (!*alive)
                    return;
                if (r.ok()) {
                    ++tally->succeeded;
                    m_out.transactionChanged(r.value);
                } else if (tally->failedId.isEmpty()) {
                    tally->firstFailure = r.status;
                    tally->failedId = id;
                }
                if (--tally->pending > 0)
                    return;
                m_out.decided();
                if (tally->failedId.isEmpty()) {
                    m_out.finished(action, true, QStringLiteral("%1: %2 of %2 done").arg(action).arg(total), {});
                    return;
                }
                const QString failure = text(tally->firstFailure.toString());
                m_out.finished(action, false,
                               total == 1 ? failure
                                          : QStringLiteral("%1 of %2 failed, first %3: %4")
                                                .arg(total - tally->succeeded)
                                                .arg(total)
                                                .arg(tally->failedId, failure),
                               text(tally->firstFailure.field));
            });
    }
}

} // namespace dd::console
