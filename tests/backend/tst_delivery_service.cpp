// Tests of the Delivery service's methods over the mesh: rules, validation, paging, durable ordered events.
#include "DeliveryTestSupport.h"

#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <limits>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;
using dd::net::HwmPolicy;
using Service = DeliveryUnderTest;

class TestDeliveryService : public QObject
{
    Q_OBJECT

private slots:
    void createStoresAndPublishesCreated()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        const auto before = dd::net::Clock::system().now();
        Delivery request = newDelivery("d-1", "alice", "drone-0001");
        request.clear_dropoff(); // given as text only: resolved from it
        request.set_stage(STAGE_COMPLETED); // a caller can't choose the stage
        auto created = delivery.call<Delivery>("Create", request);
        QVERIFY2(created.ok(), created.status.toString().c_str());
        QCOMPARE(int(created.reply.stage()), int(STAGE_CREATED));
        QVERIFY(created.reply.created_at_us() >= before);
        QCOMPARE(created.reply.dropoff().latitude(), 47.62);
        QCOMPARE(created.reply.drone_id(), std::string("drone-0001"));

        auto got = delivery.call<Delivery>("Get", idOf("d-1"));
        QVERIFY(got.ok());
        QCOMPARE(got.reply.SerializeAsString(), created.reply.SerializeAsString());
        auto status = delivery.call<Delivery>("Status", idOf("d-1"));
        QCOMPARE(status.reply.SerializeAsString(), created.reply.SerializeAsString());

