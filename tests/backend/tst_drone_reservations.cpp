// Tests of the Drone service's future-pickup reservations: waiting, leaving on time, cancel, restart, old stores.
#include "DroneTestSupport.h"
#include "backend/common/Geo.h"
#include "backend/common/SqliteDb.h"
#include "backend/drone/DroneService.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;
using dd::net::HwmPolicy;
using dd::net::kSeconds;
using dd::net::ManualClock;
using dd::net::Micros;
using Drone = DroneUnderTest;

namespace {

/// A booking for a package ready at the pickup at `pickupAt` (epoch µs).
DroneScheduleRequest reservationRequest(
    const std::string &deliveryId, const Location &pickup, const Location &dropoff, Micros pickupAt)
{
    DroneScheduleRequest request = scheduleRequest(deliveryId, pickup, dropoff);
    request.set_pickup_at_us(pickupAt);
    return request;
}

/// A start for a test's ManualClock that the test moves by up to hours: the service checks the
/// calls' deadlines (set by the client on the system clock) on its own clock, so that one starts
/// behind and never passes them.
Micros clockStartBehind()
{
    return dd::net::Clock::system().now() - 6 * 3600 * kSeconds;
}

/// The seeded fleet's first drone: with a fleet of one, the drone every booking gets.
FleetDrone firstDrone()
{
    return FleetSimulator::generateFleet(1, kSeed).front();
}

/// `meters` north (or south, to stay in the service area) of `from`.
Location inAreaNear(const Location &from, double meters)
{
    const Location north = offset(from, meters, 0);
    return geo::insideServiceArea(north) ? north : offset(from, -meters, 0);
}

/// Seconds the simulation takes from `a` to `b` at the cruise speed.
double flightSeconds(const Location &a, const Location &b)
{
    return geo::distanceMeters(a, b) / 15.0;
}

} // namespace

class TestDroneReservations : public QObject
{
    Q_OBJECT

private slots:
    void aFuturePickupReservesTheDroneUntilItMustLeave()
    {
        QTemporaryDir dir;
        ManualClock clock(clockStartBehind());
        const Micros start = clock.now();
        ServiceContext context = droneContext(dir.path(), 1, 1);
        context.clock = &clock;
        Drone drone("drone", context);
        test::Recorder recorder(
            "drone", drone.context().endpoints.endpoint("drone.telemetry"), "telemetry.", HwmPolicy::Conflate);
        // The subscriber joins asynchronously; the clock stands still: full rounds (every 2 s of
        // the clock) until it hears one.
        const auto heardAny = [&] { return !recorder.heard().empty(); };
        for (int i = 0; i < 20 && !QTest::qWaitFor(heardAny, 500); ++i)
            clock.advance(2 * kSeconds);
        QVERIFY(heardAny());
        const FleetDrone pad = firstDrone();
        const Location pickup = inAreaNear(pad.home, 3000), dropoff = inAreaNear(pickup, 1000);
        const double flight = flightSeconds(pad.home, pickup); // ~200 s
        // Long enough to see it wait, short enough that its charging on the pad does not reach full.
        QVERIFY(pad.battery < 0.95);
        const double waitSeconds = std::min(600.0, (1.0 - pad.battery) * 2700 * 0.5);
        const Micros pickupAt = clock.now() + Micros((waitSeconds + flight) * kSeconds);
        const Micros departAt = pickupAt - Micros(flight * kSeconds);

        auto booked
            = drone.call<DroneScheduleReply>("Schedule", reservationRequest("d-later", pickup, dropoff, pickupAt));
        QVERIFY2(booked.ok(), booked.status.toString().c_str());
        QCOMPARE(booked.reply.drone_id(), pad.id);
        QVERIFY(std::abs(booked.reply.pickup_eta_us() - pickupAt) <= 1); // the requested time
        QVERIFY(std::abs(double(booked.reply.dropoff_eta_us() - pickupAt) / kSeconds - flightSeconds(pickup, dropoff))
            < 0.01);

        // Reserved: on its pad, naming the delivery and its pickup, in Get and in telemetry.
        const DroneTelemetry reserved = getDrone(drone, pad.id);
        QCOMPARE(int(reserved.state()), int(IDLE));
        QCOMPARE(reserved.delivery_id(), std::string("d-later"));
        QVERIFY(reserved.has_target());
        QVERIFY(geo::distanceMeters(Location(reserved.target()), pickup) < 0.01);
        QVERIFY(geo::distanceMeters(positionOf(reserved), pad.home) < 0.01);
        QCOMPARE(reserved.speed(), 0.0);
        const auto heardReserved = [&] {
            for (const auto &event : recorder.heard()) {
                DroneTelemetry t;
                if (t.ParseFromString(event.payload) && t.drone_id() == pad.id && t.delivery_id() == "d-later"
                    && t.state() == IDLE && t.has_target() && geo::distanceMeters(positionOf(t), pad.home) < 0.01)
                    return true;
            }
            return false;
        };
        clock.advance(2 * kSeconds); // a full round: a waiting drone keeps being heard
        drone.service().loop().wake();
        QTRY_VERIFY_WITH_TIMEOUT(heardReserved(), 10000);

        // Just before it must leave: still on its pad, charged for all the time it waited.
        clock.set(departAt - 5 * kSeconds);
        const double charged = pad.battery + double(clock.now() - start) / kSeconds / 2700;
        QVERIFY(charged < 1.0);
        drone.service().loop().wake();
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(getDrone(drone, pad.id).battery() - charged) < 1e-4, 10000);
        const DroneTelemetry waiting = getDrone(drone, pad.id);
        QCOMPARE(int(waiting.state()), int(IDLE));
        QVERIFY(geo::distanceMeters(positionOf(waiting), pad.home) < 0.01);

