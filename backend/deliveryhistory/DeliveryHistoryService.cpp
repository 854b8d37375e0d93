// DeliveryHistoryService: the lossless subscription with replay and resume, the event table, History and Query.
#include "backend/common/StoreErrors.h"
#include "backend/deliveryhistory/DeliveryHistoryService.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcHistory, "dd.backend.deliveryhistory")

namespace dd::backend {

using namespace dronedelivery::v1;
using net::CallContext;
using net::Idempotency;
using net::Responder;

namespace {
constexpr const char *kPublisher = "delivery"; ///< the service (and envelope source) of the status events
constexpr std::uint32_t kDefaultQueryLimit = 100;
constexpr std::uint32_t kMaxQueryLimit = 1000;

void failStore(Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "history");
}
} // namespace

DeliveryHistoryService::DeliveryHistoryService(const ServiceContext &context) : BackendService("deliveryhistory", context)
{
}

DeliveryHistoryService::~DeliveryHistoryService()
{
    stop();
}

void DeliveryHistoryService::onStart()
{
    m_alive = std::make_shared<bool>(true);
    m_store = std::make_unique<HistoryStore>(context().storePath("deliveryhistory"));
    m_server = makeServer();
    registerHandlers();

    m_replay = makeClient(kPublisher);
    std::vector<std::string> endpoints;
    for (const auto &instance : context().endpoints.instances("delivery.events"))
        endpoints.push_back(instance.endpoint);
    net::SubscriberOptions options;
    options.policy = net::HwmPolicy::Lossless;
    options.security = context().security;
    m_events = std::make_unique<net::Subscriber>(loop(), name(), kPublisher, endpoints, options);
    m_events->subscribe("delivery.");
    m_events->setReplayClient(m_replay.get());
    m_events->setHandler([this](const net::Event &event) { onEvent(event); });
    // The events Delivery no longer has were older than the retention, so this store prunes
    // its copies of that age too; the cursor moves past the hole so a restart does not ask again.
    m_events->setResetHandler([this](const net::StreamReset &reset) {
        qCWarning(lcHistory) << "events" << reset.missingFrom << "to" << reset.resumedAt - 1
                             << "were pruned before they were stored here; history goes on from" << reset.resumedAt;
        try {
            m_store->skip(reset.source, reset.resumedAt - 1);
        } catch (const SqliteError &error) {
            qCWarning(lcHistory) << "cannot move the cursor past the reset:" << error.what();
        }
    });
    // Everything after the last stored event, from the start on a first run: nothing is missed while we were away.
    m_events->resumeFrom(kPublisher, m_store->lastSequence(kPublisher));
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("events", [this](net::Micros cutoff, std::size_t slice) {
        return m_store->pruneBefore(cutoff, slice);
    });
    m_retention->start();
}

void DeliveryHistoryService::onStop()
{
    m_retention.reset();
    m_events.reset();
    m_replay.reset();
    if (m_store)
        commit();
    if (m_alive)
        *m_alive = false;
    m_server.reset();
    m_store.reset();
}

void DeliveryHistoryService::registerHandlers()
{
    m_server->handle<HistoryRequest>(
        "History", Idempotency::Idempotent, [this](const CallContext &, const HistoryRequest &request, Responder r) {
            if (request.delivery_id().empty())
                return r.fail(BAD_REQUEST, "delivery_id is required", "delivery_id");
            try {
                HistoryReply reply;
                for (DeliveryEvent &event : m_store->history(request.delivery_id()))
                    *reply.add_events() = std::move(event);
                r.reply(reply);
            } catch (const SqliteError &error) {
                failStore(r, error);
            }
        });
    m_server->handle<HistoryQueryRequest>(
        "Query", Idempotency::Idempotent, [this](const CallContext &, const HistoryQueryRequest &request, Responder r) {
            if (!DeliveryStage_IsValid(request.stage()))
                return r.fail(BAD_REQUEST, "unknown stage", "stage");
            if (request.since_us() < 0)
                return r.fail(BAD_REQUEST, "since_us must not be negative", "since_us");
            const std::uint32_t limit =
                request.limit() == 0 ? kDefaultQueryLimit : std::min(request.limit(), kMaxQueryLimit);
            try {
                HistoryReply reply;
                for (DeliveryEvent &event : m_store->query(request.stage(), request.since_us(), limit))
                    *reply.add_events() = std::move(event);
                r.reply(reply);
            } catch (const SqliteError &error) {
                failStore(r, error);
            }
        });
}

void DeliveryHistoryService::onEvent(const net::Event &event)
{
    try {
        if (!m_open) {
            m_store->begin();
            m_open = true;
            // Committed once the loop has drained this batch of events: one fsync for all of them.
            loop().post([this, alive = m_alive] {
                if (*alive)
                    commit();
            });
        }
        const std::string &source = event.envelope.source();
        DeliveryEvent payload;
        if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size()))) {
            m_badEvents.fetch_add(1, std::memory_order_relaxed);
            m_store->skip(source, event.envelope.sequence());
            return;
        }
        if (m_store->append(source, event.envelope.sequence(), event.envelope.method(), payload))
            m_stored.fetch_add(1, std::memory_order_relaxed);
        else
            m_duplicates.fetch_add(1, std::memory_order_relaxed);
    } catch (const SqliteError &error) {
        qCWarning(lcHistory) << "cannot store event" << event.envelope.sequence() << ":" << error.what();
    }
}

void DeliveryHistoryService::commit()
{
    if (!m_open)
        return;
    m_open = false;
    try {
        m_store->commit();
    } catch (const SqliteError &error) {
        m_store->rollback();
        qCWarning(lcHistory) << "commit failed, fetching the lost events again:" << error.what();
        if (m_events) {
            try {
                m_events->resumeFrom(kPublisher, m_store->lastSequence(kPublisher));
            } catch (const SqliteError &again) {
                qCWarning(lcHistory) << "cannot read the cursor:" << again.what();
            }
        }
    }
}

} // namespace dd::backend
