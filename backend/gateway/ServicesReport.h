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
/// inside the window. Errors are every outcome but success and rejected (a refusal
/// on the request's merits, such as NOT_FOUND, is a correct answer); above 0.1 % a route or service is "degraded", above 10 % "failing",
/// with no calls in the window it is "idle". Qt thread only.
class ServicesReport
{
public:
    static constexpr double kDegradedAbove = 0.001;
    static constexpr double kFailingAbove = 0.10;

    explicit ServicesReport(net::MetricsRegistry &metrics = net::MetricsRegistry::global(),
                            net::Micros window = 60 * net::kSeconds);

    void sample(net::Micros now);
    /// `ingestion` is null when this process does not run Ingestion.
    QJsonObject build(net::Micros now, const IngestionService *ingestion) const;

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
    net::Micros m_window;
    std::deque<Sample> m_samples;
};

} // namespace dd::backend
