// drone-bench sustain and failstorm: the steady state and the failure path, each against the burst e2e rate.
#include "BenchBackend.h"
#include "BenchReport.h"
#include "E2eRound.h"

#include "BackendRuntime.h"
#include "net/resilience/FaultInjector.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <map>

namespace dd::bench {

namespace {

/// The value after `flag` in args, or `fallback`.
double argValue(const QStringList &args, const QString &flag, double fallback)
{
    const qsizetype at = args.indexOf(flag);
    if (at < 0 || at + 1 >= args.size())
        return fallback;
    bool ok = false;
    const double value = args.at(at + 1).toDouble(&ok);
    return ok ? value : fallback;
}

/// The success path's rate in this run: the median of burst e2e rounds on fresh stores.
double burstBaseline(int requests, int rounds)
{
    std::vector<double> rates;
    for (int i = 0; i < rounds; ++i)
        rates.push_back(runE2eRound(requests, 0).rate);
    return median(rates);
}

int statusCount(const HttpLoadResult &load, int status)
{
    const auto it = load.statuses.find(status);
    return it == load.statuses.end() ? 0 : it->second;
}

/// Completions per 10 s slice, on stderr: a steady state shows a flat line, a decay a slope.
void printSlices(const StreamWatcher &watcher, double start, double end)
{
    std::map<int, int> slices;
    for (const auto &[key, at] : watcher.firstHeard())
        if (at >= start && at <= end)
            ++slices[int((at - start) / 10)];
    std::fprintf(stderr, "sustain: completed per second, by 10 s slice:");
    for (const auto &[slice, n] : slices)
        std::fprintf(stderr, " %.0f", n / 10.0);
    std::fprintf(stderr, "\n");
}

struct ReportCalls
{
    std::uint64_t requests = 0, failed = 0; ///< failed: timeout, transient or open circuit
};

ReportCalls schedulerToSupervisor()
{
    const auto s = net::MetricsRegistry::global().route("scheduler", "supervisor").snapshot();
    ReportCalls calls;
    calls.requests = s.requests;
    calls.failed = s.outcomes[std::size_t(net::Outcome::Timeout)] + s.outcomes[std::size_t(net::Outcome::Transient)] +
                   s.outcomes[std::size_t(net::Outcome::CircuitOpen)];
    return calls;
}

} // namespace

int runSustain(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const double seconds = argValue(args, "--seconds", quick ? 15 : 120);
    const double share = argValue(args, "--load", 0.95); // of the burst rate: "just under capacity"
    const double retention = argValue(args, "--retention-seconds", 0);
    const double burst = burstBaseline(quick ? 3000 : 30000, quick ? 1 : 3);
    const double offered = burst * share;

    QTemporaryDir dir;
    app::BackendOptions backend = backendOptions(dir.path());
    if (retention > 0)
        backend.retentionUs = std::int64_t(retention * 1e6);
    app::BackendRuntime runtime(backend);
    std::string error;
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-bench sustain: %s\n", error.c_str());
        return 1;
    }
    StreamWatcher watcher(runtime.host()->context().endpoints, "delivery", "delivery.", deliveryCreatedKey());
    HttpLoadOptions options;
    options.port = runtime.httpPort();
    options.path = "/api/deliveryrequests";
    options.body = deliveryJson;
    options.requests = int(offered * seconds);
    options.connections = 64;
    options.rate = offered;
    const double start = nowSeconds();
    const HttpLoadResult load = runWhileServing(options);
    const double end = nowSeconds();
    // Only what completed while the load ran counts: a backlog left at the end is a shortfall.
    const std::size_t completed = watcher.countUntil(end);
    const int accepted = statusCount(load, 202);
    const double diskBytes = double(directoryBytes(dir.path()));
    const double rss = residentMegabytes();
    printSlices(watcher, start, end);
    if (load.errors)
        std::fprintf(stderr, "sustain: %d of %d requests not accepted\n", load.errors, options.requests);
    runtime.stop();

    report("sustain_deliveries", double(completed) / (end - start), "deliveries/s", burst);
    report("sustain_offered", offered, "requests/s", burst);
    report("sustain_disk_bytes_per_delivery", completed ? diskBytes / double(completed) : 0, "bytes", 0);
    report("sustain_rss_mb", rss, "MB", 0);
    report("sustain_backlog_end", double(std::max<std::int64_t>(0, std::int64_t(accepted) - std::int64_t(completed))),
           "requests", 0);
    return 0;
}

int runFailstorm(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int requests = quick ? 3000 : 30000;
    const double burst = burstBaseline(requests, quick ? 1 : 3);

    QTemporaryDir dir;
    app::BackendOptions backend = backendOptions(dir.path());
    backend.faults = {"package.Create=fatal:100"}; // a downstream outage: every workflow fails at Package
    app::BackendRuntime runtime(backend);
    std::string error;
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-bench failstorm: %s\n", error.c_str());
        return 1;
    }
    StreamWatcher watcher(runtime.host()->context().endpoints, "supervisor", "transaction.", transactionRecordedKey());
    const ReportCalls before = schedulerToSupervisor();
    HttpLoadOptions options;
    options.port = runtime.httpPort();
    options.path = "/api/deliveryrequests";
    options.body = deliveryJson;
    options.requests = requests;
    options.connections = 64;
    const double start = nowSeconds();
    const HttpLoadResult load = runWhileServing(options);
    const int accepted = statusCount(load, 202);
    const std::size_t recorded = watcher.waitFor(std::size_t(accepted), 60);
    double last = start;
    for (const auto &[key, at] : watcher.firstHeard())
        last = std::max(last, at);
    const ReportCalls after = schedulerToSupervisor();
    if (recorded < std::size_t(accepted))
        std::fprintf(stderr, "failstorm: %zu of %d accepted requests recorded as failed transactions\n", recorded,
                     accepted);
    runtime.stop();
    net::FaultInjector::global().clear();

    const double calls = double(after.requests - before.requests);
    report("failstorm_failed", last > start ? double(recorded) / (last - start) : 0, "transactions/s", burst);
    report("failstorm_report_errors", calls > 0 ? 100.0 * double(after.failed - before.failed) / calls : 0,
           "% of reports", 0);
    report("failstorm_accepted", 100.0 * accepted / requests, "% of requests", 0);
    return 0;
}

} // namespace dd::bench
