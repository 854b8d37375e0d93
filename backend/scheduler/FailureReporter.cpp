// FailureReporter: RecordFailure, then Report, each retried after a pause until it succeeds.
#include "backend/scheduler/FailureReporter.h"

#include "backend/scheduler/StepRequests.h"
#include "services.pb.h"

namespace dd::backend {

using namespace dronedelivery::v1;
using net::RpcResult;

FailureReporter::FailureReporter(net::ServiceLoop &loop, net::RpcClient &delivery, net::RpcClient &supervisor,
                                 net::Micros retryAfter, Delivered delivered)
    : m_loop(loop), m_delivery(delivery), m_supervisor(supervisor), m_retryAfter(retryAfter),
      m_delivered(std::move(delivered))
{
}

FailureReporter::~FailureReporter()
{
    *m_alive = false;
}

void FailureReporter::report(const FailedTransaction &tx)
{
    net::CallOptions options;
    options.idempotent = true;
    options.idempotencyKey = "failure/" + tx.transaction_id();
    m_delivery.call<Delivery>("RecordFailure", steps::failureRecord(tx), options,
                              [this, alive = m_alive, tx](RpcResult<Delivery> &&r) {
                                  if (!*alive)
                                      return;
                                  // NOT_FOUND: a reschedule or cancel of a delivery that does not exist.
                                  if (r.ok() || r.status.code == NOT_FOUND)
                                      return toSupervisor(tx);
                                  later(tx);
                              });
}

void FailureReporter::toSupervisor(const FailedTransaction &tx)
{
    net::CallOptions options;
    options.idempotent = true;
    options.idempotencyKey = "report/" + tx.transaction_id();
    m_supervisor.call<FailedTransaction>("Report", tx, options,
                                         [this, alive = m_alive, tx](RpcResult<FailedTransaction> &&r) {
                                             if (!*alive)
                                                 return;
                                             if (!r.ok())
                                                 return later(tx);
                                             m_delivered(tx.transaction_id());
                                         });
}

void FailureReporter::later(const FailedTransaction &tx)
{
    // Durable queue: keep it and try again; the receivers de-duplicate by transaction id.
    m_loop.after(m_retryAfter, [this, alive = m_alive, tx] {
        if (*alive)
            report(tx);
    });
}

} // namespace dd::backend
