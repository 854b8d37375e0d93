// DroneService: Schedule/Cancel/Get/List over the fleet, the simulation tick and its telemetry.
#include "backend/common/StoreErrors.h"
#include "backend/drone/DroneService.h"
#include "backend/common/WriteBehind.h"

#include "backend/common/Geo.h"

#include <QLoggingCategory>

#include <cmath>
#include <unordered_set>

Q_LOGGING_CATEGORY(lcDrone, "dd.backend.drone")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::CallContext;
using net::Idempotency;
using net::Responder;

namespace {
constexpr std::uint32_t kDefaultListLimit = 100;
constexpr std::uint32_t kMaxListLimit = 1000;

bool validCoordinates(const Location &location)
{
    return std::isfinite(location.latitude()) && std::isfinite(location.longitude())
        && std::abs(location.latitude()) <= 90 && std::abs(location.longitude()) <= 180;
}

DroneScheduleReply replyOf(const Assignment &assignment)
{
    DroneScheduleReply reply;
    reply.set_drone_id(assignment.droneId);
    reply.set_pickup_eta_us(assignment.pickupEta);
    reply.set_dropoff_eta_us(assignment.dropoffEta);
    return reply;
}
} // namespace

DroneService::DroneService(const ServiceContext &context, DroneServiceOptions options)
    : BackendService("drone", context), m_options(options)
{
}

DroneService::~DroneService()
{
    stop();
}

void DroneService::onStart()
{
    m_store = std::make_unique<FleetStore>(context().storePath("drone"));
    m_commit = std::make_unique<GroupCommit>(loop(), m_store->db());
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("assignments", [this](net::Micros cutoff, std::size_t slice) {
        std::size_t removed = 0;
        m_commit->write([&] { removed = m_store->pruneReleasedBefore(cutoff, slice); });
        return removed;
    });
    m_retention->start();
    FleetOptions fleetOptions = m_options.fleet;
    fleetOptions.timeScale = context().timeScale;
    m_fleet = std::make_unique<FleetSimulator>(*context().clock, fleetOptions);

    // Drones already in the store keep their state (and flights); the seed fills up the rest.
    std::unordered_set<std::string> stored;
    for (FleetDrone &drone : m_store->loadDrones()) {
        stored.insert(drone.id);
        m_fleet->addDrone(std::move(drone));
    }
    std::vector<FleetDrone> fresh;
    for (FleetDrone &drone : FleetSimulator::generateFleet(context().fleetSize, context().seed))
        if (!stored.count(drone.id))
            fresh.push_back(std::move(drone));
    m_store->transaction([&] {
        for (const FleetDrone &drone : fresh)
            m_store->saveDrone(drone);
    });
    for (FleetDrone &drone : fresh)
        m_fleet->addDrone(std::move(drone));
    m_fleet->takePhaseChanges();
    m_fleet->takeChanged();
    m_unsaved.assign(m_fleet->size(), false);
    m_lastFullPublish = 0; // the first tick publishes every drone

    net::PublisherOptions publisherOptions;
    publisherOptions.policy = net::HwmPolicy::Conflate;
    publisherOptions.security = context().security;
    m_telemetry = std::make_unique<net::Publisher>(name(), context().endpoints.endpoint("drone.telemetry"),
                                                   publisherOptions);
    m_server = makeServer();
    registerHandlers();
    m_timers.push_back(loop().every(m_options.tickInterval, [this] { tick(); }));
    m_timers.push_back(loop().every(m_options.positionSaveInterval / kWriteBehindSlices,
                                    [this] { savePositions(writeBehindSlice(m_unsavedOrder.size())); }));
}

void DroneService::onStop()
{
    m_retention.reset();
    for (auto timer : m_timers)
        loop().cancel(timer);
    m_timers.clear();
    if (m_store && m_fleet)
        savePositions();
    m_server.reset();
    m_commit.reset(); // commits (and answers) what the last turn wrote
    m_telemetry.reset();
    m_fleet.reset();
    m_store.reset();
}

void DroneService::registerHandlers()
{
    m_server->handle<DroneScheduleRequest>(
        "Schedule", Idempotency::NonIdempotent,
        [this](const CallContext &, const DroneScheduleRequest &request, Responder r) { schedule(request, std::move(r)); });
    m_server->handle<DroneCancelRequest>(
        "Cancel", Idempotency::NonIdempotent,
        [this](const CallContext &, const DroneCancelRequest &request, Responder r) { cancel(request, std::move(r)); });
    m_server->handle<DroneIdRequest>(
        "Get", Idempotency::Idempotent, [this](const CallContext &, const DroneIdRequest &request, Responder r) {
            if (request.drone_id().empty())
                return r.fail(BAD_REQUEST, "drone_id is required", "drone_id");
            const auto index = m_fleet->indexOf(request.drone_id());
            if (!index)
                return r.fail(NOT_FOUND, "no drone " + request.drone_id());
            r.reply(m_fleet->telemetry(*index));
        });
    m_server->handle<DroneListRequest>(
        "List", Idempotency::Idempotent, [this](const CallContext &, const DroneListRequest &request, Responder r) {
            const std::uint32_t limit =
                request.limit() == 0 ? kDefaultListLimit : std::min(request.limit(), kMaxListLimit);
            DroneList list;
            for (std::size_t index : m_fleet->page(request.after(), limit))
                *list.add_drones() = m_fleet->telemetry(index);
            r.reply(list);
        });
}

