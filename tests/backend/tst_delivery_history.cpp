// Tests of the Delivery History service: events stored once and in order, queries, catching up after a restart.
#include "TrackingTestSupport.h"
#include "backend/delivery/DeliveryService.h"
#include "backend/deliveryhistory/DeliveryHistoryService.h"
#include "net/pubsub/Publisher.h"
#include "net/rpc/RpcServer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

using namespace dd::backend;
using namespace dronedelivery::v1;
using Delivery_ = test::Running<DeliveryService>;
using History = test::Running<DeliveryHistoryService>;

namespace {

/// Everything but the history service's own endpoint is shared with the running services.
const std::vector<std::string> kShared{"drone", "drone.telemetry", "delivery", "delivery.events"};

Delivery newDelivery(const std::string &id, const std::string &owner = "alice")
{
    Delivery d;
    d.set_delivery_id(id);
    d.set_owner_id(owner);
    d.set_pickup_location("47.60,-122.33");
    d.set_dropoff_location("47.62,-122.33");
    return d;
}

DeliveryIdRequest idOf(const std::string &id)
{
    DeliveryIdRequest request;
    request.set_delivery_id(id);
    return request;
}

std::vector<DeliveryEvent> historyOf(History &history, const std::string &id)
{
    HistoryRequest request;
    request.set_delivery_id(id);
    auto answer = history.call<HistoryReply>("History", request);
    return {answer.reply.events().begin(), answer.reply.events().end()};
}

std::vector<DeliveryEvent> query(History &history, DeliveryStage stage = STAGE_UNSPECIFIED, std::int64_t since = 0,
                                 std::uint32_t limit = 1000)
{
    HistoryQueryRequest request;
    request.set_stage(stage);
    request.set_since_us(since);
    request.set_limit(limit);
    auto answer = history.call<HistoryReply>("Query", request);
    return {answer.reply.events().begin(), answer.reply.events().end()};
}

QList<int> stagesOf(const std::vector<DeliveryEvent> &events)
{
    QList<int> stages;
    for (const auto &e : events)
        stages << int(e.stage());
    return stages;
}

} // namespace

class TestDeliveryHistory : public QObject
{
    Q_OBJECT

private slots:
    void eventsAreStoredInOrder()
    {
        QTemporaryDir dir;
        const ServiceContext context = test::trackingContext(dir.path());
        Delivery_ delivery("delivery", context);
        History history("deliveryhistory", context);
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1")).ok());
        DeliveryRescheduleRequest reschedule;
        reschedule.set_delivery_id("d-1");
        reschedule.set_deadline("friday");
        QVERIFY(delivery.call<Delivery>("Reschedule", reschedule).ok());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-2", "bob")).ok());
        QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-1")).ok());

        QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(4), 10000);
        const auto events = historyOf(history, "d-1");
        QCOMPARE(stagesOf(events), QList<int>({STAGE_CREATED, STAGE_RESCHEDULED, STAGE_CANCELLED}));
        QCOMPARE(int(events[2].previous()), int(STAGE_RESCHEDULED));
        QCOMPARE(events[0].owner_id(), std::string("alice"));
        QVERIFY(events[0].at_us() <= events[1].at_us() && events[1].at_us() <= events[2].at_us());
        QCOMPARE(historyOf(history, "d-2").size(), std::size_t(1));

        HistoryRequest unknown;
        unknown.set_delivery_id("never");
        auto none = history.call<HistoryReply>("History", unknown);
        QVERIFY(none.ok()); // unknown: an empty history, not an error
        QCOMPARE(none.reply.events_size(), 0);
        QCOMPARE(history.call<HistoryReply>("History", HistoryRequest()).field(), QByteArray("delivery_id"));
        const std::string garbage("\xff\xff\xff\x07garbage", 11);
        QCOMPARE(history.callBytes<HistoryReply>("History", garbage).code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(history.callBytes<HistoryReply>("Query", garbage).code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(history.service().duplicates(), std::uint64_t(0));
    }

    void queryFiltersByStageTimeAndLimit()
    {
        QTemporaryDir dir;
        const ServiceContext context = test::trackingContext(dir.path());
        Delivery_ delivery("delivery", context);
        History history("deliveryhistory", context);
        for (int i = 1; i <= 5; ++i)
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-" + std::to_string(i))).ok());
        QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-2")).ok());
        QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-4")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(7), 10000);

        const auto all = query(history);
        QCOMPARE(all.size(), std::size_t(7));
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1].at_us() <= all[i].at_us()); // oldest first
        const auto cancelled = query(history, STAGE_CANCELLED);
        QCOMPARE(cancelled.size(), std::size_t(2));
        QCOMPARE(cancelled[0].delivery_id(), std::string("d-2"));
        QCOMPARE(cancelled[1].delivery_id(), std::string("d-4"));
        QCOMPARE(query(history, STAGE_UNSPECIFIED, 0, 3).size(), std::size_t(3));
        const auto recent = query(history, STAGE_UNSPECIFIED, all[5].at_us());
        QVERIFY(recent.size() >= 2 && recent.size() < 7);
        QCOMPARE(recent.back().delivery_id(), all.back().delivery_id());
        QCOMPARE(query(history, STAGE_COMPLETED).size(), std::size_t(0));

