// FailureReporter: RecordFailure, then Report, a window of them at a time, each retried after a pause until it succeeds.
#include "backend/scheduler/FailureReporter.h"

#include "backend/scheduler/StepRequests.h"
#include "services.pb.h"

#include <algorithm>

namespace dd::backend {

using namespace dronedelivery::v1;
using net::RpcResult;

FailureReporter::FailureReporter(net::ServiceLoop &loop, net::RpcClient &delivery, net::RpcClient &supervisor,
                                 net::Micros retryAfter, Delivered delivered, std::size_t window)
    : m_loop(loop), m_delivery(delivery), m_supervisor(supervisor), m_retryAfter(retryAfter),
      m_delivered(std::move(delivered)), m_window(std::max<std::size_t>(1, window))
{
}

FailureReporter::~FailureReporter()
{
    *m_alive = false;
}

void FailureReporter::report(const FailedTransaction &tx)
{
    m_queue.push_back(tx);
    pump();
}

void FailureReporter::pump()
{
    // A call can answer at once (an open circuit): finished() then lands here again; the
    // outer loop goes on instead, so the stack does not grow with the queue.
    if (m_pumping)
        return;
    m_pumping = true;
    while (m_inFlight < m_window && !m_queue.empty()) {
        FailedTransaction tx = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_inFlight;
        send(tx);
    }
    m_pumping = false;
}

void FailureReporter::send(const FailedTransaction &tx)
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
                                  finished(tx, false);
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
                                             finished(tx, r.ok());
                                         });
}

void FailureReporter::finished(const FailedTransaction &tx, bool delivered)
{
    --m_inFlight;
    if (delivered) {
        m_delivered(tx.transaction_id());
    } else {
        // Durable queue: keep it and try again; the receivers de-duplicate by transaction id.
        m_loop.after(m_retryAfter, [this, alive = m_alive, tx] {
            if (*alive)
                report(tx);
        });
    }
    pump();
}

} // namespace dd::backend
