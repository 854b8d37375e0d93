// Tests of the Drone service over the mesh: booking, idempotency, cancel, paging, telemetry, restart.
#include "DroneTestSupport.h"
#include "backend/common/Geo.h"
#include "backend/drone/DroneService.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <set>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;
using dd::net::HwmPolicy;
using dd::net::kSeconds;
using dd::net::ManualClock;
using Drone = DroneUnderTest;

class TestDroneService : public QObject
{
    Q_OBJECT

private slots:
    void scheduleBooksTheNearestFreeDrone()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 20));
        const auto fleet = FleetSimulator::generateFleet(20, kSeed);
        const Location pickup = offset(fleet[6].home, 5, 0); // next to drone-0007's pad
        const auto before = dd::net::Clock::system().now();
        auto booked = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-1", pickup, offset(pickup, 1000, 0)));
        QVERIFY2(booked.ok(), booked.status.toString().c_str());
        QCOMPARE(booked.reply.drone_id(), std::string("drone-0007"));
        QVERIFY(booked.reply.pickup_eta_us() >= before);
        // 1 km at 15 m/s after the pickup.
        QVERIFY(std::abs(double(booked.reply.dropoff_eta_us() - booked.reply.pickup_eta_us()) / kSeconds - 66.7) < 1);

        const DroneTelemetry t = getDrone(drone, "drone-0007");
        QCOMPARE(int(t.state()), int(FLYING_TO_PICKUP));
        QCOMPARE(t.delivery_id(), std::string("d-1"));

        // The next delivery from the same spot gets another drone.
        auto second = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-2", pickup, offset(pickup, 1000, 0)));
        QVERIFY(second.ok());
        QVERIFY(second.reply.drone_id() != "drone-0007");
    }

    void scheduleAgainAnswersTheSameBooking()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 10, 5));
        const Location pickup = offset(center(), 300, 300);
        auto first = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-1", pickup, offset(pickup, 800, 0)));
        QVERIFY(first.ok());
        // Another request body under the same delivery id (a resumed workflow): still the first booking.
        auto again = drone.call<DroneScheduleReply>(
            "Schedule", scheduleRequest("d-1", offset(center(), -3000, 0), offset(center(), 3000, 0), 1.0));
        QVERIFY(again.ok());
        QCOMPARE(again.reply.SerializeAsString(), first.reply.SerializeAsString());
        QCOMPARE(getDrone(drone, first.reply.drone_id()).delivery_id(), std::string("d-1"));
    }

    void scheduleRefusesInvalidInput_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("field");
        const Location a = offset(center(), 100, 0), b = offset(center(), 900, 0);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        auto bytes = [](const DroneScheduleRequest &r) { return QByteArray::fromStdString(r.SerializeAsString()); };

        QTest::newRow("no delivery id") << bytes(scheduleRequest("", a, b)) << QByteArray("delivery_id");
        DroneScheduleRequest noPickup = scheduleRequest("d", a, b);
        noPickup.clear_pickup();
        QTest::newRow("no pickup") << bytes(noPickup) << QByteArray("pickup");
        Location bad = a;
        bad.set_latitude(nan);
        QTest::newRow("NaN pickup") << bytes(scheduleRequest("d", bad, b)) << QByteArray("pickup");
        bad = b;
        bad.set_latitude(123);
        QTest::newRow("latitude 123 dropoff") << bytes(scheduleRequest("d", a, bad)) << QByteArray("dropoff");
        DroneScheduleRequest noDropoff = scheduleRequest("d", a, b);
        noDropoff.clear_dropoff();
        QTest::newRow("no dropoff") << bytes(noDropoff) << QByteArray("dropoff");
        QTest::newRow("negative weight") << bytes(scheduleRequest("d", a, b, -1)) << QByteArray("weight");
        QTest::newRow("NaN weight") << bytes(scheduleRequest("d", a, b, nan)) << QByteArray("weight");
        QTest::newRow("infinite weight")
            << bytes(scheduleRequest("d", a, b, std::numeric_limits<double>::infinity())) << QByteArray("weight");
    }

    void scheduleRefusesInvalidInput()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, field);
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 5));
        auto answer = drone.callBytes<DroneScheduleReply>("Schedule", request.toStdString());
        QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(answer.field(), field);
        // Nothing was booked.
        DroneListRequest list;
        auto drones = drone.call<DroneList>("List", list);
        QVERIFY(drones.ok());
        for (const auto &t : drones.reply.drones())
            QVERIFY(t.delivery_id().empty());
    }

    void noDroneFitsIsConflict()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 1));
        const Location pickup = offset(center(), 200, 0), dropoff = offset(center(), 900, 0);
        auto heavy = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("heavy", pickup, dropoff, 25.0));
        QCOMPARE(heavy.code(), QByteArray("CONFLICT"));
        QVERIFY(QString::fromStdString(heavy.status.message).contains("no drone available"));
        Location newYork;
        newYork.set_latitude(40.7);
        newYork.set_longitude(-74.0);
        auto far = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("far", newYork, dropoff));
        QCOMPARE(far.code(), QByteArray("CONFLICT")); // out of range: a third party's job, not a bad request
        auto booked = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("one", pickup, dropoff, 1.0));
        QVERIFY2(booked.ok(), booked.status.toString().c_str());
        auto busy = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("two", pickup, dropoff, 1.0));
        QCOMPARE(busy.code(), QByteArray("CONFLICT"));
        // The refused ones left no trace: asking again still conflicts, the booking still stands.
        QCOMPARE(drone.call<DroneScheduleReply>("Schedule", scheduleRequest("heavy", pickup, dropoff, 25.0)).code(),
                 QByteArray("CONFLICT"));
        QCOMPARE(getDrone(drone, booked.reply.drone_id()).delivery_id(), std::string("one"));
    }

    void cancelReleasesTheDroneAndSaysIfItFlew()
    {
        QTemporaryDir dir;
        // Time moves only when the test says so: the first cancel surely comes before take-off.
        ManualClock clock(dd::net::Clock::system().now());
        ServiceContext context = droneContext(dir.path(), 3, 10);
        context.clock = &clock;
        Drone drone("drone", context);
        const Location pickup = offset(center(), 2000, 0), dropoff = offset(center(), 4000, 0);

        auto first = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("a", pickup, dropoff));
        QVERIFY(first.ok());
        const std::string droneId = first.reply.drone_id();
        const DroneCancelReply onPad = cancelDelivery(drone, "a");
        QVERIFY(onPad.existed());
        QVERIFY(!onPad.airborne());
        QCOMPARE(onPad.drone_id(), droneId);
        const DroneTelemetry released = getDrone(drone, droneId);
        QVERIFY(released.state() == IDLE || released.state() == CHARGING);
        QVERIFY(released.delivery_id().empty());
        QCOMPARE(cancelDelivery(drone, "a").SerializeAsString(), onPad.SerializeAsString()); // twice: same answer

        auto second = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("b", pickup, dropoff));
        QVERIFY(second.ok());
        const DroneTelemetry atPad = getDrone(drone, second.reply.drone_id());
        clock.advance(1 * kSeconds);
        drone.service().loop().wake();
        QTRY_VERIFY_WITH_TIMEOUT(geo::distanceMeters(positionOf(getDrone(drone, second.reply.drone_id())),
                                                     positionOf(atPad))
                                     > 100,
                                 10000); // 1 s × 10 at 15 m/s
        const DroneCancelReply inFlight = cancelDelivery(drone, "b");
        QVERIFY(inFlight.existed());
        QVERIFY(inFlight.airborne());
        const DroneTelemetry returning = getDrone(drone, second.reply.drone_id());
        QCOMPARE(int(returning.state()), int(RETURNING));
        QVERIFY(returning.delivery_id().empty());
        QCOMPARE(cancelDelivery(drone, "b").SerializeAsString(), inFlight.SerializeAsString());

        const DroneCancelReply unknown = cancelDelivery(drone, "never-booked");
        QVERIFY(!unknown.existed());
        QVERIFY(unknown.drone_id().empty());
        DroneCancelRequest empty;
        QCOMPARE(drone.call<DroneCancelReply>("Cancel", empty).code(), QByteArray("BAD_REQUEST"));

        // A cancelled delivery may be booked again.
        QVERIFY(drone.call<DroneScheduleReply>("Schedule", scheduleRequest("a", pickup, dropoff)).ok());
    }

    void getAndListPageByDroneId()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 1100));
        DroneListRequest request;
        auto page = drone.call<DroneList>("List", request);
        QVERIFY(page.ok());
        QCOMPARE(page.reply.drones_size(), 100); // the default page
        QCOMPARE(page.reply.drones(0).drone_id(), std::string("drone-0001"));
        QCOMPARE(page.reply.drones(99).drone_id(), std::string("drone-0100"));
        request.set_after("drone-0100");
        request.set_limit(10);
        page = drone.call<DroneList>("List", request);
        QCOMPARE(page.reply.drones_size(), 10);
        QCOMPARE(page.reply.drones(0).drone_id(), std::string("drone-0101"));
        request.clear_after();
        request.set_limit(5000);
        QCOMPARE(drone.call<DroneList>("List", request).reply.drones_size(), 1000); // capped
        request.set_after("drone-1100");
        QCOMPARE(drone.call<DroneList>("List", request).reply.drones_size(), 0);

        const DroneTelemetry t = getDrone(drone, "drone-0500");
        QCOMPARE(t.drone_id(), std::string("drone-0500"));
        QCOMPARE(int(t.state()), int(IDLE));
        QVERIFY(t.battery() >= 0.5 && t.battery() <= 1.0);
        DroneIdRequest unknown;
        unknown.set_drone_id("drone-9999");
        QCOMPARE(drone.call<DroneTelemetry>("Get", unknown).code(), QByteArray("NOT_FOUND"));
        QCOMPARE(drone.call<DroneTelemetry>("Get", DroneIdRequest()).code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(drone.call<DroneTelemetry>("Get", DroneIdRequest()).field(), QByteArray("drone_id"));
    }

    void garbagePayloadsAreBadRequest()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 2));
        for (const char *method : {"Schedule", "Cancel", "Get", "List"})
            QCOMPARE(drone.callBytes<DroneList>(method, std::string("\xff\xff\xff\x07garbage", 11)).code(),
                     QByteArray("BAD_REQUEST"));
        QVERIFY(drone.call<DroneList>("List", DroneListRequest()).ok()); // still serving
    }

    void everyDroneIsHeardByALateSubscriber()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 30));
        QTRY_VERIFY_WITH_TIMEOUT(drone.service().telemetryPublished() >= 30, 10000);
        // Subscribed after the first full round: the periodic one still shows the idle drones.
        test::Recorder recorder("drone", drone.context().endpoints.endpoint("drone.telemetry"), "telemetry.",
                                HwmPolicy::Conflate);
        const auto heardIds = [&] {
            std::set<std::string> ids;
            for (const auto &event : recorder.heard()) {
                DroneTelemetry t;
                if (event.type == "DroneTelemetry" && t.ParseFromString(event.payload) && event.topic == "telemetry." + t.drone_id())
                    ids.insert(t.drone_id());
            }
            return ids.size();
        };
        QTRY_COMPARE_WITH_TIMEOUT(heardIds(), std::size_t(30), 10000);
    }

    void flightRunsPickupDropoffHome()
    {
        QTemporaryDir dir;
        Drone drone("drone", droneContext(dir.path(), 5, 150));
        test::Recorder recorder("drone", drone.context().endpoints.endpoint("drone.telemetry"), "telemetry.",
                                HwmPolicy::Conflate);
        const Location pickup = offset(center(), 1000, 0), dropoff = offset(pickup, 0, 1500);
        auto booked = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-fly", pickup, dropoff, 3.0));
        QVERIFY(booked.ok());
        const std::string id = booked.reply.drone_id();
        const double batteryBefore = getDrone(drone, id).battery();
        const auto landed = [&] {
            const DroneState state = getDrone(drone, id).state();
            return state == IDLE || state == CHARGING;
        };
        QTRY_VERIFY_WITH_TIMEOUT(landed(), 30000);
        const DroneTelemetry home = getDrone(drone, id);
        QCOMPARE(home.delivery_id(), std::string("d-fly")); // the completed delivery stays visible
        QCOMPARE(home.altitude(), 0.0);
        QVERIFY(home.battery() < batteryBefore);

        // The telemetry told the whole story, in order.
        std::vector<int> states;
        for (const auto &event : recorder.heard()) {
            DroneTelemetry t;
            if (!t.ParseFromString(event.payload) || t.drone_id() != id || t.delivery_id() != "d-fly")
                continue;
            if (states.empty() || states.back() != int(t.state()))
                states.push_back(int(t.state()));
        }
        QVERIFY(states.size() >= 4);
        QCOMPARE(states[0], int(FLYING_TO_PICKUP));
        QCOMPARE(states[1], int(FLYING_TO_DROPOFF));
        QCOMPARE(states[2], int(RETURNING));
        QVERIFY(states[3] == int(IDLE) || states[3] == int(CHARGING));

        // Delivered: a late cancel has nothing to release; the booking still answers a replay.
        const DroneCancelReply late = cancelDelivery(drone, "d-fly");
        QVERIFY(late.existed());
        QVERIFY(!late.airborne());
        auto again = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-fly", pickup, dropoff, 3.0));
        QCOMPARE(again.reply.drone_id(), id);
    }
    void restartKeepsBookingsAndResumesFlights()
    {
        QTemporaryDir dir;
        const Location pickup = offset(center(), 3000, 0), dropoff = offset(center(), 6000, 0);
        ServiceContext first = droneContext(dir.path(), 4, 1);
        auto drone = std::make_unique<Drone>("drone", first);
        auto booked = drone->call<DroneScheduleReply>("Schedule", scheduleRequest("d-r", pickup, dropoff));
        QVERIFY(booked.ok());
        const std::string id = booked.reply.drone_id();
        const Location pad = positionOf(getDrone(*drone, id));
        QTRY_VERIFY_WITH_TIMEOUT(geo::distanceMeters(positionOf(getDrone(*drone, id)), pad) > 1, 10000);
        drone->stop();
        const DroneTelemetry lastSeen = [&] {
            Drone peek("drone", test::trackingContext(dir.path(), &first));
            return getDrone(peek, id);
        }();
        QCOMPARE(int(lastSeen.state()), int(FLYING_TO_PICKUP));
        QCOMPARE(lastSeen.delivery_id(), std::string("d-r"));
        QVERIFY(geo::distanceMeters(positionOf(lastSeen), pad) > 1); // the position was saved on stop

        Drone restarted("drone", test::trackingContext(dir.path(), &first));
        auto again = restarted.call<DroneScheduleReply>("Schedule", scheduleRequest("d-r", pickup, dropoff));
        QVERIFY(again.ok());
        QCOMPARE(again.reply.SerializeAsString(), booked.reply.SerializeAsString());
        // The flight goes on towards the pickup.
        QTRY_VERIFY_WITH_TIMEOUT(geo::distanceMeters(positionOf(getDrone(restarted, id)), pickup)
                                     < geo::distanceMeters(positionOf(lastSeen), pickup) - 1,
                                 10000);
        QCOMPARE(getDrone(restarted, id).delivery_id(), std::string("d-r"));
        const DroneCancelReply cancelled = cancelDelivery(restarted, "d-r");
        QVERIFY(cancelled.existed());
        QVERIFY(cancelled.airborne()); // it had left its pad before the restart
    }
};

QTEST_GUILESS_MAIN(TestDroneService)
#include "tst_drone_service.moc"
