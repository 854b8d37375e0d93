// Tests of live pub/sub: lossless ordering, topic filters, gaps without replay, conflation, bad frames.
#include "PubSubTestSupport.h"
#include "net/transport/ZmqContext.h"

#include <map>
#include <random>

using namespace dd::net;
using namespace dd::net::test;
using namespace dronedelivery::v1;

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
};

QTEST_GUILESS_MAIN(TestPubSub)
#include "tst_pubsub.moc"
