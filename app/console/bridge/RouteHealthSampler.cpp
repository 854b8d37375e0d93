// RouteHealthSampler: ServicesReport's windowed verdicts, requests/s from deltas, a fixed service-graph layout.
#include "bridge/RouteHealthSampler.h"

#include "models/ConsoleNames.h"

#include <algorithm>

namespace dd::console {

namespace {
double millis(net::Micros micros)
{
    return double(micros) / 1000.0;
}
} // namespace

RouteHealthSampler::RouteHealthSampler(net::MetricsRegistry &metrics, int historyLength)
    : m_metrics(metrics), m_report(metrics), m_historyLength(std::max(1, historyLength))
{
}

bool RouteHealthSampler::setWindow(net::Micros window)
{
    for (const char *allowed : {"1m", "5m", "15m"})
        if (backend::ServicesReport::parseWindow(QLatin1String(allowed)) == window) {
            m_window = window;
            return true;
        }
    return false;
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
    // The baselines at the gateway's pace, so a window covers the same span as /api/services'.
    if (!m_reportSampled || now - m_lastReportSample >= kReportInterval) {
        m_report.sample(now);
        m_lastReportSample = now;
        m_reportSampled = true;
    }
    const backend::ServicesReport::Summary summary = m_report.summarize(now, m_window);

    Result result;
    std::map<std::string, double> servicesPerSecond;
    std::map<std::string, bool> callers;
    for (const backend::ServicesReport::RouteSummary &row : summary.routes) {
        const net::RouteMetrics::Snapshot &metrics = row.metrics;
        RouteState &state = m_routes[{metrics.caller, metrics.callee}];
        double perSecond = 0;
        if (state.seen && metrics.requests >= state.requests && now > state.at)
            perSecond = double(metrics.requests - state.requests) * double(net::kSeconds) / double(now - state.at);
        state.at = now;
        state.requests = metrics.requests; // a reset registry starts over from here
        state.seen = true;
        state.history.push_back(perSecond);
        while (int(state.history.size()) > m_historyLength)
            state.history.pop_front();

        RouteRecord route;
        route.caller = QString::fromStdString(metrics.caller);
        route.callee = QString::fromStdString(metrics.callee);
        route.requestsPerSecond = perSecond;
        route.windowCalls = qint64(row.windowCalls);
        route.errorRate = row.errorRate;
        route.successRate = 1.0 - row.errorRate;
        route.p50Ms = millis(metrics.p50);
        route.p99Ms = millis(metrics.p99);
        route.breakerState = ConsoleNames::breakerKey(QString::fromStdString(metrics.breakerState));
        route.breakerName = ConsoleNames::breakerState(route.breakerState);
        route.health = row.health;
        for (double value : state.history)
            route.history.append(value);
        result.routes.push_back(std::move(route));
        servicesPerSecond[metrics.callee] += perSecond;
        callers[metrics.caller] = true;
    }

    int unknown = 0;
    auto place = [&](ServiceNodeRecord &node, const std::string &name) {
        // Names outside the deployment (other clients of the mesh) stack up in the last column.
        auto position = knownLayout(name);
        if (!position)
            position = std::pair{0.94, std::min(0.62, 0.08 + 0.14 * unknown++)};
        node.x = position->first;
        node.y = position->second;
    };
    for (const backend::ServicesReport::ServiceSummary &service : summary.services) {
        ServiceNodeRecord node;
        node.name = QString::fromStdString(service.name);
        node.health = service.health;
        node.requestsPerSecond = servicesPerSecond[service.name];
        node.errorRate = service.errorRate;
        node.p99Ms = millis(service.p99);
        node.breakerState = ConsoleNames::breakerKey(QString::fromStdString(service.breakerState));
        place(node, service.name);
        result.services.push_back(std::move(node));
        callers.erase(service.name);
    }
    for (const auto &[name, unused] : callers) { // callers only (the console, a test client): nodes too
        ServiceNodeRecord node;
        node.name = QString::fromStdString(name);
        node.health = QStringLiteral("idle");
        node.breakerState = QStringLiteral("closed");
        place(node, name);
        result.services.push_back(std::move(node));
    }
    return result;
}

} // namespace dd::console
