// Fixtures for the tracking services' tests (drone, delivery, history): contexts with endpoints of their own,
// services started on them with a client, and a subscriber that records what it hears.
#pragma once

#include "ServiceUnderTest.h"
#include "backend/common/ServiceContext.h"
#include "net/pubsub/Subscriber.h"

#include <QString>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dd::backend::test {

/// Every name the tracking services bind or connect to.
inline const std::vector<std::string> &trackingNames()
{
    static const std::vector<std::string> names{"drone", "drone.telemetry", "delivery", "delivery.events",
                                                "deliveryhistory"};
    return names;
}

/// A context on `dataDir` whose endpoints are unique to this call (inproc names are process-wide:
/// a restarted instance on a fresh name never races the previous socket's teardown). `keep` copies
/// the endpoints of those names from `previous`, so a restarted service still meets the running ones.
inline ServiceContext trackingContext(const QString &dataDir, const ServiceContext *previous = nullptr,
                                      const std::vector<std::string> &keep = {})
{
    ServiceContext context;
    if (previous)
        context = *previous;
    context.dataDir = dataDir.toStdString();
    context.endpoints = net::EndpointTable();
    for (const std::string &name : trackingNames()) {
        const bool kept = previous && std::find(keep.begin(), keep.end(), name) != keep.end();
        context.endpoints.add({name, kept ? previous->endpoints.endpoint(name) : net::test::uniqueEndpoint(name.c_str()),
                               "v1"});
    }
    return context;
}

/// One service started on a context the test owns, with a client for calls; stopped when destroyed.
template <typename Service>
using Running = ServiceUnderTest<Service>;

/// What a test subscriber heard: type, topic, sequence and payload of each event, in arrival order.
struct Heard
{
    std::string topic;
    std::string type;
    std::uint64_t sequence = 0;
    std::string payload;
};

/// A subscriber on a loop of its own that records every event (thread-safe to read).
class Recorder
{
public:
    Recorder(const std::string &publisherService, const std::string &endpoint, const std::string &prefix,
             net::HwmPolicy policy)
        : m_loop("recorder")
    {
        m_loop.start();
        m_loop.invoke([&] {
            net::SubscriberOptions options;
            options.policy = policy;
            m_subscriber = std::make_unique<net::Subscriber>(m_loop, "recorder", publisherService,
                                                             std::vector<std::string>{endpoint}, options);
            m_subscriber->subscribe(prefix);
            m_subscriber->setHandler([this](const net::Event &event) {
                std::lock_guard lock(m_mutex);
                m_heard.push_back({std::string(event.topic), event.envelope.method(), event.envelope.sequence(),
                                   std::string(event.payload)});
            });
        });
    }
    ~Recorder()
    {
        m_loop.invoke([&] { m_subscriber.reset(); });
        m_loop.stop();
    }

    std::vector<Heard> heard() const
    {
        std::lock_guard lock(m_mutex);
        return m_heard;
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_heard.size();
    }

private:
    net::ServiceLoop m_loop;
    std::unique_ptr<net::Subscriber> m_subscriber;
    mutable std::mutex m_mutex;
    std::vector<Heard> m_heard;
};

} // namespace dd::backend::test
