// The Delivery History service: stores every delivery status event once and answers History and Query.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/deliveryhistory/HistoryStore.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"

#include <atomic>
#include <memory>

namespace dd::backend {

/// Subscribes losslessly to "delivery.events" (topics "delivery."), fills gaps
/// through the Delivery service's Events.Replay, and after a restart resumes
/// the stream right after the last event it stored. Writes are group-committed:
/// one transaction per batch of events the loop drains.
class DeliveryHistoryService : public BackendService
{
public:
    explicit DeliveryHistoryService(const ServiceContext &context);
    ~DeliveryHistoryService() override;

    std::uint64_t stored() const { return m_stored.load(std::memory_order_relaxed); }
    std::uint64_t duplicates() const { return m_duplicates.load(std::memory_order_relaxed); }
    std::uint64_t badEvents() const { return m_badEvents.load(std::memory_order_relaxed); }

protected:
    void onStart() override;
    void onStop() override;

private:
    void registerHandlers();
    void onEvent(const net::Event &event);
    void commit();

    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<net::RpcClient> m_replay;
    std::unique_ptr<net::Subscriber> m_events;
    std::unique_ptr<RetentionSweeper> m_retention;
    bool m_open = false;
    std::shared_ptr<bool> m_alive;
    std::atomic<std::uint64_t> m_stored{0};
    std::atomic<std::uint64_t> m_duplicates{0};
    std::atomic<std::uint64_t> m_badEvents{0};
};

} // namespace dd::backend
