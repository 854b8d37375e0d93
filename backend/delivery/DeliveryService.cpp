// DeliveryService: the RPC methods, the telemetry-driven stage changes and the status events they publish.
#include "backend/common/StoreErrors.h"
#include "backend/delivery/DeliveryService.h"
#include "backend/common/WriteBehind.h"

#include "backend/delivery/DeliveryLifecycle.h"
#include "backend/delivery/DeliveryRules.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDelivery, "dd.backend.delivery")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::CallContext;
using net::Idempotency;
using net::Responder;
using namespace delivery;

namespace {
constexpr std::uint32_t kDefaultListLimit = 50;
constexpr std::uint32_t kMaxListLimit = 500;
constexpr std::size_t kMaxIdLength = 256;

} // namespace

DeliveryService::DeliveryService(const ServiceContext &context, DeliveryServiceOptions options)
    : BackendService("delivery", context), m_options(options)
{
}

DeliveryService::~DeliveryService()
{
    stop();
}

void DeliveryService::onStart()
{
    m_store = std::make_unique<DeliveryStore>(context().storePath("delivery"), *context().clock);

    // The event stream continues where it stopped, replayable across the restart.
    net::PublisherOptions publisherOptions;
    publisherOptions.policy = net::HwmPolicy::Lossless;
    publisherOptions.replayCapacity = m_options.replayCapacity;
    publisherOptions.firstSequence = m_store->lastEventSequence() + 1;
    publisherOptions.security = context().security;
    // Events are staged in the open group transaction and sent once it is durable (publishEvent),
    // so every number a subscriber heard is in the store and the next start continues above it.
    publisherOptions.persist = [this](const net::StoredEvent &event) { m_store->appendEvent(event); };
    // Replay is served on this thread, so the store sees even the not yet committed batch.
    publisherOptions.history = [this](std::uint64_t from, std::size_t max) { return m_store->eventsFrom(from, max); };
    m_events = std::make_unique<net::Publisher>(name(), context().endpoints.endpoint("delivery.events"),
                                                std::move(publisherOptions));
    m_events->restore(m_store->recentEvents(m_options.replayCapacity));

    m_batch = std::make_unique<GroupCommit>(loop(), m_store->db());
    // A failed commit undid changes the tracker already made: start it again from what is durable.
    m_batch->setRollbackHandler([this] { rebuildTracker(); });
    rebuildTracker();

    m_server = makeServer();
    registerHandlers();
    m_events->serveReplay(*m_server);

    std::vector<std::string> telemetryEndpoints;
    for (const auto &instance : context().endpoints.instances("drone.telemetry"))
        telemetryEndpoints.push_back(instance.endpoint);
    net::SubscriberOptions subscriberOptions;
    subscriberOptions.policy = net::HwmPolicy::Conflate;
    subscriberOptions.security = context().security;
    m_telemetry = std::make_unique<net::Subscriber>(loop(), name(), "drone", telemetryEndpoints, subscriberOptions);
    m_telemetry->subscribe("telemetry.");
    m_telemetry->setHandler([this](const net::Event &event) { onTelemetry(event); });
    m_positionTimer = loop().every(m_options.positionSaveInterval / kWriteBehindSlices,
                                   [this] { savePositions(writeBehindSlice(m_tracker->dirtyBacklog())); });
    // Each slice joins the open group transaction (or opens one): no fsync of its own.
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("deliveries", [this](net::Micros cutoff, std::size_t slice) {
        std::size_t removed = 0;
        m_batch->write([&] { removed = m_store->pruneDeliveriesBefore(cutoff, slice); });
        return removed;
    });
    m_retention->add("events", [this](net::Micros cutoff, std::size_t slice) {
        std::size_t removed = 0;
        m_batch->write([&] { removed = m_store->pruneEventsBefore(cutoff, slice); });
        return removed;
    });
    m_retention->start();
}

void DeliveryService::onStop()
{
    m_retention.reset();
    if (m_positionTimer)
        loop().cancel(m_positionTimer);
    m_positionTimer = 0;
    m_telemetry.reset();
    if (m_batch && m_tracker) {
        savePositions();
        m_batch->commit(); // answers everything still waiting for durability
    }
    m_batch.reset();
    m_server.reset();
    m_events.reset();
    m_tracker.reset();
    m_store.reset();
}

