// The Supervisor never cancels a drone whose state it cannot read: a failing Drone.Get sends the compensation for approval.
#include "BackendUnderTest.h"

#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
QByteArray name(TransactionState s) { return QByteArray::fromStdString(TransactionState_Name(s)); }
QByteArray name(CompensationState s) { return QByteArray::fromStdString(CompensationState_Name(s)); }

Location at(double latitude, double longitude)
{
    Location l;
    l.set_latitude(latitude);
    l.set_longitude(longitude);
    return l;
}

/// What the Scheduler reports when a schedule failed at its last step after booking `drone`.
FailedTransaction failedAfterBooking(const std::string &deliveryId, const std::string &drone)
{
    FailedTransaction tx;
    tx.set_transaction_id(deliveryId + "/SCHEDULE");
    tx.set_delivery_id(deliveryId);
    tx.set_operation(SCHEDULE);
    tx.set_failed_step(STEP_DELIVERY);
    tx.set_error("delivery refused");
    CompletedStep *account = tx.add_completed();
    account->set_step(STEP_ACCOUNT);
    account->set_resource_id("owner-1");
    CompletedStep *booked = tx.add_completed();
    booked->set_step(STEP_DRONE);
    booked->set_resource_id(drone);
    return tx;
}

const CompensationStep *droneStep(const FailedTransaction &tx)
{
    for (const auto &c : tx.compensations())
        if (c.step() == STEP_DRONE)
            return &c;
    return nullptr;
}
} // namespace

class TestSupervisorCompensation : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    dd::net::FaultInjector m_faults;

    static FailedTransaction transaction(BackendUnderTest &backend, const std::string &id)
    {
        TransactionIdRequest request;
        request.set_transaction_id(id);
        return backend.call<FailedTransaction>("supervisor", "Get", request).second;
    }
    static CompensationState droneStepState(BackendUnderTest &backend, const std::string &id)
    {
        const FailedTransaction tx = transaction(backend, id);
        const CompensationStep *c = droneStep(tx);
        return c ? c->state() : COMP_UNSPECIFIED;
    }
    static DroneTelemetry drone(BackendUnderTest &backend, const std::string &droneId)
    {
        DroneIdRequest request;
        request.set_drone_id(droneId);
        return backend.call<DroneTelemetry>("drone", "Get", request).second;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_faults.clear();
    }

    void anUnreadableDroneWaitsForApprovalInsteadOfBeingCancelled()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        // A real booking, so "not cancelled" is visible on the drone itself.
        DroneScheduleRequest schedule;
        schedule.set_delivery_id("d-unknown");
        *schedule.mutable_pickup() = at(47.6097, -122.3422);
        *schedule.mutable_dropoff() = at(47.6205, -122.3493);
        schedule.set_weight(1.5);
        schedule.set_size(SMALL);
        const auto [booked, reply] = backend.call<DroneScheduleReply>("drone", "Schedule", schedule);
        QVERIFY2(booked.ok(), booked.toString().c_str());
        const std::string droneId = reply.drone_id();

        m_faults.add(*dd::net::parseFaultSpec("drone.Get=transient:100"));
        const FailedTransaction reported = failedAfterBooking("d-unknown", droneId);
        QVERIFY(backend.call<FailedTransaction>("supervisor", "Report", reported).first.ok());
        QTRY_COMPARE_WITH_TIMEOUT(name(droneStepState(backend, reported.transaction_id())),
                                  name(COMP_AWAITING_APPROVAL), 20000);
        const FailedTransaction waiting = transaction(backend, reported.transaction_id());
        QCOMPARE(name(waiting.state()), name(TX_AWAITING_APPROVAL));
        const CompensationStep step = *droneStep(waiting);
        QVERIFY(step.requires_approval());
        QCOMPARE(step.attempts(), 0u); // Drone.Cancel never ran
        const std::string expected = "drone " + droneId + " state unknown: ";
        QVERIFY2(step.reason().rfind(expected, 0) == 0, step.reason().c_str());
        QVERIFY2(step.reason().find("transient: injected fault") != std::string::npos, step.reason().c_str()); // the error itself

        m_faults.clear(); // the outage ends: the booking is still there
        QCOMPARE(drone(backend, droneId).delivery_id(), std::string("d-unknown"));
        QCOMPARE(name(droneStepState(backend, reported.transaction_id())), name(COMP_AWAITING_APPROVAL));

        // A supervisor approves: only then is the drone released.
        SupervisorDecision approve;
        approve.set_transaction_id(reported.transaction_id());
        *approve.mutable_credential() = backend.credential("sam", "supervisor");
        const auto [approved, after] = backend.call<FailedTransaction>("supervisor", "Approve", approve);
        QVERIFY2(approved.ok(), approved.toString().c_str());
        QTRY_COMPARE_WITH_TIMEOUT(name(transaction(backend, reported.transaction_id()).state()), name(TX_COMPENSATED),
                                  20000);
        QCOMPARE(name(droneStepState(backend, reported.transaction_id())), name(COMP_DONE));
        QTRY_VERIFY_WITH_TIMEOUT(drone(backend, droneId).delivery_id() != "d-unknown", 10000);
    }

    void aDroneKnownToBeOnTheGroundIsCancelledAutomatically()
    {
        // The same report with Drone.Get answering: the cheap case needs nobody.
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        const FailedTransaction reported = failedAfterBooking("d-ground", "drone-0001");
        QVERIFY(backend.call<FailedTransaction>("supervisor", "Report", reported).first.ok());
        QTRY_COMPARE_WITH_TIMEOUT(name(transaction(backend, reported.transaction_id()).state()), name(TX_COMPENSATED),
                                  20000);
        const CompensationStep step = *droneStep(transaction(backend, reported.transaction_id()));
        QCOMPARE(name(step.state()), name(COMP_DONE));
        QCOMPARE(step.reason(), std::string("drone on the ground"));
        QVERIFY(!step.requires_approval());
    }
};

QTEST_GUILESS_MAIN(TestSupervisorCompensation)
#include "tst_supervisor_compensation.moc"