        // Just after: on its way, from its departure time on (1 s of flight is 15 m).
        clock.set(departAt + 1 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(int(getDrone(drone, pad.id).state()), int(FLYING_TO_PICKUP), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::abs(geo::distanceMeters(positionOf(getDrone(drone, pad.id)), pad.home) - 15) < 1, 10000);

        // At the pickup at the requested time: 2 s (30 m) short before it, past it after.
        clock.set(pickupAt - 2 * kSeconds);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::abs(geo::distanceMeters(positionOf(getDrone(drone, pad.id)), pickup) - 30) < 1, 10000);
        QCOMPARE(int(getDrone(drone, pad.id).state()), int(FLYING_TO_PICKUP));
        clock.set(pickupAt + 1 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(int(getDrone(drone, pad.id).state()), int(FLYING_TO_DROPOFF), 10000);
    }

    void aReservedDroneIsNotBookedAgainUntilItsCancelReleasesIt()
    {
        QTemporaryDir dir;
        ManualClock clock(clockStartBehind());
        ServiceContext context = droneContext(dir.path(), 1, 10);
        context.clock = &clock;
        Drone drone("drone", context);
        const FleetDrone pad = firstDrone();
        const Location pickup = inAreaNear(pad.home, 2000), dropoff = inAreaNear(pickup, 1000);
        const Micros pickupAt = clock.now() + 3600 * kSeconds;

        auto later
            = drone.call<DroneScheduleReply>("Schedule", reservationRequest("d-later", pickup, dropoff, pickupAt));
        QVERIFY2(later.ok(), later.status.toString().c_str());
        auto now = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-now", pickup, dropoff));
        QCOMPARE(now.code(), QByteArray("CONFLICT")); // the only drone is taken
        auto alsoLater
            = drone.call<DroneScheduleReply>("Schedule", reservationRequest("d-other", pickup, dropoff, pickupAt));
        QCOMPARE(alsoLater.code(), QByteArray("CONFLICT"));

        const DroneCancelReply cancelled = cancelDelivery(drone, "d-later");
        QVERIFY(cancelled.existed());
        QVERIFY(!cancelled.airborne()); // no approval needed to undo a reservation
        QCOMPARE(cancelled.drone_id(), pad.id);
        QCOMPARE(cancelDelivery(drone, "d-later").SerializeAsString(), cancelled.SerializeAsString());
        const DroneTelemetry released = getDrone(drone, pad.id);
        QCOMPARE(int(released.state()), int(IDLE));
        QVERIFY(released.delivery_id().empty());
        QVERIFY(!released.has_target());

        auto retried = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-now", pickup, dropoff));
        QVERIFY2(retried.ok(), retried.status.toString().c_str());
        QCOMPARE(retried.reply.drone_id(), pad.id);
        QCOMPARE(int(getDrone(drone, pad.id).state()), int(FLYING_TO_PICKUP));
    }

