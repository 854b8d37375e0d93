// What the HTTP benchmarks share: request bodies, the echo baseline, a backend to load, a stream watcher.
#pragma once

#include "BackendOptions.h"
#include "HttpLoad.h"

#include "net/pubsub/Subscriber.h"
#include "net/transport/EndpointTable.h"
#include "net/transport/ServiceLoop.h"

#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dd::bench {

/// A valid delivery request, different per index (package id, owner, drop-off).
std::string deliveryJson(int index);

/// Runs the load on its own thread while this thread serves Qt's event loop (the gateway lives there).
HttpLoadResult runWhileServing(const HttpLoadOptions &options);

/// The raw baseline: a bare QHttpServer that parses the JSON body and echoes it (requests/s).
double echoBaseline(int requests, int connections);

/// The embedded backend with HTTP on a free port and a 2,000-drone fleet, its data in `dir`.
app::BackendOptions backendOptions(const QString &dir);

/// First time each key was heard on a lossless event stream (seconds, nowSeconds clock):
/// deliveries on "delivery.events", failed transactions on "supervisor.events".
class StreamWatcher
{
public:
    /// `key` returns the event's key (empty: not counted) from its method and payload.
    using KeyOf = std::function<std::string(const std::string &method, std::string_view payload)>;

    StreamWatcher(const net::EndpointTable &table, const std::string &service, const std::string &topicPrefix,
                  KeyOf key);
    ~StreamWatcher();

    std::size_t count() const;
    /// Keys first heard at or before `until`.
    std::size_t countUntil(double until) const;
    /// A copy of key → first heard.
    std::unordered_map<std::string, double> firstHeard() const;
    /// Waits (bounded by `timeoutSeconds`) until `target` keys were heard; returns the count.
    std::size_t waitFor(std::size_t target, double timeoutSeconds) const;

private:
    net::ServiceLoop m_loop{"bench-watch"};
    std::unique_ptr<net::Subscriber> m_subscriber;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, double> m_firstHeard;
};

/// DeliveryCreated events keyed by delivery id.
StreamWatcher::KeyOf deliveryCreatedKey();
/// Failed transactions keyed by transaction id (their first TransactionUpdated is the Supervisor's record).
StreamWatcher::KeyOf transactionRecordedKey();

/// Bytes of every file under `dir` (the data dir's size on disk, roughly).
std::uint64_t directoryBytes(const QString &dir);
/// This process's resident set, MB (/proc/self/status VmRSS).
double residentMegabytes();

} // namespace dd::bench
