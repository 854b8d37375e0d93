// Tests of pub/sub: lossless ordering, topic filters, gap detection and replay, conflation, resume, bad frames.
#include "mesh.pb.h"
#include "RpcTestSupport.h"
#include "net/pubsub/Publisher.h"
#include "net/pubsub/ReplayBuffer.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/transport/EndpointTable.h"
#include "net/transport/ServiceLoop.h"
#include "net/transport/ZmqContext.h"

#include <QtTest>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

using namespace dd::net;
using dd::net::test::OnLoop;
using namespace dronedelivery::v1;

namespace {

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

std::string uniqueInproc(const char *what)
{
    static std::atomic<int> n{0};
    return "inproc://tst-pubsub-" + std::string(what) + "-" + std::to_string(++n);
}

std::vector<Seen> withTopic(const std::vector<Seen> &events, std::string_view topic)
{
    std::vector<Seen> out;
    for (const auto &e : events)
        if (e.topic == topic)
            out.push_back(e);
    return out;
}

/// Every event from first contact on was handled once, in order: sequences go up by exactly one.
bool consecutive(const std::vector<Seen> &events)
{
    for (std::size_t i = 1; i < events.size(); ++i)
        if (events[i].sequence != events[i - 1].sequence + 1)
            return false;
    return true;
}

EndpointTable tableFor(const std::string &service, const std::string &endpoint)
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

} // namespace

// PUB/SUB slow joiner: publish until the subscriber has something, on the "warmup" topic.
#define WARM_UP(publisher, collector)                                                                               \
    QTRY_VERIFY_WITH_TIMEOUT(((publisher).publishRaw("warmup", "Warmup", "x"), (collector).count("warmup") > 0), 5000)

class TestPubSub : public QObject
{
    Q_OBJECT

private slots:
    void losslessEventsArriveOnceInOrder()
    {
        Rig rig("order");
        QCOMPARE(rig.publisher.policy(), HwmPolicy::Lossless);
        Subscriber &sub = rig.attach({""}, false);
        WARM_UP(rig.publisher, rig.seen);

        constexpr int kEvents = 2000;
        std::vector<std::uint64_t> sent;
        for (int i = 0; i < kEvents; ++i) {
            EchoRequest event;
            event.set_payload("status-" + std::to_string(i));
            sent.push_back(rig.publisher.publish("delivery.status", "DeliveryStatusChanged", event));
        }
        QCOMPARE(rig.publisher.lastSequence(), sent.back());
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.status"), kEvents, 10000);

        const auto all = rig.seen.events();
        const auto status = withTopic(all, "delivery.status");
        for (int i = 0; i < kEvents; ++i) {
            QCOMPARE(status[i].sequence, sent[i]);
            QCOMPARE(status[i].type, std::string("DeliveryStatusChanged"));
            QVERIFY(!status[i].replayed);
            EchoRequest event;
            QVERIFY(event.ParseFromString(status[i].payload));
            QCOMPARE(event.payload(), "status-" + std::to_string(i));
        }
        QVERIFY(consecutive(all));
        QCOMPARE(all.back().sequence, sent.back());
        QCOMPARE(sub.gaps(), 0u);
        QCOMPARE(sub.duplicates(), 0u);
        QCOMPARE(sub.badFrames(), 0u);
        QCOMPARE(sub.delivered(), std::uint64_t(all.size()));
        QCOMPARE(rig.loop.invoke([&] { return sub.lastSequence(rig.service); }), sent.back());
    }

    void topicPrefixFilters_data()
    {
        QTest::addColumn<bool>("withReplayClient");
        QTest::newRow("live only") << false;
        QTest::newRow("with replay client") << true; // replays must honour the filter too
    }

    void topicPrefixFilters()
    {
        QFETCH(bool, withReplayClient);
        Rig rig("filter");
        Subscriber &sub = rig.attach({"warmup", "delivery."}, withReplayClient);
        WARM_UP(rig.publisher, rig.seen);

        std::vector<std::uint64_t> sent;
        for (int i = 0; i < 200; ++i) {
            rig.publisher.publishRaw("drone.telemetry." + std::to_string(i % 7), "DroneTelemetry", "pos");
            sent.push_back(rig.publisher.publishRaw(i % 2 ? "delivery.status" : "delivery.eta", "DeliveryEvent",
                                                    std::to_string(i)));
        }
        sent.push_back(rig.publisher.publishRaw("delivery.end", "End", ""));
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.end"), 1, 10000);

        std::vector<std::uint64_t> delivery;
        for (const auto &e : rig.seen.events()) {
            QVERIFY2(e.topic.rfind("drone.", 0) != 0, e.topic.c_str());
            QVERIFY(e.topic == "warmup" || e.topic.rfind("delivery.", 0) == 0);
            if (e.topic.rfind("delivery.", 0) == 0)
                delivery.push_back(e.sequence);
        }
        QCOMPARE(delivery, sent); // each once, in order
        QCOMPARE(rig.seen.count("delivery.status"), 100);
        QCOMPARE(rig.seen.count("delivery.eta"), 100);
        // Sequences are per publisher: the filtered-out drone events look like missing ones.
        qInfo("filtered subscriber counted %llu gaps", (unsigned long long)sub.gaps());
    }

