// The Drone service: books drones for deliveries, runs the fleet simulation, publishes telemetry.
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/GroupCommit.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/drone/FleetSimulator.h"
#include "backend/drone/FleetStore.h"
#include "net/pubsub/Publisher.h"
#include "net/rpc/RpcServer.h"

#include <atomic>
#include <memory>
#include <deque>
#include <vector>

namespace dd::backend {

struct DroneServiceOptions
{
    net::Micros tickInterval = 100 * net::kMillis;     ///< real time between simulation steps
    net::Micros fullPublishInterval = 2 * net::kSeconds; ///< every drone, moved or not (late subscribers)
    net::Micros positionSaveInterval = 5 * net::kSeconds; ///< coalesced position writes
    FleetOptions fleet;                                ///< timeScale is taken from the context
};

/// Methods (docs/services.md): Schedule, Cancel, Get, List. Telemetry: topic
/// "telemetry.<droneId>", type "DroneTelemetry", on endpoint "drone.telemetry" (conflated).
/// Bookings and flight phases are written before they are answered or acted on,
/// so a restarted service answers the same, resumes the flights in the air and keeps
/// the drones reserved for a later pickup (they leave at their departure time).
class DroneService : public BackendService
{
public:
    explicit DroneService(const ServiceContext &context, DroneServiceOptions options = {});
    ~DroneService() override;

    std::uint64_t telemetryPublished() const { return m_published.load(std::memory_order_relaxed); }

protected:
    void onStart() override;
    void onStop() override;

private:
    void registerHandlers();
    void schedule(const dronedelivery::v1::DroneScheduleRequest &request, net::Responder responder);
    void cancel(const dronedelivery::v1::DroneCancelRequest &request, net::Responder responder);
    void tick();
    void publish(std::size_t index);
    void savePositions(std::size_t max = std::size_t(-1));
    void failStore(net::Responder &responder, const SqliteError &error);

    DroneServiceOptions m_options;
    std::unique_ptr<FleetStore> m_store;
    std::unique_ptr<GroupCommit> m_commit; ///< bookings of one loop turn share one fsync
    std::unique_ptr<FleetSimulator> m_fleet;
    std::unique_ptr<net::Publisher> m_telemetry;
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<RetentionSweeper> m_retention;
    std::vector<bool> m_unsaved;            ///< moved since their row was last written
    std::deque<std::size_t> m_unsavedOrder; ///< those drones, oldest first
    std::vector<net::ServiceLoop::TimerId> m_timers;
    net::Micros m_lastFullPublish = 0;
    std::atomic<std::uint64_t> m_published{0};
};

} // namespace dd::backend
