// The Delivery service: deliveries and their stage, status events (lossless, durable), tracking by telemetry.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/delivery/DeliveryLifecycle.h"
#include "backend/delivery/DeliveryStore.h"
#include "backend/common/GroupCommit.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/delivery/StageTracker.h"
#include "net/pubsub/Publisher.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcServer.h"

#include <atomic>
#include <memory>
#include <vector>

namespace dd::backend {

struct DeliveryServiceOptions
{
    net::Micros positionSaveInterval = 3 * net::kSeconds; ///< coalesced last-known positions
    std::size_t replayCapacity = 4096; ///< recent events in memory for Events.Replay; older ones from the store
};

/// Methods (docs/services.md): Register, Create, Reschedule, Cancel, RecordFailure,
/// Get, Status, List, Events.Replay; the stage machine is DeliveryLifecycle. Events: topic "delivery.<id>", type "Delivery<Stage>", payload
/// DeliveryEvent, on endpoint "delivery.events", each persisted with the change
/// that caused it. Writes are group-committed: every change made while the loop
/// drains a batch of requests and telemetry goes into one transaction, committed
/// (fsync) right after; answers wait for that commit.
class DeliveryService : public BackendService
{
public:
    explicit DeliveryService(const ServiceContext &context, DeliveryServiceOptions options = {});
    ~DeliveryService() override;

    std::uint64_t eventsPublished() const { return m_eventsPublished.load(std::memory_order_relaxed); }
    std::uint64_t telemetryReceived() const { return m_telemetryReceived.load(std::memory_order_relaxed); }
    std::uint64_t badTelemetry() const { return m_badTelemetry.load(std::memory_order_relaxed); }

protected:
    void onStart() override;
    void onStop() override;

private:
    void registerHandlers();
    void create(const net::CallContext &ctx, const dronedelivery::v1::Delivery &request, net::Responder responder);
    void registerRequest(const net::CallContext &ctx, const dronedelivery::v1::Delivery &request,
                         net::Responder responder);
    void recordFailure(const net::CallContext &ctx, const dronedelivery::v1::DeliveryFailureRequest &request,
                       net::Responder responder);
    static std::optional<std::pair<std::string, std::string>> invalidDelivery(const dronedelivery::v1::Delivery &request);
    /// Carries out one stage-machine transition and answers (after the commit when it wrote).
    void apply(const net::CallContext &ctx, delivery::Transition transition, net::Responder &responder,
               const dronedelivery::v1::DeliveryFailure *failure = nullptr);
    void reschedule(const net::CallContext &ctx, const dronedelivery::v1::DeliveryRescheduleRequest &request,
                    net::Responder responder);
    void cancel(const net::CallContext &ctx, const dronedelivery::v1::DeliveryIdRequest &request,
                net::Responder responder);
    void get(const dronedelivery::v1::DeliveryIdRequest &request, net::Responder responder);
    void list(const dronedelivery::v1::DeliveryListRequest &request, net::Responder responder);

    void onTelemetry(const net::Event &event);
    void applyChanges(const std::vector<StageChange> &changes);
    void savePositions(std::size_t max = std::size_t(-1));
    void track(const dronedelivery::v1::Delivery &delivery);
    void withLivePosition(dronedelivery::v1::Delivery &delivery) const;

    /// Answers once the current group transaction is durable (now if none is open).
    void replyAfterCommit(net::Responder responder, dronedelivery::v1::Delivery delivery);
    void rebuildTracker();
    /// m_batch->write for changes that publish: their staged events go with their savepoint.
    void writeWithEvents(const std::function<void()> &change);
    void publishEvent(const dronedelivery::v1::Delivery &delivery, dronedelivery::v1::DeliveryStage previous,
                      const std::string &reason, const net::TraceContext &trace = {},
                      const dronedelivery::v1::DeliveryFailure *failure = nullptr);
    void failStore(net::Responder &responder, const SqliteError &error);

    DeliveryServiceOptions m_options;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<StageTracker> m_tracker;
    std::unique_ptr<net::Publisher> m_events;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<net::Subscriber> m_telemetry;
    std::unique_ptr<GroupCommit> m_batch;
    std::unique_ptr<RetentionSweeper> m_retention;
    net::ServiceLoop::TimerId m_positionTimer = 0;
    std::atomic<std::uint64_t> m_eventsPublished{0};
    std::atomic<std::uint64_t> m_telemetryReceived{0};
    std::atomic<std::uint64_t> m_badTelemetry{0};
};

} // namespace dd::backend
