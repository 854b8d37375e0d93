// Tests of FleetSimulator: pure physics and immediate booking with an injected clock, no sockets, no store.
#include "FleetTestSupport.h"
#include "backend/common/Geo.h"
#include "backend/drone/FleetSimulator.h"

#include <QtTest>

#include <cmath>

using namespace dd::backend;
using namespace dd::backend::test::fleet;
using namespace dronedelivery::v1;
using dd::net::kSeconds;
using dd::net::ManualClock;
using dd::net::Micros;

namespace {

/// Advances one simulated second at a time until `done` holds (at most `maxSeconds`); returns the seconds taken.
template <typename F>
int advanceUntil(FleetSimulator &sim, F done, int maxSeconds = 100000)
{
    for (int s = 0; s < maxSeconds; ++s) {
        if (done())
            return s;
        sim.advance(1 * kSeconds);
    }
    return -1;
}

} // namespace

class TestFleetSimulator : public QObject
{
    Q_OBJECT

private slots:
    void generatedFleetIsDeterministicAndInsideTheCity()
    {
        const auto a = FleetSimulator::generateFleet(200, 7);
        const auto b = FleetSimulator::generateFleet(200, 7);
        const auto c = FleetSimulator::generateFleet(200, 8);
        QCOMPARE(a.size(), std::size_t(200));
        QCOMPARE(a.front().id, std::string("drone-0001"));
        QCOMPARE(a.back().id, std::string("drone-0200"));
        bool differs = false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].home.latitude(), b[i].home.latitude());
            QCOMPARE(a[i].battery, b[i].battery);
            differs = differs || a[i].home.latitude() != c[i].home.latitude();
            QVERIFY(geo::distanceMeters(a[i].home, at(0, 0)) <= geo::kRadiusMeters);
            QVERIFY(a[i].battery >= 0.5 && a[i].battery <= 1.0);
            QVERIFY(a[i].maxPayloadKg >= 5 && a[i].maxPayloadKg <= 20);
            QVERIFY(a[i].rangeMeters >= 50000 && a[i].rangeMeters <= 80000);
            QCOMPARE(int(a[i].state), int(IDLE));
        }
        QVERIFY(differs);
        QVERIFY(FleetSimulator::generateFleet(0, 1).empty());
    }

    void scheduledDroneFliesPickupThenDropoffThenHome()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        const Location pickup = at(1500, 0), dropoff = at(1500, 3000);
        const Micros before = clock.now();
        auto booked = sim.assign("del-1", pickup, dropoff, 2.0, false);
        QVERIFY(booked);
        QCOMPARE(booked->droneId, std::string("d1"));
        // ETAs at 15 m/s: 100 s to the pickup, 200 s more to the dropoff.
        QVERIFY(std::abs(double(booked->pickupEta - before) / kSeconds - 100.0) < 0.5);
        QVERIFY(std::abs(double(booked->dropoffEta - booked->pickupEta) / kSeconds - 200.0) < 0.5);
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_PICKUP));
        sim.takePhaseChanges();

        const int toPickup = advanceUntil(sim, [&] { return sim.drone(0).state != FLYING_TO_PICKUP; });
        QVERIFY2(toPickup >= 99 && toPickup <= 101, qPrintable(QString::number(toPickup)));
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_DROPOFF));
        QVERIFY(geo::distanceMeters(sim.drone(0).position, pickup) < 20);
        QCOMPARE(sim.drone(0).position.altitude(), 120.0);

        const int toDropoff = advanceUntil(sim, [&] { return sim.drone(0).state != FLYING_TO_DROPOFF; });
        QVERIFY2(toDropoff >= 199 && toDropoff <= 201, qPrintable(QString::number(toDropoff)));
        QCOMPARE(int(sim.drone(0).state), int(RETURNING));
        QVERIFY(geo::distanceMeters(sim.drone(0).position, dropoff) < 20);
        QCOMPARE(sim.telemetry(0).delivery_id(), std::string("del-1")); // the completion stays visible
        QVERIFY(!sim.activeDrone("del-1"));                              // delivered: nothing to cancel

        QVERIFY(advanceUntil(sim, [&] { return sim.drone(0).state != RETURNING; }) > 0);
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QCOMPARE(sim.drone(0).position.latitude(), at(0, 0).latitude());
        QCOMPARE(sim.drone(0).position.altitude(), 0.0);
        QCOMPARE(sim.telemetry(0).speed(), 0.0);

        const auto phases = sim.takePhaseChanges();
        QCOMPARE(phases.size(), std::size_t(3));
        QCOMPARE(int(phases[0].to), int(FLYING_TO_DROPOFF));
        QCOMPARE(int(phases[1].to), int(RETURNING));
        QCOMPARE(int(phases[2].to), int(IDLE));
        QCOMPARE(phases[1].deliveryId, std::string("del-1"));
    }

    void oneLongStepCompletesSeveralLegs()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        QVERIFY(sim.assign("del-1", at(1000, 0), at(2000, 0), 1.0, false));
        sim.advance(3600 * kSeconds);
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QCOMPARE(sim.takePhaseChanges().size(), std::size_t(4)); // assign, pickup, dropoff, home
    }

    void telemetryDescribesTheFlight()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0), 0.8));
        QVERIFY(sim.assign("del-1", at(1000, 0), at(1000, 1000), 1.0, false));
        sim.advance(10 * kSeconds);
        const DroneTelemetry t = sim.telemetry(0);
        QCOMPARE(t.drone_id(), std::string("d1"));
        QCOMPARE(int(t.state()), int(FLYING_TO_PICKUP));
        QCOMPARE(t.delivery_id(), std::string("del-1"));
        QCOMPARE(t.speed(), 15.0);
        QCOMPARE(t.altitude(), 120.0);
        QVERIFY(t.heading() < 1.0 || t.heading() > 359.0); // due north
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), Location(t.target())) - 1000) < 1);
        QVERIFY(t.battery() < 0.8);
        QCOMPARE(t.at_us(), clock.now());
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), sim.drone(0).position) - 150) < 1);
    }

    void batteryDrainsWithDistanceAndWeight()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1-light", at(0, 0), 1.0, 10));
        sim.addDrone(droneAt("d2-heavy", at(0, 0), 1.0, 10));
        const Location pickup = at(0, 0), dropoff = at(5000, 0);
        QVERIFY(sim.assign("a", pickup, dropoff, 0.0, false));
        QVERIFY(sim.assign("b", pickup, dropoff, 10.0, false));
        const std::size_t light = *sim.indexOf("d1-light"), heavy = *sim.indexOf("d2-heavy");
        QCOMPARE(sim.drone(light).assignment.deliveryId, std::string("a")); // equally near: the id breaks the tie
        const double expectedLight = sim.energyFor(sim.drone(light), pickup, dropoff, 0.0);
        const double expectedHeavy = sim.energyFor(sim.drone(heavy), pickup, dropoff, 10.0);
        // Out 5 km and back: 10 km of a 60 km range unladen, the loaded leg 1.5x as costly.
        QVERIFY(std::abs(expectedLight - 10000.0 / 60000) < 1e-6);
        QVERIFY(std::abs(expectedHeavy - (5000.0 * 1.5 + 5000.0) / 60000) < 1e-6);
        sim.advance(60 * kSeconds);
        QVERIFY(sim.drone(light).battery < 1.0);
        QVERIFY(sim.drone(heavy).battery < sim.drone(light).battery); // the loaded leg costs more
        QVERIFY(advanceUntil(sim, [&] { return sim.drone(light).state == IDLE && sim.drone(heavy).state == IDLE; }) > 0);
        // Both landed in the same step, before any charging: the drain is exactly the trip's energy.
        QVERIFY(std::abs((1.0 - sim.drone(light).battery) - expectedLight) < 1e-6);
        QVERIFY(std::abs((1.0 - sim.drone(heavy).battery) - expectedHeavy) < 1e-6);
    }

    void lowBatteryChargesAtThePad()
    {
        ManualClock clock;
        FleetOptions options;
        options.chargePerSecond = 0.01;
        FleetSimulator sim(clock, options);
        sim.addDrone(droneAt("d1", at(0, 0), 0.45, 10, 20000));
        QVERIFY(sim.assign("del-1", at(2000, 0), at(2000, 2000), 0.0, false)); // 0.34 of its battery
        advanceUntil(sim, [&] { return sim.drone(0).state == RETURNING; });
        sim.takePhaseChanges();
        advanceUntil(sim, [&] { return sim.drone(0).state != RETURNING; });
        QCOMPARE(int(sim.drone(0).state), int(CHARGING));
        const double low = sim.drone(0).battery;
        QVERIFY(low < 0.30);
        const int seconds = advanceUntil(sim, [&] { return sim.drone(0).state == IDLE; });
        QVERIFY(seconds > 0);
        QVERIFY(sim.drone(0).battery >= 0.9);
        QVERIFY(std::abs(seconds - (0.9 - low) / 0.01) <= 2);
        sim.advance(100 * kSeconds);
        QCOMPARE(sim.drone(0).battery, 1.0);
    }

    void timeScaleSpeedsUpTicksAndEtas()
    {
        ManualClock clock;
        FleetOptions options;
        options.timeScale = 10;
        FleetSimulator sim(clock, options);
        sim.addDrone(droneAt("d1", at(0, 0)));
        auto booked = sim.assign("del-1", at(3000, 0), at(3000, 3000), 0.0, false);
        QVERIFY(booked);
        QVERIFY(std::abs(double(booked->pickupEta - clock.now()) / kSeconds - 20.0) < 0.1); // 200 s / 10
        clock.advance(1 * kSeconds);
        sim.tick();
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), sim.drone(0).position) - 150) < 1);
        sim.tick(); // no time passed: no move
        QVERIFY(std::abs(geo::distanceMeters(at(0, 0), sim.drone(0).position) - 150) < 1);
        clock.advance(20 * kSeconds);
        sim.tick();
        QCOMPARE(int(sim.drone(0).state), int(FLYING_TO_DROPOFF));
    }

    void expeditedFliesFaster()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        auto booked = sim.assign("del-1", at(2000, 0), at(4000, 0), 0.0, true);
        QVERIFY(booked);
        QVERIFY(std::abs(double(booked->pickupEta - clock.now()) / kSeconds - 100.0) < 0.1); // 2 km at 20 m/s
        sim.advance(10 * kSeconds);
        QCOMPARE(sim.telemetry(0).speed(), 20.0);
    }

    void nearestFreeDroneWithCapacityIsChosen()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("near-small", at(100, 0), 1.0, 5));
        sim.addDrone(droneAt("mid-big", at(1000, 0), 1.0, 20));
        sim.addDrone(droneAt("far-big", at(5000, 0), 1.0, 20));
        sim.addDrone(droneAt("near-empty", at(0, 50), 0.12, 20));
        const Location pickup = at(0, 0), dropoff = at(0, 2000);
        auto light = sim.assign("light", pickup, dropoff, 3.0, false);
        QVERIFY(light);
        QCOMPARE(light->droneId, std::string("near-small")); // the nearly empty one is closer but can't make it
        auto heavy = sim.assign("heavy", pickup, dropoff, 15.0, false);
        QVERIFY(heavy);
        QCOMPARE(heavy->droneId, std::string("mid-big"));
        auto next = sim.assign("next", pickup, dropoff, 15.0, false);
        QVERIFY(next);
        QCOMPARE(next->droneId, std::string("far-big")); // the others are busy now
    }

    void noDroneFitsGivesNoAssignment()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0), 1.0, 10, 20000));
        QVERIFY(!sim.assign("too-heavy", at(0, 0), at(1000, 0), 10.5, false));
        QVERIFY(!sim.assign("too-far", at(10000, 0), at(-10000, 0), 1.0, false)); // 40 km on a 20 km range
        QVERIFY(sim.assign("ok", at(0, 0), at(1000, 0), 10.0, false));
        QVERIFY(!sim.assign("busy", at(0, 0), at(1000, 0), 1.0, false));
        QCOMPARE(sim.takePhaseChanges().size(), std::size_t(1));

        FleetSimulator empty(clock);
        QVERIFY(!empty.assign("nothing", at(0, 0), at(1000, 0), 1.0, false));
    }

    void aDroneBackAtItsPadIsBookedAgainAfterTheFleetWasOut()
    {
        // The simulator counts the drones free at their pads (the fast refusal when none is):
        // that count must follow every way a drone leaves or comes back.
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        sim.addDrone(droneAt("d2", at(0, 100)));
        QVERIFY(sim.assign("a", at(500, 0), at(1000, 0), 1.0, false));
        QVERIFY(sim.assign("b", at(500, 0), at(1000, 0), 1.0, false));
        QVERIFY(!sim.assign("c", at(500, 0), at(1000, 0), 1.0, false)); // the fleet is out
        QVERIFY(sim.release("b"));                                       // on the pad still: free again
        QVERIFY(sim.assign("c", at(500, 0), at(1000, 0), 1.0, false));
        QVERIFY(!sim.assign("d", at(500, 0), at(1000, 0), 1.0, false));
        // Flown home: free again.
        QVERIFY(advanceUntil(sim, [&] { return sim.drone(0).state == IDLE || sim.drone(0).state == CHARGING; }) > 0);
        QVERIFY(sim.assign("d", at(500, 0), at(1000, 0), 1.0, false));
        // A drone replaced by a restored idle copy of itself is free too.
        FleetDrone restored = droneAt("d2", at(0, 100));
        sim.addDrone(restored);
        QVERIFY(sim.assign("e", at(500, 0), at(1000, 0), 1.0, false));
        QVERIFY(!sim.assign("f", at(500, 0), at(1000, 0), 1.0, false));
    }

    void releaseBeforeAndAfterTakeOff()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        sim.addDrone(droneAt("d1", at(0, 0)));
        QVERIFY(sim.assign("a", at(1000, 0), at(2000, 0), 1.0, false));
        auto onPad = sim.release("a");
        QVERIFY(onPad);
        QCOMPARE(onPad->droneId, std::string("d1"));
        QVERIFY(!onPad->airborne);
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QVERIFY(!sim.release("a"));
        QVERIFY(!sim.release("never-booked"));

        QVERIFY(sim.assign("b", at(1000, 0), at(2000, 0), 1.0, false));
        sim.advance(20 * kSeconds);
        auto airborne = sim.release("b");
        QVERIFY(airborne && airborne->airborne);
        QCOMPARE(int(sim.drone(0).state), int(RETURNING));
        QVERIFY(sim.telemetry(0).delivery_id().empty());
        sim.advance(30 * kSeconds);
        QCOMPARE(int(sim.drone(0).state), int(IDLE));
        QCOMPARE(sim.drone(0).position.latitude(), at(0, 0).latitude());
    }

    void restoredFlightResumesOnItsLeg()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        FleetDrone drone = droneAt("d1", at(0, 0));
        drone.state = FLYING_TO_DROPOFF;
        drone.position = at(500, 0);
        drone.leftPad = true;
        drone.assignment.deliveryId = "del-9";
        drone.assignment.droneId = "d1";
        drone.assignment.pickup = at(500, 0);
        drone.assignment.dropoff = at(1000, 0);
        sim.addDrone(drone);
        QVERIFY(sim.activeDrone("del-9"));
        QVERIFY(!sim.assign("other", at(0, 0), at(100, 0), 0, false)); // busy
        sim.advance(40 * kSeconds);
        QCOMPARE(int(sim.drone(0).state), int(RETURNING));
        QVERIFY(!sim.activeDrone("del-9"));
    }

    void pagesAreInIdOrder()
    {
        ManualClock clock;
        FleetSimulator sim(clock);
        for (auto &drone : FleetSimulator::generateFleet(25, 3))
            sim.addDrone(std::move(drone));
        const auto first = sim.page("", 10);
        QCOMPARE(first.size(), std::size_t(10));
        QCOMPARE(sim.drone(first.front()).id, std::string("drone-0001"));
        const auto rest = sim.page(sim.drone(first.back()).id, 100);
        QCOMPARE(rest.size(), std::size_t(15));
        QCOMPARE(sim.drone(rest.front()).id, std::string("drone-0011"));
        QVERIFY(sim.page("drone-0025", 10).empty());
        QVERIFY(sim.page("zzz", 10).empty());
        QVERIFY(!sim.indexOf("drone-0026"));
        QCOMPARE(sim.takeChanged().size(), std::size_t(25));
        QVERIFY(sim.takeChanged().empty());
    }
};

QTEST_GUILESS_MAIN(TestFleetSimulator)
#include "tst_fleet_simulator.moc"