        const auto events = replay(delivery);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].type, std::string("DeliveryCreated"));
        QCOMPARE(events[0].topic, std::string("delivery.d-1"));
        QCOMPARE(events[0].sequence, std::uint64_t(1));
        QCOMPARE(int(events[0].event.stage()), int(STAGE_CREATED));
        QCOMPARE(int(events[0].event.previous()), int(STAGE_UNSPECIFIED));
        QCOMPARE(events[0].event.owner_id(), std::string("alice"));
        QCOMPARE(events[0].event.drone_id(), std::string("drone-0001"));
        QCOMPARE(events[0].event.location().latitude(), 47.60);

        QCOMPARE(delivery.call<Delivery>("Get", idOf("nope")).code(), QByteArray("NOT_FOUND"));
        QCOMPARE(delivery.call<Delivery>("Get", idOf("")).code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(delivery.call<Delivery>("Status", idOf("")).field(), QByteArray("delivery_id"));
    }

    void createTwiceReturnsTheStoredOneWithoutASecondEvent()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        auto first = delivery.call<Delivery>("Create", newDelivery("d-1", "alice"));
        QVERIFY(first.ok());
        auto again = delivery.call<Delivery>("Create", newDelivery("d-1", "mallory"));
        QVERIFY(again.ok());
        QCOMPARE(again.reply.owner_id(), std::string("alice"));
        QCOMPARE(again.reply.SerializeAsString(), first.reply.SerializeAsString());
        QCOMPARE(replay(delivery).size(), std::size_t(1));
        QCOMPARE(delivery.service().eventsPublished(), std::uint64_t(1));
    }

    void createRefusesInvalidInput_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("field");
        auto bytes = [](const Delivery &d) { return QByteArray::fromStdString(d.SerializeAsString()); };
        QTest::newRow("no id") << bytes(newDelivery("")) << QByteArray("delivery_id");
        QTest::newRow("id too long") << bytes(newDelivery(std::string(300, 'x'))) << QByteArray("delivery_id");
        QTest::newRow("no owner") << bytes(newDelivery("d-1", "")) << QByteArray("owner_id");
        Delivery nanPickup = newDelivery("d-1");
        nanPickup.mutable_pickup()->set_latitude(std::numeric_limits<double>::quiet_NaN());
        QTest::newRow("NaN pickup") << bytes(nanPickup) << QByteArray("pickup");
        Delivery farDropoff = newDelivery("d-1");
        farDropoff.mutable_dropoff()->set_longitude(500);
        QTest::newRow("longitude 500") << bytes(farDropoff) << QByteArray("dropoff");
    }

    void createRefusesInvalidInput()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, field);
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        auto answer = delivery.callBytes<Delivery>("Create", request.toStdString());
        QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(answer.field(), field);
        QCOMPARE(replay(delivery).size(), std::size_t(0));
        DeliveryListRequest list;
        QCOMPARE(delivery.call<DeliveryList>("List", list).reply.total(), std::uint64_t(0));
    }

    void garbagePayloadsAreBadRequest()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        const std::string garbage("\xff\xff\xff\x07garbage", 11);
        for (const char *method : {"Create", "Reschedule", "Cancel", "Get", "Status", "List", "Events.Replay"})
            QCOMPARE(delivery.callBytes<Delivery>(method, garbage).code(), QByteArray("BAD_REQUEST"));
        DeliveryListRequest badStage;
        badStage.set_stage(DeliveryStage(42));
        QCOMPARE(delivery.call<DeliveryList>("List", badStage).field(), QByteArray("stage"));
    }

    void rescheduleAndCancelFollowTheRules()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1")).ok());

        DeliveryRescheduleRequest reschedule;
        reschedule.set_delivery_id("unknown");
        QCOMPARE(delivery.call<Delivery>("Reschedule", reschedule).code(), QByteArray("NOT_FOUND"));
        reschedule.set_delivery_id("");
        QCOMPARE(delivery.call<Delivery>("Reschedule", reschedule).field(), QByteArray("delivery_id"));
        reschedule.set_delivery_id("d-1");
        *reschedule.mutable_dropoff() = at(std::numeric_limits<double>::infinity(), 0);
        QCOMPARE(delivery.call<Delivery>("Reschedule", reschedule).field(), QByteArray("dropoff"));

        reschedule.clear_dropoff();
        reschedule.set_dropoff_location("47.65,-122.30");
        reschedule.set_deadline("tomorrow");
        auto moved = delivery.call<Delivery>("Reschedule", reschedule);
        QVERIFY2(moved.ok(), moved.status.toString().c_str());
        QCOMPARE(int(moved.reply.stage()), int(STAGE_RESCHEDULED));
        QCOMPARE(moved.reply.dropoff_location(), std::string("47.65,-122.30"));
        QCOMPARE(moved.reply.dropoff().latitude(), 47.65); // coordinates follow the new text
        QCOMPARE(moved.reply.deadline(), std::string("tomorrow"));
        QCOMPARE(moved.reply.pickup_location(), std::string("47.60,-122.33")); // untouched
        auto replayed = delivery.call<Delivery>("Reschedule", reschedule);
        QCOMPARE(replayed.reply.SerializeAsString(), moved.reply.SerializeAsString()); // no second change

        QCOMPARE(delivery.call<Delivery>("Cancel", idOf("unknown")).code(), QByteArray("NOT_FOUND"));
        QCOMPARE(delivery.call<Delivery>("Cancel", idOf("")).code(), QByteArray("BAD_REQUEST"));
        auto cancelled = delivery.call<Delivery>("Cancel", idOf("d-1"));
        QVERIFY(cancelled.ok());
        QCOMPARE(int(cancelled.reply.stage()), int(STAGE_CANCELLED));
        auto twice = delivery.call<Delivery>("Cancel", idOf("d-1"));
        QVERIFY(twice.ok());
        QCOMPARE(twice.reply.SerializeAsString(), cancelled.reply.SerializeAsString());
        QCOMPARE(delivery.call<Delivery>("Reschedule", reschedule).code(), QByteArray("CONFLICT"));

        const auto events = replay(delivery);
        QCOMPARE(typesOf(events), QStringList({"DeliveryCreated", "DeliveryRescheduled", "DeliveryCancelled"}));
        QCOMPARE(int(events[1].event.previous()), int(STAGE_CREATED));
        QCOMPARE(int(events[2].event.previous()), int(STAGE_RESCHEDULED));
        QCOMPARE(events[2].sequence, std::uint64_t(3));
    }

    void listFiltersSearchesAndPages()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        for (int i = 1; i <= 12; ++i) {
            const std::string id = QString("d-%1").arg(i, 2, 10, QChar('0')).toStdString();
            QVERIFY(delivery.call<Delivery>("Create", newDelivery(id, i % 3 == 0 ? "bob" : "alice")).ok());
        }
        QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-05")).ok());
        QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-06")).ok());

        DeliveryListRequest request;
        auto all = delivery.call<DeliveryList>("List", request);
        QCOMPARE(all.reply.deliveries_size(), 12);
        QCOMPARE(all.reply.total(), std::uint64_t(12));
        QVERIFY(all.reply.next_after().empty());

        request.set_limit(5);
        auto page1 = delivery.call<DeliveryList>("List", request);
        QCOMPARE(page1.reply.deliveries_size(), 5);
        QCOMPARE(page1.reply.deliveries(0).delivery_id(), std::string("d-01"));
        QCOMPARE(page1.reply.next_after(), std::string("d-05"));
        request.set_after(page1.reply.next_after());
        auto page2 = delivery.call<DeliveryList>("List", request);
        QCOMPARE(page2.reply.deliveries(0).delivery_id(), std::string("d-06"));
        QCOMPARE(page2.reply.total(), std::uint64_t(12)); // every match, not just this page
        request.set_after("d-10");
        auto last = delivery.call<DeliveryList>("List", request);
        QCOMPARE(last.reply.deliveries_size(), 2);
        QVERIFY(last.reply.next_after().empty());

        DeliveryListRequest bob;
        bob.set_owner_id("bob");
        auto bobs = delivery.call<DeliveryList>("List", bob);
        QCOMPARE(bobs.reply.total(), std::uint64_t(4));
        for (const auto &d : bobs.reply.deliveries())
            QCOMPARE(d.owner_id(), std::string("bob"));

        DeliveryListRequest cancelled;
        cancelled.set_stage(STAGE_CANCELLED);
        auto gone = delivery.call<DeliveryList>("List", cancelled);
        QCOMPARE(gone.reply.total(), std::uint64_t(2));
        QCOMPARE(gone.reply.deliveries(0).delivery_id(), std::string("d-05"));
        cancelled.set_owner_id("bob");
        QCOMPARE(delivery.call<DeliveryList>("List", cancelled).reply.total(), std::uint64_t(1)); // d-06

        DeliveryListRequest search;
        search.set_search("1");
        QCOMPARE(delivery.call<DeliveryList>("List", search).reply.total(), std::uint64_t(4)); // 01, 10, 11, 12
        search.set_search("bo");
        QCOMPARE(delivery.call<DeliveryList>("List", search).reply.total(), std::uint64_t(4)); // the owner matches
        search.set_search("%");
        QCOMPARE(delivery.call<DeliveryList>("List", search).reply.total(), std::uint64_t(0)); // literal, not a pattern
    }

    void concurrentCreatesShareCommitsAndListIsCapped()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        constexpr int kCount = 520;
        std::vector<std::future<dd::net::test::ClientHarness::Outcome>> calls;
        dd::net::CallOptions options;
        options.deadline = 30 * dd::net::kSeconds;
        for (int i = 0; i < kCount; ++i) // all in flight at once: they land in a few group commits
            calls.push_back(delivery.client().call(
                "Create", newDelivery(QString("bulk-%1").arg(i, 4, 10, QChar('0')).toStdString()).SerializeAsString(),
                options));
        for (auto &call : calls) {
            const auto outcome = call.get();
            QVERIFY2(outcome.status.ok(), outcome.status.toString().c_str());
        }
        DeliveryListRequest request;
        request.set_limit(100000);
        auto page = delivery.call<DeliveryList>("List", request);
        QCOMPARE(page.reply.deliveries_size(), 500);
        QCOMPARE(page.reply.total(), std::uint64_t(kCount));
        QCOMPARE(page.reply.next_after(), std::string("bulk-0499"));
        request.set_limit(0);
        QCOMPARE(delivery.call<DeliveryList>("List", request).reply.deliveries_size(), 50); // the default
        QCOMPARE(replay(delivery).size(), std::size_t(kCount));
    }

    void eventsArePersistedAndTheSequenceContinuesAfterRestart()
    {
        QTemporaryDir dir;
        const ServiceContext first = test::trackingContext(dir.path());
        std::vector<Replayed> before;
        {
            Service delivery("delivery", first);
            test::Recorder live("delivery", first.endpoints.endpoint("delivery.events"), "delivery.",
                                HwmPolicy::Lossless);
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1")).ok());
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-2")).ok());
            QVERIFY(delivery.call<Delivery>("Cancel", idOf("d-1")).ok());
            before = replay(delivery);
            QCOMPARE(before.size(), std::size_t(3));
            // Live subscribers get them in order too (the first may be missed while connecting).
            QTRY_VERIFY_WITH_TIMEOUT(!live.heard().empty() && live.heard().back().sequence == 3, 10000);
        }
        Service delivery("delivery", test::trackingContext(dir.path()));
        const auto after = replay(delivery);
        QCOMPARE(after.size(), std::size_t(3));
        for (std::size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].sequence, before[i].sequence);
            QCOMPARE(after[i].type, before[i].type);
            QCOMPARE(after[i].event.SerializeAsString(), before[i].event.SerializeAsString());
        }
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-3")).ok());
        const auto more = replay(delivery, 4);
        QCOMPARE(more.size(), std::size_t(1));
        QCOMPARE(more[0].sequence, std::uint64_t(4));
        QCOMPARE(more[0].event.delivery_id(), std::string("d-3"));
        QCOMPARE(stageOf(delivery, "d-1"), STAGE_CANCELLED);
    }

};

QTEST_GUILESS_MAIN(TestDeliveryService)
#include "tst_delivery_service.moc"
