// Fuzzes the HTTP delivery-request binding (POST and PATCH /api/deliveryrequests) and the request rules after it.
#include "FuzzCheck.h"
#include "backend/domain/RequestRules.h"
#include "backend/gateway/ApiJson.h"
#include "backend/gateway/DeliveryRequestJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cstdint>
#include <cstdlib>

using namespace dd::backend;
using namespace dronedelivery::v1;

namespace {
// A fixed "now" (2026-12-01T00:00:00Z): the same input always takes the same path.
constexpr std::int64_t kNowUs = 1796083200LL * 1000000;

/// What Ingestion's accept does with a bound request, under both place policies, then the 202's body.
void acceptAsIngestionWould(const DeliveryRequest &bound)
{
    for (const auto places : {dd::domain::PlacePolicy::Lenient, dd::domain::PlacePolicy::Strict}) {
        DeliveryRequest request = bound;
        const auto error = dd::domain::RequestRules::prepare(request, {places}, kNowUs);
        if (error) {
            DD_FUZZ_CHECK(!error->field.empty());
            continue;
        }
        DD_FUZZ_CHECK(request.pickup_time_us() == 0 || request.pickup_time_us() > kNowUs);
        (void)ApiJson::request(request);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // The body as HttpChecks::readJsonObject hands it to the binding.
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return 0;
    const QJsonObject body = document.object();

    DeliveryRequest schedule;
    if (const auto error = DeliveryRequestJson::readSchedule(body, schedule)) {
        DD_FUZZ_CHECK(!error->field.isEmpty() && !error->message.isEmpty());
    } else {
        DD_FUZZ_CHECK(schedule.operation() == SCHEDULE && !schedule.owner_id().empty());
        acceptAsIngestionWould(schedule);
    }

    DeliveryRequest reschedule;
    if (const auto error = DeliveryRequestJson::readReschedule(body, "d-fuzz", reschedule)) {
        DD_FUZZ_CHECK(!error->field.isEmpty() && !error->message.isEmpty());
    } else {
        DD_FUZZ_CHECK(reschedule.operation() == RESCHEDULE && reschedule.delivery_id() == "d-fuzz");
        acceptAsIngestionWould(reschedule);
    }
    return 0;
}