    void noPickupTimeOrAPastOneLeavesAtOnce()
    {
        QTemporaryDir dir;
        ManualClock clock(clockStartBehind());
        ServiceContext context = droneContext(dir.path(), 2, 1);
        context.clock = &clock;
        Drone drone("drone", context);
        const Location pickup = offset(center(), 1000, 0), dropoff = offset(center(), 2000, 0);
        const Micros in2019 = 1'546'300'800 * kSeconds; // the reference payloads' dates
        for (const Micros pickupAt : {Micros(0), in2019}) {
            const std::string id = "d-" + std::to_string(pickupAt);
            auto booked = drone.call<DroneScheduleReply>("Schedule", reservationRequest(id, pickup, dropoff, pickupAt));
            QVERIFY2(booked.ok(), booked.status.toString().c_str());
            const DroneTelemetry t = getDrone(drone, booked.reply.drone_id());
            QCOMPARE(int(t.state()), int(FLYING_TO_PICKUP));
            QCOMPARE(t.delivery_id(), id);
            const double toPickup = flightSeconds(positionOf(t), pickup);
            QVERIFY(std::abs(double(booked.reply.pickup_eta_us() - clock.now()) / kSeconds - toPickup) < 0.01);
        }
    }

    void restartKeepsAReservation()
    {
        QTemporaryDir dir;
        ManualClock clock(clockStartBehind());
        ServiceContext first = droneContext(dir.path(), 1, 1);
        first.clock = &clock;
        const FleetDrone pad = firstDrone();
        const Location pickup = inAreaNear(pad.home, 1500), dropoff = inAreaNear(pickup, 1000);
        const Micros pickupAt = clock.now() + 1800 * kSeconds;
        const Micros departAt = pickupAt - Micros(flightSeconds(pad.home, pickup) * kSeconds);
        auto drone = std::make_unique<Drone>("drone", first);
        auto booked = drone->call<DroneScheduleReply>("Schedule", reservationRequest("d-r", pickup, dropoff, pickupAt));
        QVERIFY(booked.ok());
        drone->stop();
        drone.reset();

        Drone restarted("drone", test::trackingContext(dir.path(), &first));
        const DroneTelemetry kept = getDrone(restarted, pad.id);
        QCOMPARE(int(kept.state()), int(IDLE));
        QCOMPARE(kept.delivery_id(), std::string("d-r"));
        QVERIFY(kept.has_target());
        QVERIFY(geo::distanceMeters(positionOf(kept), pad.home) < 0.01);
        auto again
            = restarted.call<DroneScheduleReply>("Schedule", reservationRequest("d-r", pickup, dropoff, pickupAt));
        QCOMPARE(again.reply.SerializeAsString(), booked.reply.SerializeAsString());
        QCOMPARE(restarted.call<DroneScheduleReply>("Schedule", scheduleRequest("d-other", pickup, dropoff)).code(),
            QByteArray("CONFLICT")); // still taken
        // It leaves at the departure time booked before the restart.
        clock.set(departAt + 2 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(int(getDrone(restarted, pad.id).state()), int(FLYING_TO_PICKUP), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::abs(geo::distanceMeters(positionOf(getDrone(restarted, pad.id)), pad.home) - 30) < 1, 10000);
    }

    void aStoreOfThePreviousVersionOpens()
    {
        QTemporaryDir dir;
        ManualClock clock(clockStartBehind());
        ServiceContext context = droneContext(dir.path(), 2, 1);
        context.clock = &clock;
        const auto fleet = FleetSimulator::generateFleet(2, kSeed);
        const Location pickup = offset(center(), 1000, 0), dropoff = offset(center(), 2000, 0);
        {
            // The layout before reservations: assignments without depart_at, user_version 0.
            SqliteDb old(context.storePath("drone"));
            old.exec("CREATE TABLE drones ("
                     " drone_id TEXT PRIMARY KEY, home_lat REAL NOT NULL, home_lon REAL NOT NULL,"
                     " max_payload REAL NOT NULL, range_m REAL NOT NULL, battery REAL NOT NULL,"
                     " lat REAL NOT NULL, lon REAL NOT NULL, alt REAL NOT NULL, heading REAL NOT NULL,"
                     " state INTEGER NOT NULL, delivery_id TEXT NOT NULL, left_pad INTEGER NOT NULL)");
            old.exec("CREATE TABLE assignments ("
                     " delivery_id TEXT PRIMARY KEY, drone_id TEXT NOT NULL,"
                     " pickup_lat REAL NOT NULL, pickup_lon REAL NOT NULL, dropoff_lat REAL NOT NULL,"
                     " dropoff_lon REAL NOT NULL, weight REAL NOT NULL, expedited INTEGER NOT NULL,"
                     " pickup_eta INTEGER NOT NULL, dropoff_eta INTEGER NOT NULL, status INTEGER NOT NULL,"
                     " airborne INTEGER NOT NULL)");
            const Location home = fleet[0].home, at = offset(home, 10, 0);
            old.prepare("INSERT INTO drones VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
                .bind(1, fleet[0].id)
                .bind(2, home.latitude())
                .bind(3, home.longitude())
                .bind(4, 10.0)
                .bind(5, 60000.0)
                .bind(6, 0.9)
                .bind(7, at.latitude())
                .bind(8, at.longitude())
                .bind(9, 120.0)
                .bind(10, 0.0)
                .bind(11, int(FLYING_TO_PICKUP))
                .bind(12, std::string("d-old"))
                .bind(13, 1)
                .run();
            old.prepare("INSERT INTO assignments VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
                .bind(1, std::string("d-old"))
                .bind(2, fleet[0].id)
                .bind(3, pickup.latitude())
                .bind(4, pickup.longitude())
                .bind(5, dropoff.latitude())
                .bind(6, dropoff.longitude())
                .bind(7, 1.0)
                .bind(8, 0)
                .bind(9, std::int64_t(111))
                .bind(10, std::int64_t(222))
                .bind(11, 0)
                .bind(12, 0)
                .run();
        }
        const Micros pickupAt = clock.now() + 3600 * kSeconds;
        {
            Drone drone("drone", context);
            const DroneTelemetry flying = getDrone(drone, fleet[0].id);
            QCOMPARE(int(flying.state()), int(FLYING_TO_PICKUP));
            QCOMPARE(flying.delivery_id(), std::string("d-old"));
            auto replay = drone.call<DroneScheduleReply>("Schedule", scheduleRequest("d-old", pickup, dropoff));
            QVERIFY(replay.ok());
            QCOMPARE(replay.reply.pickup_eta_us(), std::int64_t(111)); // the old booking, as it was
            QCOMPARE(replay.reply.dropoff_eta_us(), std::int64_t(222));
            auto later
                = drone.call<DroneScheduleReply>("Schedule", reservationRequest("d-later", pickup, dropoff, pickupAt));
            QVERIFY2(later.ok(), later.status.toString().c_str());
            QCOMPARE(later.reply.drone_id(), fleet[1].id);
        }
        {
            SqliteDb reopened(context.storePath("drone"));
            auto version = reopened.prepare("PRAGMA user_version");
            QVERIFY(version.step());
            QCOMPARE(version.integer(0), std::int64_t(1));
        }
        Drone restarted("drone", test::trackingContext(dir.path(), &context));
        const DroneTelemetry reserved = getDrone(restarted, fleet[1].id);
        QCOMPARE(reserved.delivery_id(), std::string("d-later"));
        QCOMPARE(int(reserved.state()), int(IDLE));
        QVERIFY(reserved.has_target());
    }
};

QTEST_GUILESS_MAIN(TestDroneReservations)
#include "tst_drone_reservations.moc"
