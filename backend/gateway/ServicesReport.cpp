// ServicesReport: windowed error rates, latency percentiles and breaker states as JSON.
#include "backend/gateway/ServicesReport.h"

#include "backend/common/ServiceHost.h"

#include <QJsonArray>

#include <set>

namespace dd::backend {

namespace {

double rate(std::uint64_t calls, std::uint64_t failures)
{
    return calls == 0 ? 0.0 : double(failures) / double(calls);
}

double millis(net::Micros micros)
{
    return double(micros) / 1000.0;
}

/// The breaker state that matters most when several instances or callers disagree.
int breakerSeverity(std::string_view state)
{
    if (state == "open")
        return 4;
    if (state == "isolated")
        return 3;
    if (state == "half_open")
        return 2;
    if (state == "forced_closed")
        return 1;
    return 0;
}

int healthSeverity(const QString &health)
{
    if (health == QLatin1String("failing"))
        return 3;
    if (health == QLatin1String("degraded"))
        return 2;
    if (health == QLatin1String("healthy"))
        return 1;
    return 0; // idle
}

} // namespace

ServicesReport::ServicesReport(net::MetricsRegistry &metrics, net::Micros retention)
    : m_metrics(metrics), m_retention(retention)
{
}

std::optional<net::Micros> ServicesReport::parseWindow(const QString &text)
{
    if (text.isEmpty())
        return kDefaultWindow;
    // Only the windows the routes' latency rings answer exactly.
    if (text == QLatin1String("1m"))
        return 60 * net::kSeconds;
    if (text == QLatin1String("5m"))
        return 5 * 60 * net::kSeconds;
    if (text == QLatin1String("15m"))
        return 15 * 60 * net::kSeconds;
    return std::nullopt;
}

ServicesReport::Counts ServicesReport::countsOf(const net::RouteMetrics::Snapshot &snapshot)
{
    Counts counts;
    for (std::size_t i = 0; i < snapshot.outcomes.size(); ++i) {
        counts.calls += snapshot.outcomes[i];
        // A refusal on the request's merits (NOT_FOUND, CONFLICT, ...) is a correct answer.
        if (i != std::size_t(net::Outcome::Success) && i != std::size_t(net::Outcome::Rejected))
            counts.failures += snapshot.outcomes[i];
    }
    return counts;
}

void ServicesReport::sample(net::Micros now)
{
    Sample sample;
    sample.at = now;
    for (const auto &route : m_metrics.routes())
        sample.routes[{route.caller, route.callee}] = countsOf(route);
    m_samples.push_back(std::move(sample));
    while (m_samples.size() > 1 && m_samples.front().at < now - m_retention)
        m_samples.pop_front();
}

QString ServicesReport::health(std::uint64_t calls, std::uint64_t failures)
{
    if (calls == 0)
        return QStringLiteral("idle");
    const double errors = rate(calls, failures);
    if (errors > kFailingAbove)
        return QStringLiteral("failing");
    if (errors > kDegradedAbove)
        return QStringLiteral("degraded");
    return QStringLiteral("healthy");
}

QString ServicesReport::health(std::uint64_t calls, std::uint64_t failures, std::string_view breakerState)
{
    const QString byCalls = health(calls, failures);
    // No call gets through an open or isolated breaker: a quiet window says nothing good.
    const QString byBreaker = breakerState == "open" || breakerState == "isolated" ? QStringLiteral("failing")
        : breakerState == "half_open"                                             ? QStringLiteral("degraded")
                                                                                   : QString();
    return healthSeverity(byBreaker) > healthSeverity(byCalls) ? byBreaker : byCalls;
}

const std::string &ServicesReport::worseBreaker(const std::string &a, const std::string &b)
{
    return breakerSeverity(b) > breakerSeverity(a) ? b : a;
}

ServicesReport::Summary ServicesReport::summarize(net::Micros now, net::Micros window) const
{
    // The oldest sample inside the window; the newest when all are older.
    const Sample *baseline = m_samples.empty() ? nullptr : &m_samples.back();
    for (const Sample &sample : m_samples) {
        if (sample.at >= now - window) {
            baseline = &sample;
            break;
        }
    }
    Summary summary;
    summary.window = window;
    summary.covered = baseline ? now - baseline->at : 0;
    std::map<std::string, ServiceSummary> services;
    for (const std::string &name : ServiceHost::allServices())
        services[name];

    for (auto &route : m_metrics.routes(window)) {
        const Counts total = countsOf(route);
        Counts recent = total;
        if (baseline) {
            const auto before = baseline->routes.find({route.caller, route.callee});
            if (before != baseline->routes.end() && before->second.calls <= total.calls) {
                recent.calls -= before->second.calls;
                recent.failures -= std::min(recent.failures, before->second.failures);
            }
        }
        RouteSummary row;
        row.windowCalls = recent.calls;
        row.windowFailures = recent.failures;
        row.errorRate = rate(recent.calls, recent.failures);
        row.health = health(recent.calls, recent.failures, route.breakerState);
        ServiceSummary &service = services[route.callee];
        service.requests += route.requests;
        service.windowCalls += recent.calls;
        service.windowFailures += recent.failures;
        service.p99 = std::max(service.p99, route.p99);
        service.breakerState = worseBreaker(service.breakerState, route.breakerState);
        row.metrics = std::move(route);
        summary.routes.push_back(std::move(row));
    }
    for (auto &[name, service] : services) {
        service.name = name;
        service.errorRate = rate(service.windowCalls, service.windowFailures);
        service.health = health(service.windowCalls, service.windowFailures, service.breakerState);
        summary.services.push_back(std::move(service));
    }
    return summary;
}

QJsonObject ServicesReport::build(net::Micros now, const IngestionService *ingestion, net::Micros window) const
{
    const Summary summary = summarize(now, window);
    QJsonArray routes;
    for (const RouteSummary &row : summary.routes) {
        const net::RouteMetrics::Snapshot &route = row.metrics;
        QJsonObject outcomes;
        for (std::size_t i = 0; i < route.outcomes.size(); ++i)
            outcomes.insert(QString::fromLatin1(net::toString(net::Outcome(i))), qint64(route.outcomes[i]));
        routes.append(QJsonObject{
            {"caller", QString::fromStdString(route.caller)},
            {"callee", QString::fromStdString(route.callee)},
            {"requests", qint64(route.requests)},
            {"successes", qint64(route.successes)},
            {"failures", qint64(countsOf(route).failures)},
            {"retries", qint64(route.retries)},
            {"errorRate", row.errorRate},
            {"health", row.health},
            {"latencyMs",
             QJsonObject{{"p50", millis(route.p50)},
                         {"p95", millis(route.p95)},
                         {"p99", millis(route.p99)},
                         {"max", millis(route.max)},
                         {"mean", route.mean / 1000.0},
                         {"count", qint64(route.latencyCount)},
                         {"windowSeconds", double(route.window) / double(net::kSeconds)}}},
            {"bytesOut", qint64(route.bytesOut)},
            {"bytesIn", qint64(route.bytesIn)},
            {"breakerState", QString::fromStdString(route.breakerState)},
            {"outcomes", outcomes},
        });
    }

    QJsonArray serviceList;
    for (const ServiceSummary &service : summary.services) {
        QString state = service.health;
        if (service.name == "ingestion" && ingestion) {
            // Nobody calls Ingestion over the mesh: its health is its own.
            const auto stats = ingestion->stats();
            state = !ingestion->running()                              ? QStringLiteral("failing")
                : stats.backlog >= ingestion->options().maxBacklog ? QStringLiteral("degraded")
                                                                    : QStringLiteral("healthy");
        }
        serviceList.append(QJsonObject{{"name", QString::fromStdString(service.name)},
                                       {"health", state},
                                       {"requests", qint64(service.requests)},
                                       {"errorRate", service.errorRate},
                                       {"p99Ms", millis(service.p99)},
                                       {"breakerState", QString::fromStdString(service.breakerState)}});
    }

    QJsonObject report{
        {"window", QStringLiteral("%1m").arg(window / (60 * net::kSeconds))},
        {"windowSeconds", double(summary.covered) / double(net::kSeconds)},
        {"thresholds", QJsonObject{{"degradedAbove", kDegradedAbove}, {"failingAbove", kFailingAbove}}},
        {"services", serviceList},
        {"routes", routes},
    };
    if (ingestion) {
        const auto stats = ingestion->stats();
        report.insert("ingestion", QJsonObject{{"running", ingestion->running()},
                                               {"accepted", qint64(stats.accepted)},
                                               {"replayed", qint64(stats.replayed)},
                                               {"rejectedFull", qint64(stats.rejectedFull)},
                                               {"backlog", qint64(stats.backlog)},
                                               {"maxBacklog", qint64(ingestion->options().maxBacklog)},
                                               {"acked", qint64(stats.acked)},
                                               {"commits", qint64(stats.commits)},
                                               {"batchesSent", qint64(stats.batchesSent)},
                                               {"redeliveries", qint64(stats.redeliveries)}});
    }
    return report;
}

} // namespace dd::backend
