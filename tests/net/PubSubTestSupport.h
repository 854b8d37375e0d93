// Shared fixtures for the pub/sub tests: a publishing service with replay, a subscriber loop, collectors.
#pragma once

#include "RpcTestSupport.h"
#include "mesh.pb.h"
#include "net/pubsub/Publisher.h"
#include "net/pubsub/ReplayBuffer.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/transport/EndpointTable.h"
#include "net/transport/ServiceLoop.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace dd::net::test {


/// Holds a loop inside a posted task until released (or destroyed, so a failing test never hangs).
class LoopBlocker
{
public:
    explicit LoopBlocker(ServiceLoop &loop)
    {
        loop.post([this, release = m_release.get_future().share()] {
            m_blocked = true;
            release.wait();
        });
    }
    ~LoopBlocker() { release(); }
    bool blocked() const { return m_blocked.load(); }
    void release()
    {
        if (!m_released.exchange(true))
            m_release.set_value();
    }

private:
    std::promise<void> m_release;
    std::atomic<bool> m_blocked{false};
    std::atomic<bool> m_released{false};
};

struct Seen
{
    std::string topic;
    std::string type;
    std::string payload;
    std::uint64_t sequence = 0;
    bool replayed = false;
};

/// What a subscriber's handler saw; filled on the loop thread, read from the test thread.
class Collector
{
public:
    Subscriber::Handler handler()
    {
        return [this](const Event &e) {
            std::lock_guard lock(m_mutex);
            m_events.push_back({std::string(e.topic), e.envelope.method(), std::string(e.payload),
                                e.envelope.sequence(), e.replayed});
        };
    }
    std::vector<Seen> events() const
    {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    int count(std::string_view topic) const
    {
        std::lock_guard lock(m_mutex);
        return int(std::count_if(m_events.begin(), m_events.end(), [&](const Seen &s) { return s.topic == topic; }));
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Seen> m_events;
};

inline std::string uniqueInproc(const char *what)
{
    static std::atomic<int> n{0};
    return "inproc://tst-pubsub-" + std::string(what) + "-" + std::to_string(++n);
}

inline std::vector<Seen> withTopic(const std::vector<Seen> &events, std::string_view topic)
{
    std::vector<Seen> out;
    for (const auto &e : events)
        if (e.topic == topic)
            out.push_back(e);
    return out;
}

/// Every event from first contact on was handled once, in order: sequences go up by exactly one.
inline bool consecutive(const std::vector<Seen> &events)
{
    for (std::size_t i = 1; i < events.size(); ++i)
        if (events[i].sequence != events[i - 1].sequence + 1)
            return false;
    return true;
}

inline EndpointTable tableFor(const std::string &service, const std::string &endpoint)
{
    EndpointTable table;
    table.add({service, endpoint});
    return table;
}

/// A publisher's durable log (a service writes it to SQLite): persist appends, history
/// reads back from a sequence on. Thread-safe: the publisher and the server may differ.
struct DurableLog
{
    std::mutex mutex;
    std::vector<StoredEvent> events;
    std::atomic<int> reads{0};

    void attachTo(PublisherOptions &options)
    {
        options.persist = [this](const StoredEvent &event) {
            std::lock_guard lock(mutex);
            events.push_back(event);
        };
        options.history = [this](std::uint64_t from, std::size_t max) {
            ++reads;
            std::lock_guard lock(mutex);
            std::vector<StoredEvent> out;
            for (const auto &event : events)
                if (event.sequence >= from && out.size() < max)
                    out.push_back(event);
            return out;
        };
    }
};

/// A publishing service that answers Events.Replay, and a subscriber loop with a client of
/// that service; attach() adds the subscriber. Members are torn down in reverse, on their loops.
struct Rig
{
    explicit Rig(const std::string &name, PublisherOptions publisherOptions = {})
        : service(name + "-svc"),
          pubEndpoint(uniqueInproc(name.c_str())),
          rpcEndpoint(uniqueInproc(name.c_str())),
          publisher(service, pubEndpoint, std::move(publisherOptions)),
          serverLoop(name + "-srv"),
          server(serverLoop, service, rpcEndpoint),
          loop(name + "-sub"),
          client(loop, name + "-sub", service, tableFor(service, rpcEndpoint))
    {
        publisher.serveReplay(*server); // before start(): on this thread is fine
        serverLoop.start();
        loop.start();
    }

    Subscriber &attach(const std::vector<std::string> &prefixes, bool replay, SubscriberOptions options = {},
                       std::vector<std::string> endpoints = {})
    {
        if (endpoints.empty())
            endpoints.push_back(pubEndpoint);
        sub.emplace(loop, service + "-sub", service, endpoints, options);
        loop.invoke([&] {
            for (const auto &prefix : prefixes)
                (*sub)->subscribe(prefix);
            (*sub)->setHandler(seen.handler());
            if (replay)
                (*sub)->setReplayClient(&*client);
        });
        return **sub;
    }

    std::string service, pubEndpoint, rpcEndpoint;
    Publisher publisher;
    ServiceLoop serverLoop;
    OnLoop<RpcServer> server;
    ServiceLoop loop;
    OnLoop<RpcClient> client;
    Collector seen;
    std::optional<OnLoop<Subscriber>> sub;
};


} // namespace dd::net::test

// PUB/SUB slow joiner: publish until the subscriber has something, on the "warmup" topic.
#define WARM_UP(publisher, collector)                                                                               \
    QTRY_VERIFY_WITH_TIMEOUT(((publisher).publishRaw("warmup", "Warmup", "x"), (collector).count("warmup") > 0), 5000)