        HistoryQueryRequest bad;
        bad.set_stage(DeliveryStage(99));
        QCOMPARE(history.call<HistoryReply>("Query", bad).field(), QByteArray("stage"));
        bad.set_stage(STAGE_CREATED);
        bad.set_since_us(-5);
        QCOMPARE(history.call<HistoryReply>("Query", bad).field(), QByteArray("since_us"));
    }

    void aHistoryStartedLateGetsEverythingFromTheStart()
    {
        QTemporaryDir dir;
        const ServiceContext context = test::trackingContext(dir.path());
        Delivery_ delivery("delivery", context);
        for (int i = 1; i <= 10; ++i)
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("early-" + std::to_string(i))).ok());
        History history("deliveryhistory", context);
        QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(10), 10000);
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("live")).ok()); // and the live stream after it
        QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(11), 10000);
        QCOMPARE(historyOf(history, "early-1").size(), std::size_t(1));
        QCOMPARE(historyOf(history, "live").size(), std::size_t(1));
    }

    void aRestartedHistoryCatchesUpWithNothingLostOrDuplicated()
    {
        QTemporaryDir dir;
        const ServiceContext context = test::trackingContext(dir.path());
        Delivery_ delivery("delivery", context);
        auto history = std::make_unique<History>("deliveryhistory", context);
        for (int i = 0; i < 5; ++i)
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("before-" + std::to_string(i))).ok());
        QTRY_COMPARE_WITH_TIMEOUT(history->service().stored(), std::uint64_t(5), 10000);
        history->stop();

        // Published while nobody stores them.
        for (int i = 0; i < 30; ++i)
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("during-" + std::to_string(i))).ok());
        for (int i = 0; i < 10; ++i)
            QVERIFY(delivery.call<Delivery>("Cancel", idOf("during-" + std::to_string(i))).ok());
        const std::uint64_t published = delivery.service().eventsPublished();
        QCOMPARE(published, std::uint64_t(45));

        history = std::make_unique<History>("deliveryhistory", test::trackingContext(dir.path(), &context, kShared));
        QTRY_COMPARE_WITH_TIMEOUT(history->service().stored(), std::uint64_t(40), 10000); // only what it missed
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("after")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(history->service().stored(), std::uint64_t(41), 10000);

        const auto all = query(*history);
        QCOMPARE(all.size(), std::size_t(published + 1));
        std::map<std::string, QList<int>> byDelivery;
        std::set<std::pair<std::string, int>> unique;
        for (const auto &e : all) {
            byDelivery[e.delivery_id()] << int(e.stage());
            QVERIFY2(unique.insert({e.delivery_id(), int(e.stage())}).second, e.delivery_id().c_str());
        }
        QCOMPARE(byDelivery.size(), std::size_t(36));
        for (int i = 0; i < 30; ++i) {
            const std::string id = "during-" + std::to_string(i);
            const QList<int> expected = i < 10 ? QList<int>({STAGE_CREATED, STAGE_CANCELLED}) : QList<int>({STAGE_CREATED});
            QCOMPARE(stagesOf(historyOf(*history, id)), expected);
        }
        QCOMPARE(history->service().duplicates(), std::uint64_t(0));
    }

    void undecodableEventsAreSkippedOnceAndForAll()
    {
        QTemporaryDir dir;
        const ServiceContext context = test::trackingContext(dir.path());
        // A stand-in Delivery service: its event stream and Events.Replay, on a loop of its own.
        dd::net::ServiceLoop loop("fake-delivery");
        std::unique_ptr<dd::net::RpcServer> server;
        std::unique_ptr<dd::net::Publisher> publisher;
        loop.start();
        loop.invoke([&] {
            server = std::make_unique<dd::net::RpcServer>(loop, "delivery", context.endpoints.endpoint("delivery"));
            publisher = std::make_unique<dd::net::Publisher>("delivery", context.endpoints.endpoint("delivery.events"));
            publisher->serveReplay(*server);
            publisher->publishRaw("delivery.bad", "DeliveryCreated", std::string("\xff\xff\xff\x07", 4));
            DeliveryEvent good;
            good.set_delivery_id("good");
            good.set_stage(STAGE_CREATED);
            publisher->publish("delivery.good", "DeliveryCreated", good);
        });
        {
            History history("deliveryhistory", context);
            QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(1), 10000);
            QCOMPARE(history.service().badEvents(), std::uint64_t(1));
            QCOMPARE(historyOf(history, "good").size(), std::size_t(1));
        }
        // The cursor moved past both: a restart fetches neither again.
        History history("deliveryhistory", test::trackingContext(dir.path(), &context, kShared));
        loop.invoke([&] {
            DeliveryEvent next;
            next.set_delivery_id("next");
            next.set_stage(STAGE_CREATED);
            publisher->publish("delivery.next", "DeliveryCreated", next);
        });
        QTRY_COMPARE_WITH_TIMEOUT(history.service().stored(), std::uint64_t(1), 10000);
        QCOMPARE(history.service().badEvents(), std::uint64_t(0));
        QCOMPARE(history.service().duplicates(), std::uint64_t(0));
        QCOMPARE(query(history).size(), std::size_t(2));
        loop.invoke([&] {
            publisher.reset();
            server.reset();
        });
        loop.stop();
    }
};

QTEST_GUILESS_MAIN(TestDeliveryHistory)
#include "tst_delivery_history.moc"
