// Test double for the Scheduler's "Submit" stream: a real RpcServer that records, acks, fails or stalls on demand.
#pragma once

#include "net/rpc/RpcServer.h"
#include "net/transport/ServiceLoop.h"
#include "workflow.pb.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dd::backend::test {

/// Behaves like the real Scheduler on the stream: skips sequences at or below what it
/// has acknowledged, acknowledges through the highest one seen and grants `credit`.
/// It also checks the producer's side of the contract: no batch larger than the credit
/// the previous ack granted (the producer's initial credit before any ack).
class FakeScheduler
{
public:
    FakeScheduler(std::string endpoint, std::uint32_t initialCredit = 500)
        : m_loop("fake-scheduler"), m_granted(initialCredit)
    {
        m_server = std::make_unique<net::RpcServer>(m_loop, "scheduler", std::move(endpoint));
        m_server->handle<dronedelivery::v1::StreamBatch>(
            "Submit", net::Idempotency::Idempotent,
            [this](const net::CallContext &, const dronedelivery::v1::StreamBatch &batch, net::Responder r) {
                submit(batch, std::move(r));
            });
        m_loop.start();
    }
    ~FakeScheduler()
    {
        m_loop.invoke([this] {
            m_held.clear();
            m_server.reset();
        });
        m_loop.stop();
    }

    std::atomic<int> failNext{0};         ///< answer this many Submits TRANSIENT (not processed)
    std::atomic<int> holdNext{0};         ///< never answer this many Submits (the caller times out)
    std::atomic<std::uint32_t> credit{500}; ///< granted by each ack

    std::vector<std::uint64_t> processed() const
    {
        std::lock_guard lock(m_mutex);
        return m_processed;
    }
    std::vector<dronedelivery::v1::DeliveryRequest> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    std::size_t processedCount() const
    {
        std::lock_guard lock(m_mutex);
        return m_processed.size();
    }
    int submits() const { return m_submits.load(); }
    int emptyBatches() const { return m_emptyBatches.load(); }
    int creditViolations() const { return m_creditViolations.load(); }
    int duplicates() const { return m_duplicates.load(); }
    std::size_t largestBatch() const { return m_largestBatch.load(); }

private:
    void submit(const dronedelivery::v1::StreamBatch &batch, net::Responder responder)
    {
        ++m_submits;
        if (batch.requests_size() == 0)
            ++m_emptyBatches;
        if (std::uint32_t(batch.requests_size()) > m_granted)
            ++m_creditViolations;
        m_largestBatch = std::max<std::size_t>(m_largestBatch.load(), std::size_t(batch.requests_size()));
        if (holdNext.load() > 0) {
            --holdNext;
            m_held.push_back(std::move(responder));
            return;
        }
        if (failNext.load() > 0) {
            --failNext;
            responder.fail(dronedelivery::v1::TRANSIENT, "injected by the test");
            return;
        }
        {
            std::lock_guard lock(m_mutex);
            for (const auto &request : batch.requests()) {
                if (request.stream_sequence() <= m_ackedThrough) {
                    ++m_duplicates;
                    continue;
                }
                m_ackedThrough = request.stream_sequence();
                m_processed.push_back(request.stream_sequence());
                m_requests.push_back(request);
            }
        }
        dronedelivery::v1::StreamAck ack;
        ack.set_acked_through(m_ackedThrough);
        m_granted = credit.load();
        ack.set_credit(m_granted);
        responder.reply(ack);
    }

    net::ServiceLoop m_loop;
    std::unique_ptr<net::RpcServer> m_server;
    std::vector<net::Responder> m_held;
    mutable std::mutex m_mutex;
    std::vector<std::uint64_t> m_processed;
    std::vector<dronedelivery::v1::DeliveryRequest> m_requests;
    std::uint64_t m_ackedThrough = 0;
    std::uint32_t m_granted;
    std::atomic<int> m_submits{0};
    std::atomic<int> m_emptyBatches{0};
    std::atomic<int> m_creditViolations{0};
    std::atomic<int> m_duplicates{0};
    std::atomic<std::size_t> m_largestBatch{0};
};

} // namespace dd::backend::test
