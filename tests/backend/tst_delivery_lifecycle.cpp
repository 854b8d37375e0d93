// Unit tests of the delivery stage machine: Register, Create, Cancel, reschedule rules and recorded failures.
#include "backend/delivery/DeliveryLifecycle.h"

#include <QtTest>

using namespace dd::backend::delivery;
using namespace dronedelivery::v1;

namespace {
using TKind = Transition::Kind;
int code(TKind kind) { return static_cast<int>(kind); }
constexpr dd::net::Micros kNow = 1'800'000'000'000'000;

Delivery asked(const std::string &id = "d-1")
{
    Delivery d;
    d.set_delivery_id(id);
    d.set_owner_id("owner-001");
    d.mutable_pickup()->set_latitude(47.6097);
    d.mutable_pickup()->set_longitude(-122.3422);
    d.mutable_dropoff()->set_latitude(47.6205);
    d.mutable_dropoff()->set_longitude(-122.3493);
    return d;
}
Delivery stored(DeliveryStage stage)
{
    Delivery d = asked();
    d.set_stage(stage);
    d.set_created_at_us(kNow - 1000);
    return d;
}
DeliveryFailureRequest failure(RequestOperation operation, const std::string &tx = "d-1:schedule:1")
{
    DeliveryFailureRequest request;
    request.set_delivery_id("d-1");
    request.mutable_failure()->set_step("package");
    request.mutable_failure()->set_error("package create failed: FATAL");
    request.mutable_failure()->set_transaction_id(tx);
    request.mutable_failure()->set_operation(operation);
    *request.mutable_requested() = asked();
    return request;
}
} // namespace

class TestDeliveryLifecycle : public QObject
{
    Q_OBJECT
private slots:
    void registerMakesARequestedDeliveryOnce()
    {
        const Transition first = onRegister(std::nullopt, asked(), kNow);
        QCOMPARE(int(first.kind), code(TKind::Write));
        QCOMPARE(int(first.delivery.stage()), int(STAGE_REQUESTED));
        QCOMPARE(first.delivery.created_at_us(), kNow);
        QCOMPARE(int(first.previous), int(STAGE_UNSPECIFIED));
        // Again (a retried call), or once it has moved on: nothing changes.
        QCOMPARE(int(onRegister(first.delivery, asked(), kNow + 5).kind), code(TKind::Replay));
        QCOMPARE(int(onRegister(stored(STAGE_HEADED_TO_PICKUP), asked(), kNow).kind), code(TKind::Replay));
    }

    void registerAfterAFailureIsASupervisorsRetry()
    {
        Delivery failed = stored(STAGE_FAILED);
        failed.mutable_failure()->set_transaction_id("d-1:schedule:1");
        const Transition retried = onRegister(failed, asked(), kNow);
        QCOMPARE(int(retried.kind), code(TKind::Write));
        QCOMPARE(int(retried.delivery.stage()), int(STAGE_REQUESTED));
        QVERIFY(!retried.delivery.has_failure());
        QCOMPARE(retried.delivery.created_at_us(), kNow - 1000); // still the same delivery
    }

    void createPlacesARequestedDelivery()
    {
        Delivery booked = asked();
        booked.set_drone_id("drone-0042");
        booked.set_pickup_eta_us(kNow + 60'000'000);
        const Transition created = onCreate(stored(STAGE_REQUESTED), booked, kNow);
        QCOMPARE(int(created.kind), code(TKind::Write));
        QCOMPARE(int(created.delivery.stage()), int(STAGE_CREATED));
        QCOMPARE(int(created.previous), int(STAGE_REQUESTED));
        QCOMPARE(created.delivery.drone_id(), std::string("drone-0042"));
        QCOMPARE(created.delivery.created_at_us(), kNow - 1000);
        QCOMPARE(int(onCreate(stored(STAGE_CREATED), booked, kNow).kind), code(TKind::Replay));
        // Cancelled while it was being placed: the placement is refused, so its workflow undoes its bookings.
        const Transition late = onCreate(stored(STAGE_CANCELLED), booked, kNow);
        QCOMPARE(int(late.kind), code(TKind::Refuse));
        QCOMPARE(int(late.code), int(CONFLICT));
    }

