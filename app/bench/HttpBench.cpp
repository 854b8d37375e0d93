// drone-bench ingest and e2e: the real gateway and backend against a bare QHttpServer JSON echo.
#include "BenchReport.h"
#include "HttpLoad.h"

#include "BackendRuntime.h"
#include "domain.pb.h"
#include "net/pubsub/Subscriber.h"
#include "net/transport/ServiceLoop.h"
#include "services.pb.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTemporaryDir>
#include <QTcpServer>

#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace dd::bench {

namespace {

/// Demo owners in good standing (owner-007, -013, -029 and -042 are suspended on purpose).
int activeOwner(int i)
{
    static const int owners[] = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41};
    return owners[i % int(std::size(owners))];
}

std::string deliveryJson(int i)
{
    // Real places of the gazetteer (the request rules refuse near misses such as "Pike Place Market 7").
    static const char *const places[] = {"Pike Place Market", "Space Needle", "Fremont",  "Ballard",
                                         "Capitol Hill",      "West Seattle", "SoDo",     "U District"};
    char body[512];
    std::snprintf(body, sizeof body,
                  "{\"ownerId\":\"owner-%03d\",\"pickupLocation\":\"47.61,-122.33\",\"dropOffLocation\":"
                  "\"%s\",\"pickupTime\":\"2026-11-26T10:00:00Z\",\"deadline\":\"LinkedIn\","
                  "\"expedited\":%s,\"confirmationRequired\":\"None\",\"packageInfo\":{\"packageId\":\"bench-%d\","
                  "\"size\":\"Small\",\"weight\":1.5,\"tag\":\"bench\"}}",
                  activeOwner(i), places[i % int(std::size(places))], i % 5 == 0 ? "true" : "false", i);
    return body;
}

/// Runs the load on its own thread while this thread serves Qt's event loop.
HttpLoadResult runWhileServing(const HttpLoadOptions &options)
{
    HttpLoadResult result;
    std::thread load([&] {
        result = runHttpLoad(options);
        QMetaObject::invokeMethod(qApp, [] { qApp->quit(); }, Qt::QueuedConnection);
    });
    qApp->exec();
    load.join();
    return result;
}

/// The raw baseline: a bare QHttpServer that parses the JSON body and echoes it.
double echoBaseline(int requests, int connections)
{
    QHttpServer server;
    server.route("/echo", QHttpServerRequest::Method::Post, [](const QHttpServerRequest &request) {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body());
        return QHttpServerResponse(doc.object(), QHttpServerResponder::StatusCode::Accepted);
    });
    const int port = server.listen(QHostAddress::LocalHost, 0);
    HttpLoadOptions options;
    options.port = port;
    options.path = "/echo";
    options.body = deliveryJson;
    options.requests = requests;
    options.connections = connections;
    return runWhileServing(options).rate();
}

app::BackendOptions backendOptions(const QString &dir)
{
    app::BackendOptions options;
    options.dataDir = dir.toStdString();
    options.httpPort = 0;
    options.fleet = 2000;
    options.timeScale = 1;
    return options;
}

} // namespace

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

namespace {
/// Time from POST to DeliveryCreated for every delivery, via a subscriber on the live stream.
struct CreatedWatcher
{
    net::ServiceLoop loop{"bench-watch"};
    std::unique_ptr<net::Subscriber> subscriber;
    std::mutex mutex;
    std::unordered_map<std::string, double> createdAt;

    explicit CreatedWatcher(const net::EndpointTable &table)
    {
        net::SubscriberOptions options;
        options.policy = net::HwmPolicy::Lossless;
        subscriber = std::make_unique<net::Subscriber>(loop, "bench-watch", "delivery",
                                                       std::vector<std::string>{table.endpoint("delivery.events")},
                                                       options);
        subscriber->subscribe("delivery.");
        subscriber->setHandler([this](const net::Event &event) {
            if (event.envelope.method() != "DeliveryCreated")
                return;
            dronedelivery::v1::DeliveryEvent payload;
            if (!payload.ParseFromArray(event.payload.data(), int(event.payload.size())))
                return;
            std::lock_guard lock(mutex);
            createdAt.emplace(payload.delivery_id(), nowSeconds());
        });
        loop.start();
    }
    ~CreatedWatcher()
    {
        loop.invoke([this] { subscriber.reset(); });
        loop.stop();
    }
    std::size_t count()
    {
        std::lock_guard lock(mutex);
        return createdAt.size();
    }
};

struct E2eRun
{
    double rate = 0;
    std::vector<double> latenciesMs;
};

E2eRun runE2e(int requests, double rate)
{
    QTemporaryDir dir;
    app::BackendRuntime runtime(backendOptions(dir.path()));
    std::string error;
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-bench e2e: %s\n", error.c_str());
        return {};
    }
    CreatedWatcher watcher(runtime.host()->context().endpoints);
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
    const double deadline = nowSeconds() + 60;
    while (watcher.count() < std::size_t(load.completed) && nowSeconds() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a benchmark polling its result, not a test
    E2eRun run;
    {
        std::lock_guard lock(watcher.mutex);
        double last = start;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto it = watcher.createdAt.find(ids[i]);
            if (ids[i].empty() || it == watcher.createdAt.end())
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
} // namespace

int runE2e(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int requests = quick ? 3000 : 30000;
    // Like the other benches, the median of rounds: two shared cores make single runs swing
    // by ±15 %. Each round is a fresh backend on a fresh data dir.
    std::vector<double> baselines, rates;
    for (int round = 0; round < (quick ? 1 : 3); ++round) {
        baselines.push_back(echoBaseline(requests, 64));
        rates.push_back(runE2e(requests, 0).rate);
    }
    const double saturated = median(rates);
    report("e2e_deliveries", saturated, "deliveries/s", median(baselines));
    const E2eRun half = runE2e(requests / 2, saturated / 2);
    report("e2e_latency_p50_at_half_load", percentile(half.latenciesMs, 0.5), "ms", 0);
    report("e2e_latency_p99_at_half_load", percentile(half.latenciesMs, 0.99), "ms", 0);
    return 0;
}

} // namespace dd::bench
