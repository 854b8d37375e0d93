// RouteHealthSampler: deltas between registry snapshots, windowed error rates, a fixed service-graph layout.
#include "bridge/RouteHealthSampler.h"

#include "backend/common/ServiceHost.h"

#include <algorithm>
#include <optional>
#include <set>

namespace dd::console {

namespace {
double millis(net::Micros micros)
{
    return double(micros) / 1000.0;
}

struct ServiceTotals
{
    double requestsPerSecond = 0;
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;
};
} // namespace

RouteHealthSampler::RouteHealthSampler(net::MetricsRegistry &metrics, int windowSamples, int historyLength)
    : m_metrics(metrics), m_windowSamples(std::max(1, windowSamples)), m_historyLength(std::max(1, historyLength))
{
}

RouteHealthSampler::Counts RouteHealthSampler::countsOf(const net::RouteMetrics::Snapshot &snapshot)
{
    Counts counts;
    counts.requests = snapshot.requests;
    for (std::size_t i = 0; i < snapshot.outcomes.size(); ++i) {
        counts.calls += snapshot.outcomes[i];
        if (i != std::size_t(net::Outcome::Success) && i != std::size_t(net::Outcome::Rejected))
            counts.errors += snapshot.outcomes[i];
    }
    return counts;
}

QString RouteHealthSampler::health(std::uint64_t calls, std::uint64_t errors)
{
    if (calls == 0)
        return QStringLiteral("healthy");
    const double rate = double(errors) / double(calls);
    if (rate > kFailingAbove)
        return QStringLiteral("failing");
    if (rate > kDegradedAbove)
        return QStringLiteral("degraded");
    return QStringLiteral("healthy");
}

std::optional<std::pair<double, double>> RouteHealthSampler::knownLayout(const std::string &service)
{
    // Callers on the left, the services they call to the right, leaves in one column.
    static const std::map<std::string, std::pair<double, double>> kLayout{
        {"gateway", {0.06, 0.22}},   {"console", {0.06, 0.62}},   {"ingestion", {0.26, 0.40}},
        {"scheduler", {0.46, 0.40}}, {"supervisor", {0.46, 0.82}}, {"account", {0.72, 0.08}},
        {"package", {0.72, 0.26}},   {"drone", {0.72, 0.44}},      {"thirdparty", {0.72, 0.62}},
        {"delivery", {0.72, 0.80}},  {"deliveryhistory", {0.94, 0.80}}};
    if (const auto it = kLayout.find(service); it != kLayout.end())
        return it->second;
    return std::nullopt;
}

RouteHealthSampler::Result RouteHealthSampler::sample(net::Micros now)
{
    Result result;
    std::map<std::string, ServiceTotals> services;
    for (const std::string &name : backend::ServiceHost::allServices())
        services[name];

    for (const auto &snapshot : m_metrics.routes()) {
        const Counts counts = countsOf(snapshot);
        RouteState &state = m_routes[{snapshot.caller, snapshot.callee}];
        if (!state.samples.empty() && counts.requests < state.samples.back().second.requests)
            state.samples.clear(); // the registry was reset: start over from here
        double perSecond = 0;
        if (!state.samples.empty() && now > state.samples.back().first) {
            const auto &[at, previous] = state.samples.back();
            perSecond = double(counts.requests - previous.requests) * double(net::kSeconds) / double(now - at);
        }
        state.samples.emplace_back(now, counts);
        while (int(state.samples.size()) > m_windowSamples + 1)
            state.samples.pop_front();
        state.history.push_back(perSecond);
        while (int(state.history.size()) > m_historyLength)
            state.history.pop_front();

        const Counts &oldest = state.samples.front().second;
        const std::uint64_t calls = counts.calls - std::min(counts.calls, oldest.calls);
        const std::uint64_t errors = counts.errors - std::min(counts.errors, oldest.errors);
        // The first sample of a route has no window yet: judge it on everything so far.
        const bool first = state.samples.size() == 1;
        const std::uint64_t windowCalls = first ? counts.calls : calls;
        const std::uint64_t windowErrors = first ? counts.errors : errors;

        RouteRecord route;
        route.caller = QString::fromStdString(snapshot.caller);
        route.callee = QString::fromStdString(snapshot.callee);
        route.requestsPerSecond = perSecond;
        route.successRate = windowCalls == 0 ? 1.0 : 1.0 - double(windowErrors) / double(windowCalls);
        route.p50Ms = millis(snapshot.p50);
        route.p99Ms = millis(snapshot.p99);
        route.breakerState = QString::fromStdString(snapshot.breakerState);
        route.health = health(windowCalls, windowErrors);
        for (double value : state.history)
            route.history.append(value);
        result.routes.push_back(std::move(route));

        ServiceTotals &callee = services[snapshot.callee];
        callee.requestsPerSecond += perSecond;
        callee.calls += windowCalls;
        callee.errors += windowErrors;
        services[snapshot.caller]; // callers are nodes of the graph too
    }

    int unknown = 0;
    for (const auto &[name, totals] : services) {
        ServiceNodeRecord node;
        node.name = QString::fromStdString(name);
        node.health = health(totals.calls, totals.errors);
        node.requestsPerSecond = totals.requestsPerSecond;
        node.errorRate = totals.calls == 0 ? 0.0 : double(totals.errors) / double(totals.calls);
        // Names outside the deployment (other clients of the mesh) stack up in the last column.
        auto position = knownLayout(name);
        if (!position)
            position = std::pair{0.94, std::min(0.62, 0.08 + 0.14 * unknown++)};
        node.x = position->first;
        node.y = position->second;
        result.services.push_back(std::move(node));
    }
    return result;
}

} // namespace dd::console