void DeliveryService::registerHandlers()
{
    m_server->handle<Delivery>("Create", Idempotency::NonIdempotent,
                               [this](const CallContext &ctx, const Delivery &request, Responder r) {
                                   create(ctx, request, std::move(r));
                               });
    // Register and RecordFailure leave the same state when repeated: safe to retry.
    m_server->handle<Delivery>("Register", Idempotency::Idempotent,
                               [this](const CallContext &ctx, const Delivery &request, Responder r) {
                                   registerRequest(ctx, request, std::move(r));
                               });
    m_server->handle<DeliveryFailureRequest>(
        "RecordFailure", Idempotency::Idempotent,
        [this](const CallContext &ctx, const DeliveryFailureRequest &request, Responder r) {
            recordFailure(ctx, request, std::move(r));
        });
    m_server->handle<DeliveryRescheduleRequest>(
        "Reschedule", Idempotency::NonIdempotent,
        [this](const CallContext &ctx, const DeliveryRescheduleRequest &request, Responder r) {
            reschedule(ctx, request, std::move(r));
        });
    m_server->handle<DeliveryIdRequest>("Cancel", Idempotency::NonIdempotent,
                                        [this](const CallContext &ctx, const DeliveryIdRequest &request, Responder r) {
                                            cancel(ctx, request, std::move(r));
                                        });
    for (const char *method : {"Get", "Status"})
        m_server->handle<DeliveryIdRequest>(
            method, Idempotency::Idempotent,
            [this](const CallContext &, const DeliveryIdRequest &request, Responder r) { get(request, std::move(r)); });
    m_server->handle<DeliveryListRequest>(
        "List", Idempotency::Idempotent,
        [this](const CallContext &, const DeliveryListRequest &request, Responder r) { list(request, std::move(r)); });
}