    void gapIsDetectedAndFilledByReplay_data()
    {
        QTest::addColumn<int>("replayCapacity");
        QTest::addColumn<bool>("durableLog");
        QTest::addColumn<int>("events");
        QTest::newRow("from the buffer") << 100000 << false << 20000;
        // The buffer keeps only the last 100 events; the older ones come from the log.
        QTest::newRow("from the durable log") << 100 << true << 5000;
    }

    void gapIsDetectedAndFilledByReplay()
    {
        QFETCH(int, replayCapacity);
        QFETCH(bool, durableLog);
        QFETCH(int, events);
        DurableLog log;
        PublisherOptions publisherOptions;
        publisherOptions.policy = HwmPolicy::Lossless;
        publisherOptions.sendHighWaterMark = 10;
        publisherOptions.replayCapacity = std::size_t(replayCapacity);
        if (durableLog)
            log.attachTo(publisherOptions);
        Rig rig("replay", publisherOptions);
        SubscriberOptions subOptions;
        subOptions.policy = HwmPolicy::Lossless;
        subOptions.receiveHighWaterMark = 10;
        Subscriber &sub = rig.attach({""}, true, subOptions);
        WARM_UP(rig.publisher, rig.seen);

        // The subscriber stalls while the events go out through 20 slots of queue.
        LoopBlocker blocker(rig.loop);
        QTRY_VERIFY_WITH_TIMEOUT(blocker.blocked(), 5000);
        std::vector<std::uint64_t> sent;
        for (int i = 0; i < events; ++i)
            sent.push_back(rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i)));
        if (durableLog) // most of what the subscriber missed is no longer in memory
            QCOMPARE(rig.publisher.replayBuffer().size(), std::size_t(replayCapacity));
        blocker.release();
        // Nothing lost is noticed until something newer arrives.
        QTRY_VERIFY_WITH_TIMEOUT((rig.publisher.publishRaw("tick", "Tick", ""), sub.gaps() > 0), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.status"), events, 30000);

        const auto all = rig.seen.events();
        const auto status = withTopic(all, "delivery.status");
        for (int i = 0; i < events; ++i) {
            QCOMPARE(status[i].sequence, sent[i]);
            QCOMPARE(status[i].payload, std::to_string(i));
            QCOMPARE(status[i].type, std::string("DeliveryStatusChanged"));
        }
        QVERIFY(consecutive(all)); // nothing skipped, also where the log hands over to the buffer
        QVERIFY(sub.gaps() > 0);
        QVERIFY(sub.recovered() > 0);
        const auto replayed = std::count_if(all.begin(), all.end(), [](const Seen &s) { return s.replayed; });
        QCOMPARE(std::uint64_t(replayed), sub.recovered());
        if (durableLog) {
            QVERIFY(log.reads > 0);
            QVERIFY(sub.recovered() > std::uint64_t(events) - 100 - 20); // almost all came back through replay
        }
        qInfo("gaps %llu, recovered %llu, duplicates %llu", (unsigned long long)sub.gaps(),
              (unsigned long long)sub.recovered(), (unsigned long long)sub.duplicates());
    }

    void replayFromTheLogStopsWhereTheBufferStarts()
    {
        // A replay spanning log and buffer: each sequence once, the log read only below the buffer.
        DurableLog log;
        PublisherOptions publisherOptions;
        publisherOptions.replayCapacity = 10;
        log.attachTo(publisherOptions);
        Rig rig("handover", publisherOptions);
        for (int i = 0; i < 50; ++i)
            rig.publisher.publishRaw(i % 2 ? "a.x" : "b.x", "E", std::to_string(i));
        const auto replay = [&](std::uint64_t from, const std::string &prefix, std::uint32_t max) {
            ReplayRequest request;
            request.set_from_sequence(from);
            request.set_topic_prefix(prefix);
            request.set_max_events(max);
            auto promise = std::make_shared<std::promise<RpcResult<ReplayReply>>>();
            auto future = promise->get_future();
            rig.loop.post([&rig, request, promise] {
                rig.client->call<ReplayReply>("Events.Replay", request, {},
                                              [promise](RpcResult<ReplayReply> &&r) { promise->set_value(std::move(r)); });
            });
            if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
                qFatal("replay call did not complete within 30 s");
            return future.get();
        };
        auto all = replay(5, "", 100);
        QVERIFY(all.ok());
        QCOMPARE(all.value.events_size(), 46);
        QCOMPARE(all.value.first_available(), 5u);
        Envelope envelope;
        for (int i = 0; i < all.value.events_size(); ++i) {
            QVERIFY(envelope.ParseFromString(all.value.events(i).envelope()));
            QCOMPARE(envelope.sequence(), std::uint64_t(5 + i));
        }
        auto page = replay(1, "", 20); // the log alone fills the page
        QCOMPARE(page.value.events_size(), 20);
        auto filtered = replay(1, "a.", 100);
        QCOMPARE(filtered.value.events_size(), 25);
        for (const auto &event : filtered.value.events())
            QVERIFY(event.topic().starts_with("a."));

        // A narrow prefix pages through the log with next_sequence: each match once, in order.
        std::vector<std::uint64_t> matches;
        for (std::uint64_t from = 1; from <= 50;) {
            auto part = replay(from, "a.", 4);
            QVERIFY(part.ok());
            QVERIFY(part.value.next_sequence() > from); // always progress
            for (const auto &event : part.value.events()) {
                QVERIFY(envelope.ParseFromString(event.envelope()));
                QVERIFY(event.topic().starts_with("a."));
                matches.push_back(envelope.sequence());
            }
            from = part.value.next_sequence();
        }
        QCOMPARE(matches.size(), std::size_t(25));
        for (std::size_t i = 0; i < matches.size(); ++i)
            QCOMPARE(matches[i], std::uint64_t(2 * i + 2)); // "a.x" went out on every even sequence
        // A prefix that matches nothing still tells how far the scan got.
        auto none = replay(1, "zzz", 2);
        QCOMPARE(none.value.events_size(), 0);
        QVERIFY(none.value.next_sequence() > 1);

        // A log with nothing below the buffer (pruned, say): the buffer still answers, and
        // first_available tells the subscriber where the stream resumes.
        {
            std::lock_guard lock(log.mutex);
            log.events.clear();
        }
        auto pruned = replay(1, "", 100);
        QCOMPARE(pruned.value.events_size(), 10);
        QCOMPARE(pruned.value.first_available(), 41u);
        QVERIFY(envelope.ParseFromString(pruned.value.events(0).envelope()));
        QCOMPARE(envelope.sequence(), 41u);
    }

    void gapWithoutReplayClientIsCountedAndDeliveryContinues()
    {
        PublisherOptions publisherOptions;
        publisherOptions.sendHighWaterMark = 10;
        Rig rig("noreplay", publisherOptions);
        SubscriberOptions subOptions;
        subOptions.receiveHighWaterMark = 10;
        Subscriber &sub = rig.attach({""}, false, subOptions);
        WARM_UP(rig.publisher, rig.seen);

        constexpr int kEvents = 2000;
        LoopBlocker blocker(rig.loop);
        QTRY_VERIFY_WITH_TIMEOUT(blocker.blocked(), 5000);
        for (int i = 0; i < kEvents; ++i)
            rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i));
        blocker.release();
        QTRY_VERIFY_WITH_TIMEOUT((rig.publisher.publishRaw("tick", "Tick", ""), sub.gaps() > 0), 10000);
        // No stall: events published after the gap still come through.
        QTRY_VERIFY_WITH_TIMEOUT((rig.publisher.publishRaw("after", "After", ""), rig.seen.count("after") > 0),
                                 10000);

        // A consistent snapshot: taken on the loop, where the handler runs.
        auto [all, gaps] = rig.loop.invoke([&] { return std::make_pair(rig.seen.events(), sub.gaps()); });
        QVERIFY(rig.seen.count("delivery.status") < kEvents);
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i].sequence > all[i - 1].sequence); // never a duplicate, never out of order
        // Every sequence from first contact to the newest was either delivered or counted missing.
        QCOMPARE(std::uint64_t(all.size()) + gaps, all.back().sequence - all.front().sequence + 1);
        QCOMPARE(sub.recovered(), 0u);
        QCOMPARE(sub.duplicates(), 0u);
    }

    void conflationKeepsLatestPerTopic()
    {
        PublisherOptions publisherOptions;
        publisherOptions.policy = HwmPolicy::Conflate;
        Rig rig("conflate", publisherOptions);
        SubscriberOptions subOptions;
        subOptions.policy = HwmPolicy::Conflate;
        Subscriber &sub = rig.attach({""}, false, subOptions);
        WARM_UP(rig.publisher, rig.seen);

        constexpr int kTopics = 10, kUpdates = 100;
        LoopBlocker blocker(rig.loop);
        QTRY_VERIFY_WITH_TIMEOUT(blocker.blocked(), 5000);
        const std::uint64_t receivedBefore = sub.received(); // the loop is held: no change until release
        for (int u = 0; u < kUpdates; ++u)
            for (int t = 0; t < kTopics; ++t)
                rig.publisher.publishRaw("drone." + std::to_string(t), "DroneTelemetry", std::to_string(u));
        blocker.release();

        std::map<std::string, std::string> latest;
        std::map<std::string, int> deliveries;
        auto allFinal = [&] {
            latest.clear();
            deliveries.clear();
            for (const auto &e : rig.seen.events()) {
                latest[e.topic] = e.payload;
                ++deliveries[e.topic];
            }
            for (int t = 0; t < kTopics; ++t)
                if (latest["drone." + std::to_string(t)] != std::to_string(kUpdates - 1))
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allFinal(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(sub.received() >= receivedBefore + kTopics * kUpdates, 10000);
        QVERIFY(sub.delivered() < sub.received());
        int total = 0;
        for (int t = 0; t < kTopics; ++t)
            total += deliveries["drone." + std::to_string(t)];
        QVERIFY2(total < kTopics * kUpdates, qPrintable(QString::number(total)));
        QCOMPARE(sub.gaps(), 0u); // nothing was dropped, only conflated
    }

    void resumeFromReplaysOnlyNewerEvents()
    {
        Rig rig("resume");
        // Published while nobody listens: only the replay buffer has them.
        for (int i = 1; i <= 50; ++i)
            QCOMPARE(rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i)),
                     std::uint64_t(i));
        Subscriber &sub = rig.attach({""}, true);
        rig.loop.invoke([&] { sub.resumeFrom(rig.service, 20); });
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.status"), 30, 10000);
        auto all = rig.seen.events();
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(all[i].sequence, std::uint64_t(21 + i));
            QCOMPARE(all[i].payload, std::to_string(21 + i));
            QVERIFY(all[i].replayed);
        }
        QCOMPARE(rig.loop.invoke([&] { return sub.lastSequence(rig.service); }), 50u);

        // The live stream then continues where the replay ended.
        QTRY_VERIFY_WITH_TIMEOUT((rig.publisher.publishRaw("live", "Live", ""), rig.seen.count("live") > 0), 10000);
        all = rig.seen.events();
        QCOMPARE(all.front().sequence, 21u);
        QVERIFY(consecutive(all));
        QCOMPARE(rig.seen.count("delivery.status"), 30);
    }

    void garbageFramesAreCountedAndSkipped()
    {
        Rig rig("garbage");
        const std::string rawEndpoint = uniqueInproc("garbage-raw");
        zmq::socket_t raw(ZmqContext::instance(), zmq::socket_type::pub);
        raw.set(zmq::sockopt::linger, 0);
        raw.bind(rawEndpoint);
        Subscriber &sub = rig.attach({""}, false, {}, {rawEndpoint, rig.pubEndpoint});
        Collector &seen = rig.seen;

        std::uint64_t rawSequence = 1;
        // Garbage made from valid frames takes no sequence number: it must not look like a gap.
        auto validRaw = [&](std::string_view topic, Kind kind = EVENT, bool garbage = false) {
            Envelope envelope;
            envelope.set_kind(kind);
            envelope.set_source("raw-source");
            envelope.set_sequence(garbage ? 1000000 : rawSequence++);
            envelope.set_method("RawEvent");
            return frame(envelope, "ok", topic);
        };
        QTRY_VERIFY_WITH_TIMEOUT((raw.send(validRaw("raw.warmup"), zmq::send_flags::none), seen.count("raw.warmup") > 0),
                                 5000);
        WARM_UP(rig.publisher, seen);
        QCOMPARE(sub.badFrames(), 0u);

        auto sendBytes = [&](std::string bytes, zmq::send_flags flags = zmq::send_flags::none) {
            raw.send(zmq::buffer(bytes), flags);
        };
        int garbage = 0;
        sendBytes(""), ++garbage;                                    // empty
        sendBytes("a frame with no NUL at all"), ++garbage;          // no topic terminator
        sendBytes(std::string("t\0\x01\x02", 4)), ++garbage;         // shorter than the length prefix
        sendBytes(std::string("t\0\xe8\x03\0\0short", 11)), ++garbage; // length 1000 beyond the frame
        sendBytes(std::string("t\0\x04\0\0\0\xff\xff\xff\xff", 10)), ++garbage; // envelope that does not parse
        {
            const zmq::message_t whole = validRaw("raw.cut", EVENT, true);
            sendBytes(std::string(static_cast<const char *>(whole.data()), whole.size() - 5)), ++garbage; // truncated
        }
        raw.send(validRaw("raw.request", REQUEST, true), zmq::send_flags::none), ++garbage; // well framed, not an EVENT
        sendBytes("raw.multi", zmq::send_flags::sndmore);                              // multi-frame junk
        sendBytes("more junk", zmq::send_flags::sndmore);
        sendBytes("end of junk"), ++garbage;
        std::mt19937 random(42);
        for (int i = 0; i < 20; ++i) {
            std::string bytes(64 + i * 13, '\0');
            for (char &c : bytes)
                c = char(random());
            sendBytes(bytes), ++garbage;
        }

        // Order holds per connection: once this arrives, all the junk before it was read.
        raw.send(validRaw("raw.after"), zmq::send_flags::none);
        QTRY_COMPARE_WITH_TIMEOUT(seen.count("raw.after"), 1, 10000);
        QCOMPARE(sub.badFrames(), std::uint64_t(garbage));

        for (int i = 0; i < 10; ++i)
            rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i));
        QTRY_COMPARE_WITH_TIMEOUT(seen.count("delivery.status"), 10, 10000);
        QCOMPARE(sub.badFrames(), std::uint64_t(garbage));
        QCOMPARE(sub.gaps(), 0u);
        QCOMPARE(seen.count("raw.cut") + seen.count("raw.request") + seen.count("raw.multi"), 0);
    }

    void replayBufferBoundsAndQueries()
    {
        ReplayBuffer buffer(5);
        QCOMPARE(buffer.size(), 0u);
        QCOMPARE(buffer.firstSequence(), 0u);
        QCOMPARE(buffer.lastSequence(), 0u);
        QVERIFY(buffer.since(0, "", 10).empty());
        for (std::uint64_t s = 1; s <= 8; ++s)
            buffer.append({s, s % 2 ? "a.odd" : "b.even", "env" + std::to_string(s), "p" + std::to_string(s)});
        // The capacity bound drops the oldest.
        QCOMPARE(buffer.size(), 5u);
        QCOMPARE(buffer.firstSequence(), 4u);
        QCOMPARE(buffer.lastSequence(), 8u);

        auto sequences = [](const std::vector<StoredEvent> &events) {
            std::vector<std::uint64_t> out;
            for (const auto &e : events)
                out.push_back(e.sequence);
            return out;
        };
        using Seqs = std::vector<std::uint64_t>;
        QCOMPARE(sequences(buffer.since(0, "", 100)), (Seqs{4, 5, 6, 7, 8}));
        QCOMPARE(sequences(buffer.since(6, "", 100)), (Seqs{6, 7, 8}));
        QCOMPARE(sequences(buffer.since(0, "", 2)), (Seqs{4, 5}));
        QCOMPARE(sequences(buffer.since(5, "a.", 100)), (Seqs{5, 7}));
        QCOMPARE(sequences(buffer.since(0, "b.", 1)), (Seqs{4}));
        QCOMPARE(sequences(buffer.since(0, "b.even", 100)), (Seqs{4, 6, 8}));
        QVERIFY(buffer.since(9, "", 100).empty());
        QVERIFY(buffer.since(0, "c.", 100).empty());
        QVERIFY(buffer.since(0, "", 0).empty());
        const auto e = buffer.since(7, "", 1);
        QCOMPARE(e.front().topic, std::string("a.odd"));
        QCOMPARE(e.front().envelope, std::string("env7"));
        QCOMPARE(e.front().payload, std::string("p7"));

        ReplayBuffer tiny(0); // capacity is at least one
        tiny.append({1, "t", "", ""});
        tiny.append({2, "t", "", ""});
        QCOMPARE(tiny.size(), 1u);
        QCOMPARE(tiny.firstSequence(), 2u);
    }
};

QTEST_GUILESS_MAIN(TestPubSub)
#include "tst_pubsub.moc"
