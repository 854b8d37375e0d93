// Turns the process's route metrics into route rows and service nodes: /api/services' figures plus requests/s.
#pragma once

#include "models/ConsoleRecords.h"

#include "backend/gateway/ServicesReport.h"
#include "net/telemetry/MetricsRegistry.h"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dd::console {

/// Call sample() about once a second (any one thread), with the time of the registry's
/// clock (tests pass a ManualClock's). Health, error rate and p50/p99 are
/// backend::ServicesReport::summarize() over the selected window (1, 5 or 15 minutes),
/// sampled every kReportInterval as the gateway samples: the console and GET
/// /api/services?window= compute the same numbers the same way, and an open or isolated
/// breaker is "failing" however quiet the window. Requests per second come from the
/// change since the previous sample (the graph's live rate and the sparklines).
class RouteHealthSampler
{
public:
    /// How often the window's baseline counters are taken (the gateway's interval).
    static constexpr net::Micros kReportInterval = 5 * net::kSeconds;

    explicit RouteHealthSampler(net::MetricsRegistry &metrics = net::MetricsRegistry::global(), int historyLength = 60);

    struct Result
    {
        std::vector<RouteRecord> routes;
        std::vector<ServiceNodeRecord> services;
    };
    Result sample(net::Micros now);

    /// One of the windows ServicesReport::parseWindow() accepts; others are ignored (false).
    bool setWindow(net::Micros window);
    net::Micros window() const { return m_window; }

    /// Where a service of the deployment sits in the graph (0..1 each way), left to right in call order.
    static std::optional<std::pair<double, double>> knownLayout(const std::string &service);

private:
    struct RouteState
    {
        net::Micros at = 0;
        std::uint64_t requests = 0;
        bool seen = false;
        std::deque<double> history; ///< requests/s, newest last
    };

    net::MetricsRegistry &m_metrics;
    backend::ServicesReport m_report;
    net::Micros m_window = backend::ServicesReport::kDefaultWindow;
    net::Micros m_lastReportSample = 0;
    bool m_reportSampled = false;
    int m_historyLength;
    std::map<std::pair<std::string, std::string>, RouteState> m_routes;
};

} // namespace dd::console
