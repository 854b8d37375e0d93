// Tests of the Delivery service's tracking: drone telemetry (from a stand-in publisher) moves deliveries through their stages.
#include "DeliveryTestSupport.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;
using Service = DeliveryUnderTest;

class TestDeliveryTracking : public QObject
{
    Q_OBJECT

private slots:
    void completedDeliveriesCannotBeCancelledOrRescheduled()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        FakeDrones drones(delivery.context());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-7")).ok());
        const DroneTelemetry done = telemetry("drone-7", "d-1", IDLE, 47.61, -122.33);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(done), stageOf(delivery, "d-1") == STAGE_COMPLETED), 10000);
        QCOMPARE(delivery.call<Delivery>("Cancel", idOf("d-1")).code(), QByteArray("CONFLICT"));
        DeliveryRescheduleRequest reschedule;
        reschedule.set_delivery_id("d-1");
        reschedule.set_deadline("later");
        QCOMPARE(delivery.call<Delivery>("Reschedule", reschedule).code(), QByteArray("CONFLICT"));
    }

    void telemetryMovesTheDeliveryToCompleted()
    {
        QTemporaryDir dir;
        ServiceContext context = test::trackingContext(dir.path());
        context.timeScale = 10;
        Service delivery("delivery", context);
        FakeDrones drones(delivery.context());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-0042")).ok());

        const Location pickup = at(47.60, -122.33), dropoff = at(47.62, -122.33);
        const DroneTelemetry toPickup = telemetry("drone-0042", "d-1", FLYING_TO_PICKUP, 47.59, -122.33, &pickup);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(toPickup), stageOf(delivery, "d-1") == STAGE_HEADED_TO_PICKUP), 10000);
        auto status = delivery.call<Delivery>("Status", idOf("d-1"));
        QCOMPARE(status.reply.last_known_location().latitude(), 47.59);
        QCOMPARE(status.reply.last_known_location().altitude(), 120.0);
        // ~1113 m to the pickup at 15 m/s, time scale 10: ~7.4 s; then ~2226 m more.
        const double pickupIn = double(status.reply.pickup_eta_us() - toPickup.at_us()) / dd::net::kSeconds;
        QVERIFY2(std::abs(pickupIn - 7.42) < 0.1, qPrintable(QString::number(pickupIn)));
        const double dropoffAfter =
            double(status.reply.delivery_eta_us() - status.reply.pickup_eta_us()) / dd::net::kSeconds;
        QVERIFY2(std::abs(dropoffAfter - 14.84) < 0.1, qPrintable(QString::number(dropoffAfter)));

        const DroneTelemetry toDropoff = telemetry("drone-0042", "d-1", FLYING_TO_DROPOFF, 47.61, -122.33, &dropoff);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(toDropoff), stageOf(delivery, "d-1") == STAGE_HEADED_TO_DROPOFF), 10000);
        const DroneTelemetry back = telemetry("drone-0042", "d-1", RETURNING, 47.62, -122.33);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(back), stageOf(delivery, "d-1") == STAGE_COMPLETED), 10000);
        auto done = delivery.call<Delivery>("Get", idOf("d-1"));
        QCOMPARE(done.reply.last_known_location().latitude(), 47.62);

        const auto events = replay(delivery);
        QCOMPARE(typesOf(events), QStringList({"DeliveryCreated", "DeliveryHeadedToPickup", "DeliveryHeadedToDropoff",
                                               "DeliveryCompleted"}));
        QCOMPARE(events[3].event.drone_id(), std::string("drone-0042"));
        QCOMPARE(int(events[3].event.previous()), int(STAGE_HEADED_TO_DROPOFF));
        QCOMPARE(events[3].event.location().latitude(), 47.62);
        // More telemetry after completion changes nothing.
        const auto heard = delivery.service().telemetryReceived();
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(back), delivery.service().telemetryReceived() > heard + 2), 10000);
        QCOMPARE(replay(delivery).size(), std::size_t(4));
    }

    void skippedStagesAreFilledInInOrder()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        FakeDrones drones(delivery.context());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-1")).ok());
        // Conflated telemetry: the first thing heard is the drone idle at home, still naming the delivery.
        const DroneTelemetry home = telemetry("drone-1", "d-1", CHARGING, 47.6, -122.3);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(home), stageOf(delivery, "d-1") == STAGE_COMPLETED), 10000);
        QCOMPARE(typesOf(replay(delivery)), QStringList({"DeliveryCreated", "DeliveryHeadedToPickup",
                                                         "DeliveryHeadedToDropoff", "DeliveryCompleted"}));
    }

    void aDroneFlyingItUnannouncedIsFollowed()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        FakeDrones drones(delivery.context());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-1")).ok());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-2", "alice")).ok()); // no drone yet
        // The original drone busy elsewhere tells nothing about d-1.
        const DroneTelemetry other = telemetry("drone-1", "someone-else", FLYING_TO_PICKUP, 47.6, -122.3);
        const DroneTelemetry rebooked = telemetry("drone-2", "d-1", FLYING_TO_DROPOFF, 47.61, -122.33);
        const DroneTelemetry late = telemetry("drone-3", "d-2", FLYING_TO_PICKUP, 47.59, -122.33);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(other), drones.send(rebooked), drones.send(late),
                                  stageOf(delivery, "d-1") == STAGE_HEADED_TO_DROPOFF
                                      && stageOf(delivery, "d-2") == STAGE_HEADED_TO_PICKUP),
                                 10000);
        QCOMPARE(delivery.call<Delivery>("Get", idOf("d-1")).reply.drone_id(), std::string("drone-2"));
        QCOMPARE(delivery.call<Delivery>("Get", idOf("d-2")).reply.drone_id(), std::string("drone-3"));
    }

    void badTelemetryIsCountedAndIgnored()
    {
        QTemporaryDir dir;
        Service delivery("delivery", test::trackingContext(dir.path()));
        FakeDrones drones(delivery.context());
        QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-1")).ok());
        QTRY_VERIFY_WITH_TIMEOUT((drones.publisher.publishRaw("telemetry.drone-1", "DroneTelemetry",
                                                              std::string("\xff\xff\xff\x07", 4)),
                                  delivery.service().badTelemetry() > 0),
                                 10000);
        QCOMPARE(stageOf(delivery, "d-1"), STAGE_CREATED);
        QCOMPARE(replay(delivery).size(), std::size_t(1));
    }

    void trackingResumesAfterRestart()
    {
        QTemporaryDir dir;
        const ServiceContext first = test::trackingContext(dir.path());
        {
            Service delivery("delivery", first);
            FakeDrones drones(delivery.context());
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1", "alice", "drone-1")).ok());
            const DroneTelemetry toPickup = telemetry("drone-1", "d-1", FLYING_TO_PICKUP, 47.595, -122.33);
            QTRY_VERIFY_WITH_TIMEOUT((drones.send(toPickup), stageOf(delivery, "d-1") == STAGE_HEADED_TO_PICKUP),
                                     10000);
            const DroneTelemetry closer = telemetry("drone-1", "d-1", FLYING_TO_PICKUP, 47.598, -122.33);
            QTRY_VERIFY_WITH_TIMEOUT((drones.send(closer),
                                      delivery.call<Delivery>("Get", idOf("d-1")).reply.last_known_location().latitude()
                                          == 47.598),
                                     10000);
        } // stopping writes the latest position
        Service delivery("delivery", test::trackingContext(dir.path()));
        auto restored = delivery.call<Delivery>("Get", idOf("d-1"));
        QCOMPARE(int(restored.reply.stage()), int(STAGE_HEADED_TO_PICKUP));
        QCOMPARE(restored.reply.last_known_location().latitude(), 47.598);
        FakeDrones drones(delivery.context());
        const DroneTelemetry toDropoff = telemetry("drone-1", "d-1", FLYING_TO_DROPOFF, 47.60, -122.33);
        QTRY_VERIFY_WITH_TIMEOUT((drones.send(toDropoff), stageOf(delivery, "d-1") == STAGE_HEADED_TO_DROPOFF), 10000);
        QCOMPARE(typesOf(replay(delivery)),
                 QStringList({"DeliveryCreated", "DeliveryHeadedToPickup", "DeliveryHeadedToDropoff"}));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryTracking)
#include "tst_delivery_tracking.moc"
