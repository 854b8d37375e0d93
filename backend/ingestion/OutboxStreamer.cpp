// OutboxStreamer: credit-based, in-order, at-least-once delivery of the outbox to the Scheduler.
#include "backend/ingestion/OutboxStreamer.h"

#include "workflow.pb.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcStreamer, "dd.backend.ingestion.stream")

namespace dd::backend {

OutboxStreamer::OutboxStreamer(net::ServiceLoop &loop, Outbox &outbox, net::RpcClient &scheduler,
                               StreamerOptions options, StreamCounters &counters)
    : m_loop(loop), m_outbox(outbox), m_scheduler(scheduler), m_options(options), m_credit(options.initialCredit),
      m_counters(counters)
{
}

OutboxStreamer::~OutboxStreamer()
{
    *m_alive = false;
    if (m_timer)
        m_loop.cancel(m_timer);
}

void OutboxStreamer::kick()
{
    if (!m_inFlight && m_timer == 0)
        send();
}

void OutboxStreamer::send()
{
    if (m_inFlight || m_outbox.backlog() == 0)
        return;
    if (m_credit == 0) {
        // The Scheduler is full: ask again later with an empty batch (a credit probe).
        if (m_timer == 0)
            sendAfter(m_options.creditProbeInterval);
        return;
    }
    const std::uint64_t count = std::min<std::uint64_t>({m_credit, m_options.maxBatch, m_outbox.backlog()});
    sendBatch(std::size_t(count));
}

void OutboxStreamer::sendBatch(std::size_t count)
{
    dronedelivery::v1::StreamBatch batch;
    try {
        // Always from the first unacknowledged row: a redelivery is the same prefix again.
        for (auto &request : m_outbox.pending(m_outbox.ackedThrough(), count))
            *batch.add_requests() = std::move(request);
    } catch (const SqliteError &e) {
        failed(std::string("reading the outbox: ") + e.what());
        return;
    }
    net::CallOptions options;
    options.deadline = m_options.deadline;
    m_inFlight = true;
    m_sentInFlight = std::size_t(batch.requests_size());
    m_counters.batchesSent.fetch_add(1, std::memory_order_relaxed);
    m_scheduler.call("Submit", batch, options, [this, alive = m_alive](const net::RpcReply &reply) {
        if (*alive)
            onReply(reply);
    });
}

void OutboxStreamer::onReply(const net::RpcReply &reply)
{
    m_inFlight = false;
    if (!reply.status.ok()) {
        failed(reply.status.toString());
        return;
    }
    dronedelivery::v1::StreamAck ack;
    if (!ack.ParseFromArray(reply.payload.data(), int(reply.payload.size()))) {
        failed("StreamAck does not parse");
        return;
    }
    std::uint64_t acknowledged = 0;
    try {
        acknowledged = m_outbox.acknowledge(ack.acked_through());
    } catch (const SqliteError &e) {
        failed(std::string("recording the ack: ") + e.what());
        return;
    }
    m_credit = ack.credit();
    if (acknowledged > 0 && m_onAcked)
        m_onAcked(acknowledged);
    if (m_sentInFlight > 0 && acknowledged == 0 && m_credit > 0) {
        // Rows sent, nothing acknowledged, yet more credit: don't spin resending them.
        failed("the ack did not cover the batch");
        return;
    }
    m_failures = 0;
    send();
}

void OutboxStreamer::failed(const std::string &why)
{
    ++m_failures;
    m_counters.redeliveries.fetch_add(1, std::memory_order_relaxed);
    net::Micros delay = m_options.backoffMin;
    for (int i = 1; i < m_failures && delay < m_options.backoffMax; ++i)
        delay *= 2;
    delay = std::min(delay, m_options.backoffMax);
    if (m_failures == 1 || m_failures % 20 == 0)
        qCInfo(lcStreamer).noquote() << "stream to scheduler failed (" << m_failures
                                     << "in a row), redelivering from sequence" << (m_outbox.ackedThrough() + 1)
                                     << "in" << delay / net::kMillis << "ms:" << QString::fromStdString(why);
    sendAfter(delay);
}

void OutboxStreamer::sendAfter(net::Micros delay)
{
    if (m_timer)
        m_loop.cancel(m_timer);
    m_timer = m_loop.after(delay, [this, alive = m_alive] {
        if (!*alive)
            return;
        m_timer = 0;
        onTimer();
    });
}

void OutboxStreamer::onTimer()
{
    if (m_inFlight || m_outbox.backlog() == 0)
        return;
    if (m_credit == 0)
        sendBatch(0); // credit probe: the ack tells how much the Scheduler takes now
    else
        send();
}

} // namespace dd::backend
