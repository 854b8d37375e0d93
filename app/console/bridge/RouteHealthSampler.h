// Turns the process's route metrics into per-second route rows and per-service nodes with a health verdict.
#pragma once

#include "models/ConsoleRecords.h"

#include "net/telemetry/MetricsRegistry.h"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dd::console {

/// Call sample() about once a second (any one thread). Requests per second come
/// from the change since the previous sample; the success rate and health from the
/// change over the last `windowSamples` samples, so a burst of failures shows for a
/// while and then clears. Errors are every outcome except success and rejected (a
/// refusal on the request's merits — NOT_FOUND, CONFLICT, BAD_REQUEST, PERMISSION_DENIED —
/// is a correct answer). Health: "failing" above 10 % errors, "degraded" above 0.1 %,
/// else "healthy" (no calls is healthy). Latency percentiles are the registry's,
/// i.e. since the process started.
class RouteHealthSampler
{
public:
    static constexpr double kDegradedAbove = 0.001;
    static constexpr double kFailingAbove = 0.10;

    explicit RouteHealthSampler(net::MetricsRegistry &metrics = net::MetricsRegistry::global(), int windowSamples = 10,
                                int historyLength = 60);

    struct Result
    {
        std::vector<RouteRecord> routes;
        std::vector<ServiceNodeRecord> services;
    };
    Result sample(net::Micros now);

    static QString health(std::uint64_t calls, std::uint64_t errors);
    /// Where a service of the deployment sits in the graph (0..1 each way), left to right in call order.
    static std::optional<std::pair<double, double>> knownLayout(const std::string &service);

private:
    struct Counts
    {
        std::uint64_t requests = 0;
        std::uint64_t calls = 0;  ///< calls with an outcome
        std::uint64_t errors = 0; ///< outcomes other than success and rejected
    };
    struct RouteState
    {
        std::deque<std::pair<net::Micros, Counts>> samples; ///< newest last
        std::deque<double> history;                         ///< requests/s, newest last
    };
    static Counts countsOf(const net::RouteMetrics::Snapshot &snapshot);

    net::MetricsRegistry &m_metrics;
    int m_windowSamples;
    int m_historyLength;
    std::map<std::pair<std::string, std::string>, RouteState> m_routes;
};

} // namespace dd::console