    void cancelFollowsTheStage()
    {
        QCOMPARE(int(onCancel(std::nullopt, "d-9", kNow).code), int(NOT_FOUND));
        QCOMPARE(int(onCancel(stored(STAGE_COMPLETED), "d-1", kNow).code), int(CONFLICT));
        QCOMPARE(int(onCancel(stored(STAGE_FAILED), "d-1", kNow).code), int(CONFLICT));
        QCOMPARE(int(onCancel(stored(STAGE_CANCELLED), "d-1", kNow).kind), code(TKind::Replay));
        for (DeliveryStage live : {STAGE_REQUESTED, STAGE_CREATED, STAGE_HEADED_TO_PICKUP, STAGE_RESCHEDULED}) {
            const Transition t = onCancel(stored(live), "d-1", kNow);
            QCOMPARE(int(t.kind), code(TKind::Write));
            QCOMPARE(int(t.delivery.stage()), int(STAGE_CANCELLED));
            QCOMPARE(int(t.previous), int(live));
        }
    }

    void rescheduleNeedsAPlacedLiveDelivery()
    {
        QCOMPARE(int(refuseReschedule(std::nullopt, "d-9")->code), int(NOT_FOUND));
        for (DeliveryStage closed : {STAGE_COMPLETED, STAGE_CANCELLED, STAGE_FAILED, STAGE_REQUESTED})
            QCOMPARE(int(refuseReschedule(stored(closed), "d-1")->code), int(CONFLICT));
        for (DeliveryStage live : {STAGE_CREATED, STAGE_HEADED_TO_PICKUP, STAGE_HEADED_TO_DROPOFF, STAGE_RESCHEDULED})
            QVERIFY(!refuseReschedule(stored(live), "d-1"));
    }

    void aFailedScheduleTurnsTheDeliveryFailed()
    {
        const Transition t = onFailure(stored(STAGE_REQUESTED), failure(SCHEDULE), kNow);
        QCOMPARE(int(t.kind), code(TKind::Write));
        QCOMPARE(int(t.delivery.stage()), int(STAGE_FAILED));
        QCOMPARE(t.delivery.failure().transaction_id(), std::string("d-1:schedule:1"));
        QCOMPARE(t.delivery.failure().step(), std::string("package"));
        // Recorded already: nothing more.
        QCOMPARE(int(onFailure(t.delivery, failure(SCHEDULE), kNow).kind), code(TKind::Replay));
        // Never registered (it failed at its first step): it is known from now on, as Failed.
        const Transition unseen = onFailure(std::nullopt, failure(SCHEDULE), kNow);
        QCOMPARE(int(unseen.kind), code(TKind::Write));
        QCOMPARE(int(unseen.delivery.stage()), int(STAGE_FAILED));
        QCOMPARE(unseen.delivery.owner_id(), std::string("owner-001"));
    }

    void aFailedRescheduleOrCancelOnlyAddsHistory()
    {
        for (RequestOperation op : {RESCHEDULE, CANCEL}) {
            const Transition t = onFailure(stored(STAGE_HEADED_TO_PICKUP), failure(op, "d-1:x:2"), kNow);
            QCOMPARE(int(t.kind), code(TKind::Event));
            QCOMPARE(int(t.delivery.stage()), int(STAGE_HEADED_TO_PICKUP));
            QCOMPARE(int(t.previous), int(STAGE_HEADED_TO_PICKUP));
            QCOMPARE(int(onFailure(std::nullopt, failure(op, "d-1:x:2"), kNow).code), int(NOT_FOUND));
        }
        // A schedule's failure that arrives after a cancel does not turn Cancelled into Failed.
        QCOMPARE(int(onFailure(stored(STAGE_CANCELLED), failure(SCHEDULE), kNow).kind), code(TKind::Event));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryLifecycle)
#include "tst_delivery_lifecycle.moc"
