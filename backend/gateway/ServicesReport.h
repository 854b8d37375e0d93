// GET /api/services: golden metrics per caller→callee route and the health of each service.
#pragma once

#include "backend/ingestion/IngestionService.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QJsonObject>

#include <deque>
#include <map>
#include <optional>
#include <string>

namespace dd::backend {

/// Health is judged on a recent window, not since start: sample() remembers the
/// counters every few seconds and build() compares against the oldest sample still
/// inside the window; latency percentiles come from the routes' sliding windows
/// (RouteMetrics::snapshot(window)). Errors are every outcome but success and rejected
/// (a refusal on the request's merits, such as NOT_FOUND, is a correct answer); above
/// 0.1 % a route or service is "degraded", above 10 % "failing", with no calls in the
/// window it is "idle". Qt thread only.
class ServicesReport
{
public:
    static constexpr double kDegradedAbove = 0.001;
    static constexpr double kFailingAbove = 0.10;
    static constexpr net::Micros kDefaultWindow = net::RouteMetrics::kDefaultWindow;

    /// `retention`: how far back samples are kept, the longest window build() answers for.
    explicit ServicesReport(net::MetricsRegistry &metrics = net::MetricsRegistry::global(),
                            net::Micros retention = net::RouteMetrics::kMaxWindow);

    void sample(net::Micros now);
    /// `ingestion` is null when this process does not run Ingestion. Error rates and
    /// latency cover the last `window` (at most the retention).
    QJsonObject build(net::Micros now, const IngestionService *ingestion,
                      net::Micros window = kDefaultWindow) const;

    /// The `?window=` of GET /api/services: "1m", "5m" or "15m"; empty means the default.
    static std::optional<net::Micros> parseWindow(const QString &text);

    static QString health(std::uint64_t calls, std::uint64_t failures);

private:
    using Key = std::pair<std::string, std::string>;
    struct Counts
    {
        std::uint64_t calls = 0;    ///< calls with an outcome
        std::uint64_t failures = 0; ///< outcomes other than success
    };
    struct Sample
    {
        net::Micros at = 0;
        std::map<Key, Counts> routes;
    };
    static Counts countsOf(const net::RouteMetrics::Snapshot &snapshot);

    net::MetricsRegistry &m_metrics;
    net::Micros m_retention;
    std::deque<Sample> m_samples;
};

} // namespace dd::backend
