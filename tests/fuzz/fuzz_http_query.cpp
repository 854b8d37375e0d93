// Fuzzes what the gateway reads from a request target: ids from the path, and every query parameter it takes.
#include "FuzzCheck.h"
#include "backend/gateway/ApiJson.h"
#include "backend/gateway/DeliveryRequestJson.h"
#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/ServicesReport.h"

#include "domain.pb.h"
#include "workflow.pb.h"

#include <QUrl>
#include <QUrlQuery>

#include <cstdint>
#include <cstdlib>

using namespace dd::backend;
using namespace dronedelivery::v1;

namespace {
void readTarget(const QUrl &url)
{
    // Route arguments: each path segment is what a `<arg>` of RouteCatalog receives.
    for (const QString &segment : url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (DeliveryRequestJson::validId(segment)) { // HttpChecks::checkId's test
            DD_FUZZ_CHECK(segment.size() <= 128);
            DD_FUZZ_CHECK(!QString::fromStdString(segment.toStdString()).contains(QLatin1Char('/')));
        }
    }
    const QUrlQuery query(url);
    // limit, as every list route reads it (delivery, account, drone, transaction lists).
    for (const std::uint32_t max : {1000u, 10000u})
        if (const auto limit = HttpChecks::parseLimit(query, 100, max))
            DD_FUZZ_CHECK(*limit >= 1 && *limit <= max);
    for (const char *name : {"ownerId", "after", "search"})
        (void)HttpChecks::queryText(query, name);
    (void)ApiJson::parseEnum(DeliveryStage_descriptor(),
                             query.queryItemValue(QStringLiteral("stage"), QUrl::FullyDecoded));
    (void)ApiJson::parseEnum(TransactionState_descriptor(),
                             query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded));
    (void)query.queryItemValue(QStringLiteral("suspended"), QUrl::FullyDecoded).toLower();
    if (const auto window = ServicesReport::parseWindow(query.queryItemValue(QStringLiteral("window"))))
        DD_FUZZ_CHECK(*window > 0);
    (void)query.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded); // the WebSocket's token
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray target(reinterpret_cast<const char *>(data), qsizetype(size));
    // The request target as the server builds its QUrl: percent-encoded bytes, and as Latin-1 text.
    readTarget(QUrl::fromEncoded(target));
    readTarget(QUrl(QString::fromLatin1(target)));
    return 0;
}