void DroneService::schedule(const DroneScheduleRequest &request, Responder responder)
{
    if (request.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    if (!request.has_pickup() || !validCoordinates(request.pickup()))
        return responder.fail(BAD_REQUEST, "pickup must be valid coordinates", "pickup");
    if (!request.has_dropoff() || !validCoordinates(request.dropoff()))
        return responder.fail(BAD_REQUEST, "dropoff must be valid coordinates", "dropoff");
    if (!std::isfinite(request.weight()) || request.weight() < 0)
        return responder.fail(BAD_REQUEST, "weight must be a non-negative number of kilograms", "weight");
    try {
        // The same delivery again (a retry, a resumed workflow): the first booking's answer.
        if (auto stored = m_store->findAssignment(request.delivery_id());
            stored && stored->status != AssignmentStatus::Cancelled)
            return responder.reply(replyOf(stored->assignment));
        // Out of our area is out of our drones' range: a third party's job, like a too heavy parcel.
        if (!geo::insideServiceArea(request.pickup()) || !geo::insideServiceArea(request.dropoff()))
            return responder.fail(CONFLICT, "no drone available: outside the service area");
        // A pickup time further ahead than the flight there reserves the drone until it must leave;
        // none, or one in the past, means as soon as possible (FleetSimulator::assign).
        auto assignment = m_fleet->assign(request.delivery_id(), request.pickup(), request.dropoff(), request.weight(),
            request.expedited(), request.pickup_at_us());
        if (!assignment)
            return responder.fail(CONFLICT, "no drone available");
        const std::size_t index = *m_fleet->activeDrone(request.delivery_id());
        try {
            m_commit->write([&] {
                m_store->saveAssignment({*assignment, AssignmentStatus::Active, false});
                m_store->saveDrone(m_fleet->drone(index));
            });
        } catch (const SqliteError &) {
            m_fleet->release(request.delivery_id()); // not durable: not booked
            throw;
        }
        // Answered once the booking is durable; bookings of one turn share the fsync.
        auto shared = std::make_shared<Responder>(std::move(responder));
        m_commit->afterCommit([shared, reply = replyOf(*assignment)] { shared->reply(reply); },
                              [this, shared, deliveryId = request.delivery_id()](const SqliteError &error) {
                                  m_fleet->release(deliveryId);
                                  failStore(*shared, error);
                              });
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DroneService::cancel(const DroneCancelRequest &request, Responder responder)
{
    if (request.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    try {
        DroneCancelReply reply;
        const auto stored = m_store->findAssignment(request.delivery_id());
        reply.set_existed(stored.has_value());
        if (!stored)
            return responder.reply(reply);
        reply.set_drone_id(stored->assignment.droneId);
        switch (stored->status) {
        case AssignmentStatus::Cancelled:
            reply.set_airborne(stored->airborneAtCancel);
            break;
        case AssignmentStatus::Delivered: // nothing left to release
            break;
        case AssignmentStatus::Active: {
            const auto released = m_fleet->release(request.delivery_id());
            reply.set_airborne(released && released->airborne);
            m_commit->write([&] {
                m_store->setAssignmentStatus(request.delivery_id(), AssignmentStatus::Cancelled, reply.airborne());
                if (released)
                    m_store->saveDrone(m_fleet->drone(*m_fleet->indexOf(released->droneId)));
            });
            break;
        }
        }
        auto shared = std::make_shared<Responder>(std::move(responder));
        m_commit->afterCommit([shared, reply] { shared->reply(reply); },
                              [this, shared](const SqliteError &error) { failStore(*shared, error); });
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DroneService::tick()
{
    m_fleet->tick();
    // Phase changes are written at once: a restart resumes each flight on the right leg.
    const auto phases = m_fleet->takePhaseChanges();
    if (!phases.empty()) {
        try {
            m_store->transaction([&] {
                for (const PhaseChange &change : phases) {
                    m_store->saveDrone(m_fleet->drone(change.index));
                    if (change.from == FLYING_TO_DROPOFF && change.to == RETURNING)
                        m_store->setAssignmentStatus(change.deliveryId, AssignmentStatus::Delivered);
                }
            });
        } catch (const SqliteError &error) {
            qCWarning(lcDrone) << "cannot save flight phases:" << error.what();
        }
    }
    const auto changed = m_fleet->takeChanged();
    if (m_unsaved.size() < m_fleet->size())
        m_unsaved.resize(m_fleet->size(), false);
    for (std::size_t index : changed)
        if (!m_unsaved[index]) {
            m_unsaved[index] = true;
            m_unsavedOrder.push_back(index);
        }

    const net::Micros now = context().clock->now();
    if (now - m_lastFullPublish >= m_options.fullPublishInterval) {
        m_lastFullPublish = now;
        for (std::size_t index = 0; index < m_fleet->size(); ++index)
            publish(index);
    } else {
        for (std::size_t index : changed)
            publish(index);
    }
}

void DroneService::publish(std::size_t index)
{
    const DroneTelemetry telemetry = m_fleet->telemetry(index);
    m_telemetry->publish("telemetry." + telemetry.drone_id(), "DroneTelemetry", telemetry);
    m_published.fetch_add(1, std::memory_order_relaxed);
}

void DroneService::savePositions(std::size_t max)
{
    const std::size_t count = std::min(max, m_unsavedOrder.size());
    if (count == 0)
        return;
    try {
        m_store->transaction([&] {
            for (std::size_t i = 0; i < count; ++i)
                m_store->saveDrone(m_fleet->drone(m_unsavedOrder[i]));
        });
        for (std::size_t i = 0; i < count; ++i)
            m_unsaved[m_unsavedOrder[i]] = false;
        m_unsavedOrder.erase(m_unsavedOrder.begin(), m_unsavedOrder.begin() + long(count));
    } catch (const SqliteError &error) {
        qCWarning(lcDrone) << "cannot save drone positions:" << error.what();
    }
}

void DroneService::failStore(Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "drone");
}

} // namespace dd::backend
