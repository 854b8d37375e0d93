// GET /api/services: golden metrics per caller→callee route and the health of each service.
#pragma once

#include "backend/ingestion/IngestionService.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QJsonObject>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::backend {

/// Health is judged on a recent window, not since start: sample() remembers the
/// counters every few seconds and build() compares against the oldest sample still
/// inside the window; latency percentiles come from the routes' sliding windows
/// (RouteMetrics::snapshot(window)). Errors are every outcome but success and rejected
/// (a refusal on the request's merits, such as NOT_FOUND, is a correct answer); above
/// 0.1 % a route or service is "degraded", above 10 % "failing", with no calls in the
/// window it is "idle". The breaker overrides a quiet or clean window: open or isolated
/// is "failing", half-open at least "degraded" (a route nothing may call is not healthy).
/// summarize() is the computation, build() its JSON; the console shows summarize() of its
/// own ServicesReport, so its numbers are /api/services' numbers. One thread at a time.
class ServicesReport
{
public:
    static constexpr double kDegradedAbove = 0.001;
    static constexpr double kFailingAbove = 0.10;
    static constexpr net::Micros kDefaultWindow = net::RouteMetrics::kDefaultWindow;

    /// `retention`: how far back samples are kept, the longest window build() answers for.
    explicit ServicesReport(net::MetricsRegistry &metrics = net::MetricsRegistry::global(),
                            net::Micros retention = net::RouteMetrics::kMaxWindow);

    /// One route over the window: counters since start, latency over the window, the
    /// window's calls and failures and the verdict on them.
    struct RouteSummary
    {
        net::RouteMetrics::Snapshot metrics;
        std::uint64_t windowCalls = 0;
        std::uint64_t windowFailures = 0;
        double errorRate = 0; ///< windowFailures / windowCalls, 0 without calls
        QString health;
    };
    /// One service: the routes into it, its most severe breaker and its p99 (the worst route's).
    struct ServiceSummary
    {
        std::string name;
        std::uint64_t requests = 0;
        std::uint64_t windowCalls = 0;
        std::uint64_t windowFailures = 0;
        double errorRate = 0;
        net::Micros p99 = 0;
        std::string breakerState = "closed";
        QString health;
    };
    struct Summary
    {
        net::Micros window = kDefaultWindow;
        net::Micros covered = 0; ///< how much of the window the samples cover so far
        std::vector<RouteSummary> routes;
        std::vector<ServiceSummary> services; ///< the deployment's and every route's callee
    };

    void sample(net::Micros now);
    /// The window's figures (at most the retention), without Ingestion's own health.
    Summary summarize(net::Micros now, net::Micros window = kDefaultWindow) const;
    /// `ingestion` is null when this process does not run Ingestion. Error rates and
    /// latency cover the last `window` (at most the retention).
    QJsonObject build(net::Micros now, const IngestionService *ingestion,
                      net::Micros window = kDefaultWindow) const;

    /// The `?window=` of GET /api/services: "1m", "5m" or "15m"; empty means the default.
    static std::optional<net::Micros> parseWindow(const QString &text);

    static QString health(std::uint64_t calls, std::uint64_t failures);
    /// The same, then the breaker: "open" / "isolated" make it "failing", "half_open" at least "degraded".
    static QString health(std::uint64_t calls, std::uint64_t failures, std::string_view breakerState);
    /// The more severe of two breaker states, as several callers or instances may disagree.
    static const std::string &worseBreaker(const std::string &a, const std::string &b);

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