void DeliveryService::create(const CallContext &ctx, const Delivery &request, Responder responder)
{
    if (auto invalid = invalidDelivery(request))
        return responder.fail(BAD_REQUEST, invalid->second, invalid->first);
    try {
        apply(ctx, onCreate(m_store->find(request.delivery_id()), request, context().clock->now()), responder);
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::registerRequest(const CallContext &ctx, const Delivery &request, Responder responder)
{
    if (auto invalid = invalidDelivery(request))
        return responder.fail(BAD_REQUEST, invalid->second, invalid->first);
    try {
        apply(ctx, onRegister(m_store->find(request.delivery_id()), request, context().clock->now()), responder);
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::recordFailure(const CallContext &ctx, const DeliveryFailureRequest &request,
                                    Responder responder)
{
    if (request.delivery_id().empty() || request.delivery_id().size() > kMaxIdLength)
        return responder.fail(BAD_REQUEST, "delivery_id is required (at most 256 characters)", "delivery_id");
    try {
        apply(ctx, onFailure(m_store->find(request.delivery_id()), request, context().clock->now()), responder,
              &request.failure());
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

std::optional<std::pair<std::string, std::string>> DeliveryService::invalidDelivery(const Delivery &request)
{
    if (request.delivery_id().empty() || request.delivery_id().size() > kMaxIdLength)
        return std::make_pair(std::string("delivery_id"), std::string("delivery_id is required (at most 256 characters)"));
    if (request.owner_id().empty())
        return std::make_pair(std::string("owner_id"), std::string("owner_id is required"));
    if (request.has_pickup() && !validCoordinates(request.pickup()))
        return std::make_pair(std::string("pickup"), std::string("pickup has invalid coordinates"));
    if (request.has_dropoff() && !validCoordinates(request.dropoff()))
        return std::make_pair(std::string("dropoff"), std::string("dropoff has invalid coordinates"));
    return std::nullopt;
}

void DeliveryService::apply(const CallContext &ctx, Transition transition, Responder &responder,
                            const DeliveryFailure *failure)
{
    switch (transition.kind) {
    case Transition::Kind::Refuse: return responder.fail(transition.code, transition.message);
    case Transition::Kind::Replay:
        withLivePosition(transition.delivery);
        return replyAfterCommit(std::move(responder), std::move(transition.delivery));
    case Transition::Kind::Event:
        writeWithEvents([&] { publishEvent(transition.delivery, transition.previous, transition.reason, ctx.trace, failure); });
        return replyAfterCommit(std::move(responder), std::move(transition.delivery));
    case Transition::Kind::Write:
        writeWithEvents([&] {
            m_store->save(transition.delivery);
            publishEvent(transition.delivery, transition.previous, transition.reason, ctx.trace, failure);
        });
        if (transition.delivery.stage() == STAGE_CANCELLED)
            m_tracker->untrack(transition.delivery.delivery_id());
        else
            track(transition.delivery);
        return replyAfterCommit(std::move(responder), std::move(transition.delivery));
    }
}

void DeliveryService::reschedule(const CallContext &ctx, const DeliveryRescheduleRequest &request,
                                 Responder responder)
{
    if (request.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    if (request.has_pickup() && !validCoordinates(request.pickup()))
        return responder.fail(BAD_REQUEST, "pickup has invalid coordinates", "pickup");
    if (request.has_dropoff() && !validCoordinates(request.dropoff()))
        return responder.fail(BAD_REQUEST, "dropoff has invalid coordinates", "dropoff");
    try {
        auto existing = m_store->find(request.delivery_id());
        if (auto refused = refuseReschedule(existing, request.delivery_id()))
            return responder.fail(refused->code, refused->message);
        withLivePosition(*existing);
        Delivery updated = rescheduled(*existing, request);
        // The same reschedule again changes nothing and tells nobody.
        if (existing->stage() == STAGE_RESCHEDULED && updated.SerializeAsString() == existing->SerializeAsString())
            return replyAfterCommit(std::move(responder), std::move(*existing));
        updated.set_stage(STAGE_RESCHEDULED);
        updated.set_updated_at_us(context().clock->now());
        writeWithEvents([&] {
            m_store->save(updated);
            publishEvent(updated, existing->stage(), {}, ctx.trace);
        });
        track(updated);
        replyAfterCommit(std::move(responder), std::move(updated));
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::cancel(const CallContext &ctx, const DeliveryIdRequest &request, Responder responder)
{
    if (request.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    try {
        auto existing = m_store->find(request.delivery_id());
        if (existing)
            withLivePosition(*existing);
        apply(ctx, onCancel(existing, request.delivery_id(), context().clock->now()), responder);
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::get(const DeliveryIdRequest &request, Responder responder)
{
    if (request.delivery_id().empty())
        return responder.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
    try {
        auto delivery = m_store->find(request.delivery_id());
        if (!delivery)
            return responder.fail(NOT_FOUND, "no delivery " + request.delivery_id());
        withLivePosition(*delivery);
        responder.reply(*delivery);
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::list(const DeliveryListRequest &request, Responder responder)
{
    if (!DeliveryStage_IsValid(request.stage()))
        return responder.fail(BAD_REQUEST, "unknown stage", "stage");
    const std::uint32_t limit = request.limit() == 0 ? kDefaultListLimit : std::min(request.limit(), kMaxListLimit);
    try {
        DeliveryList page = m_store->list(request, limit);
        for (Delivery &delivery : *page.mutable_deliveries())
            withLivePosition(delivery);
        responder.reply(page);
    } catch (const SqliteError &error) {
        failStore(responder, error);
    }
}

void DeliveryService::onTelemetry(const net::Event &event)
{
    m_telemetryReceived.fetch_add(1, std::memory_order_relaxed);
    DroneTelemetry telemetry;
    if (!telemetry.ParseFromArray(event.payload.data(), int(event.payload.size()))) {
        m_badTelemetry.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    auto outcome = m_tracker->onTelemetry(telemetry);
    if (!outcome.lookup.empty()) {
        // A drone flies a delivery we did not know it had (booked again, or created without a drone).
        try {
            auto delivery = m_store->find(outcome.lookup);
            // A Requested delivery is placed by its Create (which brings drone and ETAs), not by telemetry.
            if (delivery && !StageTracker::terminal(delivery->stage()) && delivery->stage() != STAGE_REQUESTED) {
                delivery->set_drone_id(telemetry.drone_id());
                track(*delivery);
                auto more = m_tracker->onTelemetry(telemetry);
                outcome.changes.insert(outcome.changes.end(), more.changes.begin(), more.changes.end());
            }
        } catch (const SqliteError &error) {
            qCWarning(lcDelivery) << "cannot look up" << outcome.lookup.c_str() << ":" << error.what();
        }
    }
    applyChanges(outcome.changes);
}

void DeliveryService::applyChanges(const std::vector<StageChange> &changes)
{
    for (const StageChange &change : changes) {
        try {
            writeWithEvents([&] {
                auto stored = m_store->find(change.deliveryId);
                if (!stored || StageTracker::terminal(stored->stage()))
                    return;
                Delivery delivery = *stored;
                delivery.set_stage(change.stage);
                *delivery.mutable_last_known_location() = change.location;
                delivery.set_pickup_eta_us(change.pickupEta);
                delivery.set_delivery_eta_us(change.deliveryEta);
                delivery.set_updated_at_us(context().clock->now());
                if (!change.droneId.empty())
                    delivery.set_drone_id(change.droneId);
                m_store->save(delivery);
                publishEvent(delivery, stored->stage(), change.reason);
            });
        } catch (const SqliteError &error) {
            qCWarning(lcDelivery) << "cannot record" << change.deliveryId.c_str() << stageName(change.stage) << ":"
                                  << error.what();
        }
    }
}

void DeliveryService::savePositions(std::size_t max)
{
    const auto dirty = m_tracker->takeDirtyPositions(max);
    if (dirty.empty())
        return;
    try {
        m_batch->write([&] {
            for (const TrackedDelivery &delivery : dirty)
                m_store->savePosition(delivery.deliveryId, delivery.lastKnown, delivery.pickupEta, delivery.deliveryEta);
        });
    } catch (const SqliteError &error) {
        qCWarning(lcDelivery) << "cannot save positions:" << error.what();
    }
}

void DeliveryService::track(const Delivery &delivery)
{
    // Only drone deliveries move by telemetry; the others would only fill memory.
    if (delivery.drone_id().empty() || StageTracker::terminal(delivery.stage())) {
        m_tracker->untrack(delivery.delivery_id());
        return;
    }
    TrackedDelivery tracked;
    tracked.deliveryId = delivery.delivery_id();
    tracked.droneId = delivery.drone_id();
    tracked.stage = delivery.stage();
    tracked.pickup = delivery.pickup();
    tracked.dropoff = delivery.dropoff();
    tracked.lastKnown = delivery.last_known_location();
    tracked.pickupEta = delivery.pickup_eta_us();
    tracked.deliveryEta = delivery.delivery_eta_us();
    m_tracker->track(std::move(tracked));
}

void DeliveryService::withLivePosition(Delivery &delivery) const
{
    const TrackedDelivery *tracked = m_tracker->find(delivery.delivery_id());
    if (!tracked || !known(tracked->lastKnown))
        return;
    *delivery.mutable_last_known_location() = tracked->lastKnown;
    delivery.set_pickup_eta_us(tracked->pickupEta);
    delivery.set_delivery_eta_us(tracked->deliveryEta);
}

void DeliveryService::replyAfterCommit(Responder responder, Delivery delivery)
{
    auto shared = std::make_shared<Responder>(std::move(responder)); // std::function wants it copyable
    m_batch->afterCommit([shared, delivery = std::move(delivery)] { shared->reply(delivery); },
                         [this, shared](const SqliteError &error) { failStore(*shared, error); });
}

void DeliveryService::rebuildTracker()
{
    m_tracker = std::make_unique<StageTracker>(context().timeScale);
    for (const Delivery &delivery : m_store->unfinished())
        track(delivery);
}

void DeliveryService::publishEvent(const Delivery &delivery, DeliveryStage previous, const std::string &reason,
                                   const net::TraceContext &trace, const DeliveryFailure *failure)
{
    DeliveryEvent event = eventOf(delivery, previous, reason);
    if (failure)
        *event.mutable_failure() = *failure;
    // The persist hook writes it into the open transaction now; subscribers hear it only
    // once that transaction is durable, and never if it rolls back.
    m_events->stage("delivery." + delivery.delivery_id(), eventType(delivery.stage()), event, trace);
    m_batch->afterCommit(
        [this] {
            m_eventsPublished.fetch_add(m_events->stagedCount(), std::memory_order_relaxed);
            m_events->releaseStaged();
        },
        [this](const SqliteError &) { m_events->discardStaged(); });
}

void DeliveryService::writeWithEvents(const std::function<void()> &change)
{
    // A change that throws is undone alone (its savepoint), and so are the events it staged.
    const std::size_t staged = m_events->stagedCount();
    try {
        m_batch->write(change);
    } catch (...) {
        m_events->discardStaged(staged);
        throw;
    }
}

void DeliveryService::failStore(Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "delivery");
}

} // namespace dd::backend
