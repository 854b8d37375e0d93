// Tests of StageTracker: the pure rules that turn drone telemetry into delivery stage changes.
#include "backend/delivery/StageTracker.h"

#include <QtTest>

#include <cmath>

using namespace dd::backend;
using namespace dronedelivery::v1;
using dd::net::kSeconds;

namespace {

Location at(double latitude, double longitude)
{
    Location l;
    l.set_latitude(latitude);
    l.set_longitude(longitude);
    return l;
}

TrackedDelivery tracked(const std::string &id, const std::string &drone, DeliveryStage stage = STAGE_CREATED)
{
    TrackedDelivery d;
    d.deliveryId = id;
    d.droneId = drone;
    d.stage = stage;
    d.pickup = at(47.60, -122.33);
    d.dropoff = at(47.62, -122.33);
    return d;
}

DroneTelemetry telemetry(const std::string &drone, const std::string &delivery, DroneState state,
                         double latitude = 47.59, dd::net::Micros atUs = 1000 * kSeconds)
{
    DroneTelemetry t;
    t.set_drone_id(drone);
    t.set_delivery_id(delivery);
    t.set_state(state);
    t.set_latitude(latitude);
    t.set_longitude(-122.33);
    t.set_speed(15);
    t.set_at_us(atUs);
    return t;
}

QList<int> stagesOf(const std::vector<StageChange> &changes)
{
    QList<int> stages;
    for (const auto &c : changes)
        stages << int(c.stage);
    return stages;
}

} // namespace

