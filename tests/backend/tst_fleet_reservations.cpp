// Tests of FleetSimulator's future-pickup reservations: waiting on the pad, leaving at pickup time minus the flight.
#include "FleetTestSupport.h"
#include "backend/common/Geo.h"
#include "backend/drone/FleetSimulator.h"

#include <QtTest>

#include <cmath>

using namespace dd::backend;
using namespace dd::backend::test::fleet;
using namespace dronedelivery::v1;
using dd::net::kMillis;
using dd::net::kSeconds;
using dd::net::ManualClock;
using dd::net::Micros;

class TestFleetReservations : public QObject
{
    Q_OBJECT

private slots:
    void aFuturePickupReservesTheDroneUntilItMustLeave()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0), 0.8));
        const Location pickup = at(1500, 0), dropoff = at(1500, 3000); // 100 s, then 200 s at 15 m/s
        const Micros pickupAt = clock.now() + 600 * kSeconds;
        auto booked = sim.assign("del-1", pickup, dropoff, 2.0, false, pickupAt);
        QVERIFY(booked);
        const Micros departAt = booked->departAt;
        QVERIFY(std::abs(double(departAt - (pickupAt - 100 * kSeconds))) < 0.01 * kSeconds);
        QCOMPARE(booked->pickupEta, pickupAt); // the requested time, not the flight's
        QVERIFY(std::abs(double(booked->dropoffEta - pickupAt) / kSeconds - 200.0) < 0.5);

        // Reserved: on its pad, naming the delivery and where it will go, cancellable.
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QVERIFY(sim.drone(0).reserved);
        QCOMPARE(*sim.activeDrone("del-1"), std::size_t(0));
        DroneTelemetry t = sim.telemetry(0);
        QCOMPARE(t.delivery_id(), std::string("del-1"));
        QVERIFY(t.has_target());
        QVERIFY(geo::distanceMeters(Location(t.target()), pickup) < 0.01);
        QCOMPARE(t.speed(), 0.0);
        QCOMPARE(t.latitude(), at(0, 0).latitude());
        QVERIFY(sim.takePhaseChanges().empty()); // nothing flew
        QCOMPARE(sim.takeChanged().size(), std::size_t(1)); // but its telemetry changed

        // One-second ticks: it stays on its pad (charging) until its departure, then leaves.
        const Micros start = clock.now();
        Micros departedAt = 0, arrivedAt = 0;
        double batteryAtDeparture = 0;
        while (clock.now() < start + 1000 * kSeconds && !arrivedAt) {
            clock.advance(1 * kSeconds);
            sim.tick();
            if (!departedAt && sim.drone(0).state == FLYING_TO_PICKUP) {
                departedAt = clock.now();
                batteryAtDeparture = sim.drone(0).battery;
                // It left at departAt itself, not at the tick: the distance flown says so.
                const double flown = geo::distanceMeters(at(0, 0), sim.drone(0).position);
                QVERIFY2(std::abs(flown - 15.0 * double(clock.now() - departAt) / kSeconds) < 0.5,
                    qPrintable(QString::number(flown)));
            }
            if (!departedAt) {
                QCOMPARE(sim.drone(0).position.latitude(), at(0, 0).latitude());
                QCOMPARE(sim.drone(0).speed, 0.0);
            }
            if (sim.drone(0).state == FLYING_TO_DROPOFF)
                arrivedAt = clock.now();
        }
        QVERIFY(departedAt >= departAt && departedAt < departAt + 1 * kSeconds);
        QVERIFY(!sim.drone(0).reserved);
        QVERIFY(batteryAtDeparture > 0.8 + 400.0 / 2700); // charged on its pad while it waited
        QVERIFY2(arrivedAt >= pickupAt && arrivedAt <= pickupAt + 1 * kSeconds,
            qPrintable(QString::number(double(arrivedAt - pickupAt) / kSeconds)));
        const auto phases = sim.takePhaseChanges();
        QCOMPARE(phases.size(), std::size_t(2));
        QCOMPARE(int(phases[0].from), int(IDLE));
        QCOMPARE(int(phases[0].to), int(FLYING_TO_PICKUP));
        QCOMPARE(phases[0].deliveryId, std::string("del-1"));
    }

    void aCoarseTickStillLeavesOnTime()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        const Micros pickupAt = clock.now() + 3600 * kSeconds;
        QVERIFY(sim.assign("del-1", at(1500, 0), at(1500, 3000), 2.0, false, pickupAt));
        // One tick from before the departure to 10 s before the pickup: 10 s (150 m) still to fly.
        clock.set(pickupAt - 10 * kSeconds);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_PICKUP));
        QVERIFY(std::abs(geo::distanceMeters(sim.drone(0).position, at(1500, 0)) - 150) < 0.5);
        clock.set(pickupAt + 10 * kMillis);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_DROPOFF));
    }

    void theWaitIsClockTimeWhateverTheTimeScale()
    {
        ManualClock clock;
        FleetOptions options;
        options.timeScale = 10;
        FleetSimulator sim(clock, options);
        sim.addDrone(droneAt("d1", at(0, 0)));
        const Micros pickupAt = clock.now() + 15 * 60 * kSeconds; // a pickup in 15 minutes is in 15 minutes
        auto booked = sim.assign("del-1", at(3000, 0), at(3000, 3000), 0.0, false, pickupAt);
        QVERIFY(booked);
        QCOMPARE(booked->pickupEta, pickupAt);
        QVERIFY(std::abs(double(booked->departAt - (pickupAt - 20 * kSeconds))) < 0.01 * kSeconds); // 200 s / 10
        QVERIFY(std::abs(double(booked->dropoffEta - pickupAt) / kSeconds - 20.0) < 0.1);
        clock.set(booked->departAt - 1 * kSeconds); // 90 s of the clock × 10 would be long gone: still waiting
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QCOMPARE(sim.drone(0).position.latitude(), at(0, 0).latitude());
        clock.set(booked->departAt + 1 * kSeconds);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_PICKUP));
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), sim.drone(0).position) - 150) < 0.5); // 1 s × 10 × 15 m/s
        clock.set(pickupAt + 10 * kMillis);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_DROPOFF));
    }

    void aReservedDroneIsNotBookedAgain()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("near", at(0, 0)));
        sim.addDrone(droneAt("far", at(3000, 0)));
        const Location pickup = at(100, 0), dropoff = at(1000, 0);
        auto later = sim.assign("later", pickup, dropoff, 1.0, false, clock.now() + 3600 * kSeconds);
        QVERIFY(later);
        QCOMPARE(later->droneId, std::string("near"));
        auto now = sim.assign("now", pickup, dropoff, 1.0, false); // "near" is nearer, but taken
        QVERIFY(now);
        QCOMPARE(now->droneId, std::string("far"));
        QVERIFY(!sim.assign("third", pickup, dropoff, 1.0, false, clock.now() + 7200 * kSeconds));
        // Still taken after "far" is home again: only its own delivery frees it.
        sim.advance(3600 * kSeconds);
        QCOMPARE(int(sim.drone(*sim.indexOf("far")).state), int(IDLE));
        auto third = sim.assign("third", pickup, dropoff, 1.0, false);
        QVERIFY(third);
        QCOMPARE(third->droneId, std::string("far"));
        QCOMPARE(sim.drone(*sim.indexOf("near")).assignment.deliveryId, std::string("later"));
    }

    void cancellingAReservationFreesTheDrone()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0), 0.5));
        FleetDrone charging = droneAt("d2", at(5000, 0), 0.5);
        charging.state = CHARGING;
        sim.addDrone(charging);
        const Micros pickupAt = clock.now() + 3600 * kSeconds;
        QVERIFY(sim.assign("a", at(0, 0), at(1000, 0), 1.0, false, pickupAt));
        auto second = sim.assign("b", at(0, 0), at(1000, 0), 1.0, false, pickupAt);
        QVERIFY(second);
        QCOMPARE(second->droneId, std::string("d2"));
        QCOMPARE(int(sim.drone(1).state), int(CHARGING)); // it goes on charging while it waits
        QVERIFY(!sim.assign("c", at(0, 0), at(1000, 0), 1.0, false));

        sim.takeChanged();
        auto released = sim.release("a");
        QVERIFY(released);
        QCOMPARE(released->droneId, std::string("d1"));
        QVERIFY(!released->airborne);
        QVERIFY(!sim.drone(0).reserved);
        QVERIFY(!sim.activeDrone("a"));
        QVERIFY(sim.telemetry(0).delivery_id().empty());
        QVERIFY(!sim.telemetry(0).has_target());
        QCOMPARE(sim.takeChanged().size(), std::size_t(1)); // published again, without the delivery
        QVERIFY(!sim.release("a"));
        QVERIFY(sim.release("b"));
        QCOMPARE(int(sim.drone(1).state), int(CHARGING));

        // Its departure time passes: the released drones stay home.
        clock.set(pickupAt);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QCOMPARE(sim.drone(0).position.latitude(), at(0, 0).latitude());
        const auto phases = sim.takePhaseChanges(); // d2 charged up; nothing flew
        QCOMPARE(phases.size(), std::size_t(1));
        QCOMPARE(int(phases[0].to), int(IDLE));
        auto c = sim.assign("c", at(0, 0), at(1000, 0), 1.0, false);
        QVERIFY(c);
        QCOMPARE(c->droneId, std::string("d1"));
    }

    void noPickupTimeOrAPastOneLeavesAtOnce_data()
    {
        QTest::addColumn<qint64>("pickupAtFromNow"); // seconds; 0: no pickup time
        QTest::newRow("none") << qint64(0);
        QTest::newRow("an hour ago") << qint64(-3600);
        QTest::newRow("2019") << qint64(-150'000'000);
        QTest::newRow("sooner than the flight there") << qint64(60); // the flight takes 100 s
    }

    void noPickupTimeOrAPastOneLeavesAtOnce()
    {
        QFETCH(qint64, pickupAtFromNow);
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        const Micros pickupAt = pickupAtFromNow == 0 ? 0 : clock.now() + pickupAtFromNow * kSeconds;
        auto booked = sim.assign("del-1", at(1500, 0), at(1500, 3000), 1.0, false, pickupAt);
        QVERIFY(booked);
        QCOMPARE(booked->departAt, clock.now());
        QVERIFY(std::abs(double(booked->pickupEta - clock.now()) / kSeconds - 100.0) < 0.5);
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_PICKUP));
        QVERIFY(!sim.drone(0).reserved);
    }

    void aRestoredReservationLeavesAtItsTime()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        FleetDrone drone = droneAt("d1", at(0, 0));
        drone.reserved = true;
        drone.assignment.deliveryId = "del-7";
        drone.assignment.droneId = "d1";
        drone.assignment.pickup = at(1500, 0);
        drone.assignment.dropoff = at(3000, 0);
        drone.assignment.departAt = clock.now() + 300 * kSeconds;
        sim.addDrone(drone);
        sim.addDrone(droneAt("d2", at(2000, 0), 1.0, 10, 60000));
        QVERIFY(sim.activeDrone("del-7"));
        auto other = sim.assign("other", at(0, 0), at(100, 0), 0, false);
        QVERIFY(other);
        QCOMPARE(other->droneId, std::string("d2")); // d1 is reserved
        QVERIFY(!sim.assign("more", at(0, 0), at(100, 0), 0, false));
        clock.advance(299 * kSeconds);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        clock.advance(2 * kSeconds);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_PICKUP));
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), sim.drone(0).position) - 15) < 0.5);

        // A restored "reservation" of a drone that is not on its pad is no reservation.
        FleetDrone odd = droneAt("d3", at(0, 0));
        odd.reserved = true;
        odd.state = RETURNING;
        sim.addDrone(odd);
        QVERIFY(!sim.drone(*sim.indexOf("d3")).reserved);
    }
};

QTEST_GUILESS_MAIN(TestFleetReservations)
#include "tst_fleet_reservations.moc"
