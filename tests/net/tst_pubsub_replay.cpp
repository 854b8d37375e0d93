// Tests of pub/sub replay: gaps filled from the buffer and the durable log, paging, resume, the replay buffer.
#include "PubSubTestSupport.h"

using namespace dd::net;
using namespace dd::net::test;
using namespace dronedelivery::v1;

class TestPubSubReplay : public QObject
{
    Q_OBJECT

private slots:
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

    void stagedEventsAreHeardAndReplayedOnlyOnceReleased()
    {
        // A service stages events in its open store transaction and releases them after the commit.
        DurableLog log;
        PublisherOptions publisherOptions;
        log.attachTo(publisherOptions);
        Rig rig("staged", publisherOptions);
        const auto replay = [&](std::uint64_t from) {
            ReplayRequest request;
            request.set_from_sequence(from);
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
        ReplayRequest body; // any message will do as a payload
        // Persisted (the log, like the store's open transaction, has it) but neither sent nor replayed.
        QCOMPARE(rig.publisher.stage("delivery.x", "E", body), std::uint64_t(1));
        QCOMPARE(log.events.size(), std::size_t(1));
        QCOMPARE(rig.publisher.lastSequence(), std::uint64_t(0));
        QCOMPARE(replay(1).value.events_size(), 0);
        rig.publisher.discardStaged(); // rolled back: the number was never heard, so it is free again

        Subscriber &sub = rig.attach({""}, true);
        (void)sub;
        WARM_UP(rig.publisher, rig.seen);
        const std::uint64_t base = rig.publisher.lastSequence();
        QCOMPARE(rig.publisher.stage("delivery.a", "E", body), base + 1);
        QCOMPARE(rig.publisher.stage("delivery.b", "E", body), base + 2);
        QCOMPARE(rig.publisher.stagedCount(), std::size_t(2));
        rig.publisher.discardStaged(1); // b's change was undone alone (its savepoint)
        QCOMPARE(rig.publisher.stage("delivery.c", "E", body), base + 2);
        QCOMPARE(rig.publisher.lastSequence(), base);
        QCOMPARE(replay(base + 1).value.events_size(), 0);

        rig.publisher.releaseStaged(); // committed
        QCOMPARE(rig.publisher.stagedCount(), std::size_t(0));
        QCOMPARE(rig.publisher.lastSequence(), base + 2);
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.c"), 1, 10000);
        QCOMPARE(rig.seen.count("delivery.a"), 1);
        QCOMPARE(rig.seen.count("delivery.b"), 0);
        QCOMPARE(rig.seen.count("delivery.x"), 0);
        QVERIFY(consecutive(rig.seen.events()));
        const auto released = replay(base + 1);
        QCOMPARE(released.value.events_size(), 2);
        QCOMPARE(released.value.events(0).topic(), std::string("delivery.a"));
        QCOMPARE(released.value.events(1).topic(), std::string("delivery.c"));
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

QTEST_GUILESS_MAIN(TestPubSubReplay)
#include "tst_pubsub_replay.moc"