class TestStageTracker : public QObject
{
    Q_OBJECT

private slots:
    void followsTheFlightStageByStage()
    {
        StageTracker tracker;
        tracker.track(tracked("d", "x"));
        auto out = tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_HEADED_TO_PICKUP}));
        QCOMPARE(int(out.changes[0].previous), int(STAGE_CREATED));
        QCOMPARE(out.changes[0].droneId, std::string("x"));
        QCOMPARE(out.changes[0].location.latitude(), 47.59);
        QVERIFY(tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP, 47.595)).changes.empty()); // no news
        QCOMPARE(stagesOf(tracker.onTelemetry(telemetry("x", "d", FLYING_TO_DROPOFF, 47.60)).changes),
                 QList<int>({STAGE_HEADED_TO_DROPOFF}));
        out = tracker.onTelemetry(telemetry("x", "d", RETURNING, 47.62, 2000 * kSeconds));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_COMPLETED}));
        QCOMPARE(out.changes[0].deliveryEta, 2000 * kSeconds);
        QVERIFY(!tracker.find("d")); // done: no longer tracked
        QVERIFY(tracker.onTelemetry(telemetry("x", "d", IDLE, 47.62)).changes.empty());
        QCOMPARE(tracker.size(), std::size_t(0));
    }

    void skippedStagesAreFilledIn()
    {
        StageTracker tracker;
        tracker.track(tracked("d", "x"));
        const auto out = tracker.onTelemetry(telemetry("x", "d", CHARGING));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_HEADED_TO_PICKUP, STAGE_HEADED_TO_DROPOFF, STAGE_COMPLETED}));
        QCOMPARE(int(out.changes[1].previous), int(STAGE_HEADED_TO_PICKUP));
        QCOMPARE(int(out.changes[2].previous), int(STAGE_HEADED_TO_DROPOFF));
    }

    void aDroneReservedForAFuturePickupHasNotDeliveredIt()
    {
        StageTracker tracker;
        tracker.track(tracked("d", "x"));
        // On its pad, naming the delivery, with the pickup as its target: reserved, waiting to leave.
        for (DroneState state : {IDLE, CHARGING}) {
            DroneTelemetry reserved = telemetry("x", "d", state);
            *reserved.mutable_target() = at(47.60, -122.33);
            QVERIFY(tracker.onTelemetry(reserved).changes.empty());
        }
        QCOMPARE(int(tracker.find("d")->stage), int(STAGE_CREATED));
        // It leaves at its time, flies it, and is home without a target: now it has delivered it.
        QCOMPARE(stagesOf(tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP)).changes),
                 QList<int>({STAGE_HEADED_TO_PICKUP}));
        QCOMPARE(stagesOf(tracker.onTelemetry(telemetry("x", "d", IDLE, 47.62)).changes),
                 QList<int>({STAGE_HEADED_TO_DROPOFF, STAGE_COMPLETED}));
    }

    void etasFollowTheDroneAndTheTimeScale()
    {
        StageTracker tracker(10);
        tracker.track(tracked("d", "x"));
        tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP, 47.59, 1000 * kSeconds));
        const TrackedDelivery *d = tracker.find("d");
        QVERIFY(d);
        // 1113 m to the pickup, then 2226 m, at 15 m/s and 10× time.
        QVERIFY(std::abs(double(d->pickupEta - 1000 * kSeconds) / kSeconds - 7.42) < 0.01);
        QVERIFY(std::abs(double(d->deliveryEta - d->pickupEta) / kSeconds - 14.84) < 0.01);
        tracker.onTelemetry(telemetry("x", "d", FLYING_TO_DROPOFF, 47.61, 1010 * kSeconds));
        QVERIFY(std::abs(double(d->deliveryEta - 1010 * kSeconds) / kSeconds - 7.42) < 0.01);
        QVERIFY(d->positionDirty);
        QCOMPARE(tracker.takeDirtyPositions().size(), std::size_t(1));
        QVERIFY(tracker.takeDirtyPositions().empty());
    }

    void movedPositionsAreTakenOldestFirstInSlices()
    {
        StageTracker tracker(10);
        for (const char *id : {"a", "b", "c"})
            tracker.track(tracked(id, std::string("drone-") + id));
        for (const char *id : {"c", "a", "b", "a"}) // "a" moves twice: written once
            tracker.onTelemetry(telemetry(std::string("drone-") + id, id, FLYING_TO_PICKUP));
        QCOMPARE(tracker.dirtyBacklog(), std::size_t(3));
        auto first = tracker.takeDirtyPositions(2);
        QCOMPARE(first.size(), std::size_t(2));
        QCOMPARE(first[0].deliveryId, std::string("c"));
        QCOMPARE(first[1].deliveryId, std::string("a"));
        QVERIFY(!tracker.find("a")->positionDirty);
        tracker.untrack("b"); // gone before its turn: skipped, not written
        QVERIFY(tracker.takeDirtyPositions(2).empty());
        QCOMPARE(tracker.dirtyBacklog(), std::size_t(0));
    }

    void otherDronesAndStaleTelemetryChangeNothing()
    {
        StageTracker tracker;
        tracker.track(tracked("d", "x"));
        QVERIFY(tracker.onTelemetry(telemetry("y", "", IDLE)).changes.empty());
        // Still on its previous job when the new delivery was created: not a sign of anything.
        QVERIFY(tracker.onTelemetry(telemetry("x", "previous", RETURNING)).changes.empty());
        QCOMPARE(int(tracker.find("d")->stage), int(STAGE_CREATED));
        QVERIFY(tracker.onTelemetry(DroneTelemetry()).changes.empty());
    }

    void aDroneThatMovedOnHadDeliveredOrLetItGo()
    {
        StageTracker tracker;
        tracker.track(tracked("delivered", "x", STAGE_HEADED_TO_DROPOFF));
        tracker.track(tracked("dropped", "y", STAGE_HEADED_TO_PICKUP));
        // x took new work: it only does once home, so "delivered" was dropped off.
        auto out = tracker.onTelemetry(telemetry("x", "next-job", FLYING_TO_PICKUP));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_COMPLETED}));
        QVERIFY(!out.changes[0].reason.empty());
        // y's booking was cancelled: it flies home without it; the delivery waits, untouched.
        QVERIFY(tracker.onTelemetry(telemetry("y", "", RETURNING)).changes.empty());
        QCOMPARE(int(tracker.find("dropped")->stage), int(STAGE_HEADED_TO_PICKUP));
        QVERIFY(tracker.find("dropped")->droneId.empty());
        // Another drone picks it up: followed from there.
        out = tracker.onTelemetry(telemetry("z", "dropped", FLYING_TO_DROPOFF));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_HEADED_TO_DROPOFF}));
        QCOMPARE(out.changes[0].droneId, std::string("z"));
    }

    void unknownDeliveriesAreLookedUpOncePerDrone()
    {
        StageTracker tracker;
        QCOMPARE(tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP)).lookup, std::string("d"));
        QVERIFY(tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP)).lookup.empty());
        QCOMPARE(tracker.onTelemetry(telemetry("y", "d", FLYING_TO_PICKUP)).lookup, std::string("d"));
        QCOMPARE(tracker.onTelemetry(telemetry("x", "e", FLYING_TO_PICKUP)).lookup, std::string("e"));
        tracker.track(tracked("d", "x"));
        const auto out = tracker.onTelemetry(telemetry("x", "d", FLYING_TO_PICKUP));
        QVERIFY(out.lookup.empty());
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_HEADED_TO_PICKUP}));
    }

    void rescheduledMovesOnWithoutFillingIn()
    {
        StageTracker tracker;
        tracker.track(tracked("d", "x", STAGE_HEADED_TO_DROPOFF));
        tracker.setStage("d", STAGE_RESCHEDULED);
        const auto out = tracker.onTelemetry(telemetry("x", "d", FLYING_TO_DROPOFF));
        QCOMPARE(stagesOf(out.changes), QList<int>({STAGE_HEADED_TO_DROPOFF}));
        QCOMPARE(int(out.changes[0].previous), int(STAGE_RESCHEDULED));
    }

    void terminalStagesAreNotTracked()
    {
        StageTracker tracker;
        tracker.track(tracked("done", "x", STAGE_COMPLETED));
        tracker.track(tracked("gone", "y"));
        tracker.setStage("gone", STAGE_CANCELLED);
        QCOMPARE(tracker.size(), std::size_t(0));
        QVERIFY(tracker.onTelemetry(telemetry("y", "gone", FLYING_TO_DROPOFF)).changes.empty());
        tracker.track(tracked("d", "x"));
        tracker.untrack("d");
        QVERIFY(tracker.onTelemetry(telemetry("x", "d", RETURNING)).changes.empty());
    }
};

QTEST_GUILESS_MAIN(TestStageTracker)
#include "tst_stage_tracker.moc"
