// BenchBackend: the shared parts of the HTTP benchmarks (request bodies, echo, backend options, watcher).
#include "BenchBackend.h"

#include "BenchReport.h"

#include "domain.pb.h"
#include "services.pb.h"
#include "workflow.pb.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace dd::bench {

namespace {
/// Demo owners in good standing (owner-007, -013, -029 and -042 are suspended on purpose).
int activeOwner(int i)
{
    static const int owners[] = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41};
    return owners[i % int(std::size(owners))];
}
} // namespace

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

StreamWatcher::StreamWatcher(const net::EndpointTable &table, const std::string &service,
                             const std::string &topicPrefix, KeyOf key)
{
    net::SubscriberOptions options;
    options.policy = net::HwmPolicy::Lossless;
    m_subscriber = std::make_unique<net::Subscriber>(
        m_loop, "bench-watch", service, std::vector<std::string>{table.endpoint(service + ".events")}, options);
    m_subscriber->subscribe(topicPrefix);
    m_subscriber->setHandler([this, key = std::move(key)](const net::Event &event) {
        const std::string k = key(event.envelope.method(), event.payload);
        if (k.empty())
            return;
        std::lock_guard lock(m_mutex);
        m_firstHeard.emplace(k, nowSeconds());
    });
    m_loop.start();
}

StreamWatcher::~StreamWatcher()
{
    m_loop.invoke([this] { m_subscriber.reset(); });
    m_loop.stop();
}

std::size_t StreamWatcher::count() const
{
    std::lock_guard lock(m_mutex);
    return m_firstHeard.size();
}

std::size_t StreamWatcher::countUntil(double until) const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &[k, at] : m_firstHeard)
        n += at <= until ? 1 : 0;
    return n;
}

std::unordered_map<std::string, double> StreamWatcher::firstHeard() const
{
    std::lock_guard lock(m_mutex);
    return m_firstHeard;
}

std::size_t StreamWatcher::waitFor(std::size_t target, double timeoutSeconds) const
{
    // A benchmark polling its own result (the stream is asynchronous by design), not a test.
    const double deadline = nowSeconds() + timeoutSeconds;
    std::size_t n = count();
    while (n < target && nowSeconds() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        n = count();
    }
    return n;
}

StreamWatcher::KeyOf deliveryCreatedKey()
{
    return [](const std::string &method, std::string_view payload) -> std::string {
        if (method != "DeliveryCreated")
            return {};
        dronedelivery::v1::DeliveryEvent event;
        if (!event.ParseFromArray(payload.data(), int(payload.size())))
            return {};
        return event.delivery_id();
    };
}

StreamWatcher::KeyOf transactionRecordedKey()
{
    return [](const std::string &method, std::string_view payload) -> std::string {
        if (method != "TransactionUpdated")
            return {};
        dronedelivery::v1::FailedTransaction tx;
        if (!tx.ParseFromArray(payload.data(), int(payload.size())))
            return {};
        return tx.transaction_id();
    };
}

std::uint64_t directoryBytes(const QString &dir)
{
    std::uint64_t bytes = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        bytes += std::uint64_t(QFileInfo(it.next()).size());
    return bytes;
}

double residentMegabytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}

} // namespace dd::bench
