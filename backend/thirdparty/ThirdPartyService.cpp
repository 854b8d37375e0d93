// ThirdPartyService: carrier choice, pricing, once-per-delivery bookings and refunds.
#include "backend/common/StoreErrors.h"
#include "backend/thirdparty/ThirdPartyService.h"

#include "backend/common/Geo.h"
#include "backend/domain/PackageRules.h"

#include <cmath>

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {

constexpr double kBaseFeeCents = 650;
constexpr double kCentsPerKm = 180;
constexpr double kCentsPerKg = 45;

void failStoreError(net::Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "thirdparty");
}

bool validLocation(const Location &location)
{
    // Written so that NaN fails too.
    return location.latitude() >= -90 && location.latitude() <= 90 && location.longitude() >= -180
           && location.longitude() <= 180;
}

} // namespace

ThirdPartyService::ThirdPartyService(const ServiceContext &context) : BackendService("thirdparty", context) {}

ThirdPartyService::~ThirdPartyService()
{
    stop(); // releases the server and store on the loop thread that created them
}

std::string_view ThirdPartyService::carrierFor(std::string_view deliveryId)
{
    // FNV-1a, not std::hash: the choice must not change with the standard library.
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : deliveryId) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return kCarriers[hash % kCarriers.size()];
}

std::int64_t ThirdPartyService::costCents(double distanceMeters, double weightKg)
{
    return std::llround(kBaseFeeCents + kCentsPerKm * distanceMeters / 1000.0 + kCentsPerKg * weightKg);
}

std::string ThirdPartyService::invalidField(const ThirdPartyScheduleRequest &request)
{
    if (request.delivery_id().empty())
        return "deliveryId";
    if (!request.has_pickup() || !validLocation(request.pickup()))
        return "pickup";
    if (!request.has_dropoff() || !validLocation(request.dropoff()))
        return "dropoff";
    if (!(request.weight() >= 0 && request.weight() <= domain::PackageRules::kMaxWeightKg))
        return "weight";
    return {};
}

void ThirdPartyService::onStart()
{
    m_store = std::make_unique<ThirdPartyStore>(context().storePath("thirdparty"));
    m_commit = std::make_unique<GroupCommit>(loop(), m_store->db());
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("bookings", [this](net::Micros cutoff, std::size_t slice) {
        std::size_t removed = 0;
        m_commit->write([&] { removed = m_store->pruneBefore(cutoff, slice); });
        return removed;
    });
    m_retention->start();
    m_server = makeServer();
    m_server->handle<ThirdPartyScheduleRequest>(
        "Schedule", net::Idempotency::NonIdempotent,
        [this](const net::CallContext &, const ThirdPartyScheduleRequest &request, net::Responder responder) {
            schedule(request, std::move(responder));
        });
    m_server->handle<ThirdPartyCancelRequest>(
        "Cancel", net::Idempotency::NonIdempotent,
        [this](const net::CallContext &, const ThirdPartyCancelRequest &request, net::Responder responder) {
            cancel(request, std::move(responder));
        });
}

void ThirdPartyService::onStop()
{
    m_retention.reset();
    m_server.reset(); // first: no handler may run against a closed store
    m_commit.reset(); // commits (and answers) what the last turn wrote
    m_store.reset();
}

void ThirdPartyService::schedule(const ThirdPartyScheduleRequest &request, net::Responder responder)
{
    if (const std::string field = invalidField(request); !field.empty()) {
        responder.fail(BAD_REQUEST, field + " is missing or out of range", field);
        return;
    }
    ThirdPartyBooking wanted;
    wanted.set_delivery_id(request.delivery_id());
    wanted.set_carrier(std::string(carrierFor(request.delivery_id())));
    wanted.set_cost_cents(costCents(geo::distanceMeters(request.pickup(), request.dropoff()), request.weight()));
    wanted.set_paid(true); // the demo carriers are prepaid on booking: cancelling means a refund
    try {
        ThirdPartyBooking booking;
        m_commit->write([&] { booking = m_store->bookOnce(wanted, context().clock->now()).booking; });
        auto shared = std::make_shared<net::Responder>(std::move(responder));
        m_commit->afterCommit([shared, booking] { shared->reply(booking); },
                              [shared](const SqliteError &error) { failStoreError(*shared, error); });
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void ThirdPartyService::cancel(const ThirdPartyCancelRequest &request, net::Responder responder)
{
    if (request.delivery_id().empty()) {
        responder.fail(BAD_REQUEST, "deliveryId is required", "deliveryId");
        return;
    }
    try {
        ThirdPartyCancelReply reply;
        m_commit->write([&] { reply = m_store->cancel(request.delivery_id(), context().clock->now()); });
        auto shared = std::make_shared<net::Responder>(std::move(responder));
        m_commit->afterCommit([shared, reply] { shared->reply(reply); },
                              [shared](const SqliteError &error) { failStoreError(*shared, error); });
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

} // namespace dd::backend
