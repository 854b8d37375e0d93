// drone-bench ingest and e2e: the real gateway and backend against a bare QHttpServer JSON echo.
#include "BenchBackend.h"
#include "BenchReport.h"
#include "HttpLoad.h"

#include "E2eRound.h"

#include "BackendRuntime.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdio>
#include <mutex>

namespace dd::bench {

int runIngest(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int requests = quick ? 5000 : 50000;
    const int connections = 32;
    std::vector<double> baseline, ours;
    for (int round = 0; round < (quick ? 1 : 3); ++round) {
        baseline.push_back(echoBaseline(requests, connections));
        QTemporaryDir dir;
        app::BackendRuntime runtime(backendOptions(dir.path()));
        std::string error;
        if (!runtime.start(&error)) {
            std::fprintf(stderr, "drone-bench ingest: %s\n", error.c_str());
            return 1;
        }
        HttpLoadOptions options;
        options.port = runtime.httpPort();
        options.path = "/api/deliveryrequests";
        options.body = deliveryJson;
        options.requests = requests;
        options.connections = connections;
        const HttpLoadResult result = runWhileServing(options);
        if (result.errors)
            std::fprintf(stderr, "ingest: %d errors (statuses:%s)\n", result.errors,
                         [&] {
                             std::string s;
                             for (auto [code, n] : result.statuses)
                                 s += " " + std::to_string(code) + "x" + std::to_string(n);
                             return s;
                         }()
                             .c_str());
        ours.push_back(result.rate());
        runtime.stop();
    }
    report("ingest_accepted", median(ours), "req/s", median(baseline));
    return 0;
}

E2eRun runE2eRound(int requests, double rate)
{
    QTemporaryDir dir;
    app::BackendRuntime runtime(backendOptions(dir.path()));
    std::string error;
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-bench e2e: %s\n", error.c_str());
        return {};
    }
    StreamWatcher watcher(runtime.host()->context().endpoints, "delivery", "delivery.", deliveryCreatedKey());
    std::mutex idsMutex;
    std::vector<std::string> ids(static_cast<std::size_t>(requests));
    HttpLoadOptions options;
    options.port = runtime.httpPort();
    options.path = "/api/deliveryrequests";
    options.body = deliveryJson;
    options.requests = requests;
    options.connections = 64;
    options.rate = rate;
    options.onResponse = [&](int index, int status, const std::string &body) {
        if (status != 202)
            return;
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(body));
        std::lock_guard lock(idsMutex);
        ids[std::size_t(index)] = doc.object().value("deliveryId").toString().toStdString();
    };
    const double start = nowSeconds();
    const HttpLoadResult load = runWhileServing(options);
    // Wait (bounded) for the workflows to finish: the stream is asynchronous by design.
    watcher.waitFor(std::size_t(load.completed), 60);
    E2eRun run;
    {
        const auto createdAt = watcher.firstHeard();
        double last = start;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto it = createdAt.find(ids[i]);
            if (ids[i].empty() || it == createdAt.end())
                continue;
            last = std::max(last, it->second);
            run.latenciesMs.push_back((it->second - load.sentAt[i]) * 1e3);
        }
        run.rate = double(run.latenciesMs.size()) / (last - start);
    }
    if (run.latenciesMs.size() < std::size_t(requests))
        std::fprintf(stderr, "e2e: %zu of %d deliveries created (%d HTTP errors)\n", run.latenciesMs.size(), requests,
                     load.errors);
    runtime.stop();
    return run;
}

int runE2e(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int requests = quick ? 3000 : 30000;
    // Like the other benches, the median of rounds: two shared cores make single runs swing
    // by ±15 %. Each round is a fresh backend on a fresh data dir.
    std::vector<double> baselines, rates;
    for (int round = 0; round < (quick ? 1 : 3); ++round) {
        baselines.push_back(echoBaseline(requests, 64));
        rates.push_back(runE2eRound(requests, 0).rate);
    }
    const double saturated = median(rates);
    report("e2e_deliveries", saturated, "deliveries/s", median(baselines));
    const E2eRun half = runE2eRound(requests / 2, saturated / 2);
    report("e2e_latency_p50_at_half_load", percentile(half.latenciesMs, 0.5), "ms", 0);
    report("e2e_latency_p99_at_half_load", percentile(half.latenciesMs, 0.99), "ms", 0);
    return 0;
}

} // namespace dd::bench
