// Integration tests of the whole workflow in one process: every service, real stores, real sockets.
#include "BackendUnderTest.h"

#include "net/telemetry/MetricsRegistry.h"

#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
QByteArray name(TransactionState s) { return QByteArray::fromStdString(TransactionState_Name(s)); }
QByteArray name(CompensationState s) { return QByteArray::fromStdString(CompensationState_Name(s)); }
QByteArray name(DeliveryStage s) { return QByteArray::fromStdString(DeliveryStage_Name(s)); }
SupervisorDecision decision(const BackendUnderTest &backend, const std::string &tx, const std::string &role)
{
    SupervisorDecision d;
    d.set_transaction_id(tx);
    *d.mutable_credential() = backend.credential(role == "supervisor" ? "sam" : "dana", role);
    d.set_comment("checked with the customer");
    return d;
}
} // namespace

class TestWorkflow : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    dd::net::FaultInjector m_faults;

    std::string scheduleOne(BackendUnderTest &backend, const std::string &owner, const std::string &package)
    {
        const AcceptResult accepted = backend.accept(BackendUnderTest::scheduleRequest(owner, package));
        if (accepted.kind != AcceptResult::Kind::Accepted)
            qFatal("not accepted: %s", accepted.message.c_str());
        return accepted.request.delivery_id();
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_faults.clear();
    }

    void happyPathBooksADroneAndCompletes()
    {
        BackendUnderTest backend(m_dir->path(), 20, 400, &m_faults);
        const std::string id = scheduleOne(backend, "owner-001", "pkg-happy");
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 20000);
        const Delivery created = *backend.delivery(id);
        QCOMPARE(created.owner_id(), std::string("owner-001"));
        QVERIFY(!created.drone_id().empty());
        QVERIFY(created.third_party_booking().empty());
        QCOMPARE(created.package_id(), std::string("pkg-happy"));
        QVERIFY(!created.trace_id().empty());
        // The drone flies it: the stage reaches Completed, and history has every step in order.
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.delivery(id)->stage()), name(STAGE_COMPLETED), 30000);
        HistoryRequest history;
        history.set_delivery_id(id);
        QTRY_VERIFY_WITH_TIMEOUT(backend.call<HistoryReply>("deliveryhistory", "History", history).second.events_size() >= 5,
                                 10000);
        const auto events = backend.call<HistoryReply>("deliveryhistory", "History", history).second;
        QCOMPARE(name(events.events(0).stage()), name(STAGE_REQUESTED)); // known from its acceptance on
        QCOMPARE(name(events.events(1).stage()), name(STAGE_CREATED));
        QVERIFY(events.events(1).pickup_eta_us() > 0); // the booking's ETAs travel with the event
        QCOMPARE(name(events.events(events.events_size() - 1).stage()), name(STAGE_COMPLETED));
        QVERIFY(backend.transactions().empty());
    }

    void transientFaultsAreRetriedAway()
    {
        BackendUnderTest backend(m_dir->path(), 20, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("package.Create=transient:50"));
        const auto retriesBefore = dd::net::MetricsRegistry::global().route("scheduler", "package").retries();
        std::vector<std::string> ids;
        for (int i = 0; i < 10; ++i)
            ids.push_back(scheduleOne(backend, "owner-00" + std::to_string(1 + i % 5), "pkg-t" + std::to_string(i)));
        for (const auto &id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 30000);
        QVERIFY(dd::net::MetricsRegistry::global().route("scheduler", "package").retries() > retriesBefore);
        QVERIFY(backend.transactions().empty());
    }

    void suspendedAccountFailsWithNothingToUndo()
    {
        BackendUnderTest backend(m_dir->path(), 20, 1, &m_faults);
        const std::string id = scheduleOne(backend, "owner-007", "pkg-suspended");
        QTRY_VERIFY_WITH_TIMEOUT(backend.transactionFor(id).has_value(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.transactionFor(id)->state()), name(TX_COMPENSATED), 10000);
        const FailedTransaction tx = *backend.transactionFor(id);
        QCOMPARE(int(tx.failed_step()), int(STEP_ACCOUNT));
        QVERIFY(tx.error().find("suspended") != std::string::npos);
        // The delivery says it failed, where and why, and which transaction to look at.
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.delivery(id)->stage()), name(STAGE_FAILED), 10000);
        const Delivery failed = *backend.delivery(id);
        QCOMPARE(failed.failure().step(), std::string("account"));
        QCOMPARE(failed.failure().transaction_id(), tx.transaction_id());
        QVERIFY(failed.failure().error().find("suspended") != std::string::npos);
    }

    void paidBookingWaitsForASupervisorsApproval()
    {
        // No drones: the carrier takes it (a paid booking), then Delivery fails for good.
        BackendUnderTest backend(m_dir->path(), 0, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("delivery.Create=fatal:100"));
        const std::string id = scheduleOne(backend, "owner-002", "pkg-approve");
        QTRY_VERIFY_WITH_TIMEOUT(backend.transactionFor(id).has_value(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.transactionFor(id)->state()), name(TX_AWAITING_APPROVAL), 10000);
        FailedTransaction tx = *backend.transactionFor(id);
        QCOMPARE(int(tx.failed_step()), int(STEP_DELIVERY));
        QCOMPARE(tx.compensations_size(), 3); // third party, package, (account: skipped)
        QCOMPARE(int(tx.compensations(0).step()), int(STEP_THIRD_PARTY));
        QCOMPARE(name(tx.compensations(0).state()), name(COMP_AWAITING_APPROVAL));
        // Nothing after the costly step ran before the decision.
        QCOMPARE(name(tx.compensations(1).state()), name(COMP_PENDING));

        // A dispatcher may not decide; the backend refuses it, not only the console.
        auto [denied, ignored] = backend.call<FailedTransaction>("supervisor", "Approve",
                                                                 decision(backend, tx.transaction_id(), "dispatcher"));
        QCOMPARE(int(denied.code), int(PERMISSION_DENIED));
        auto [approved, after] = backend.call<FailedTransaction>("supervisor", "Approve",
                                                                 decision(backend, tx.transaction_id(), "supervisor"));
        QVERIFY2(approved.ok(), approved.toString().c_str());
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.transactionFor(id)->state()), name(TX_COMPENSATED), 10000);
        PackageIdRequest package;
        package.set_package_id("pkg-approve");
        QCOMPARE(int(backend.call<Package>("package", "Get", package).first.code), int(NOT_FOUND));
        ThirdPartyCancelRequest cancel;
        cancel.set_delivery_id(id);
        const auto booking = backend.call<ThirdPartyCancelReply>("thirdparty", "Cancel", cancel).second;
        QVERIFY(booking.refunded());

        AuditRequest audit;
        audit.set_transaction_id(tx.transaction_id());
        const auto log = backend.call<AuditList>("supervisor", "Audit", audit).second;
        QCOMPARE(log.entries_size(), 2);
        QCOMPARE(log.entries(0).user(), std::string("sam")); // newest first
        QCOMPARE(log.entries(0).outcome(), std::string("ok"));
        QVERIFY(log.entries(1).outcome().find("denied") != std::string::npos);
    }

    void rejectedCompensationIsKeptOnRecord()
    {
        BackendUnderTest backend(m_dir->path(), 0, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("delivery.Create=fatal:100"));
        const std::string id = scheduleOne(backend, "owner-003", "pkg-reject");
        QTRY_COMPARE_WITH_TIMEOUT(backend.transactionFor(id) ? name(backend.transactionFor(id)->state()) : QByteArray(),
                                  name(TX_AWAITING_APPROVAL), 20000);
        const auto txId = backend.transactionFor(id)->transaction_id();
        QVERIFY(backend.call<FailedTransaction>("supervisor", "Reject", decision(backend, txId, "supervisor")).first.ok());
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.transactionFor(id)->state()), name(TX_REJECTED), 10000);
        const FailedTransaction tx = *backend.transactionFor(id);
        QCOMPARE(name(tx.compensations(0).state()), name(COMP_REJECTED));
        QCOMPARE(name(tx.compensations(1).state()), name(COMP_DONE)); // the package is still released
        // A second decision has nothing left to decide.
        QCOMPARE(int(backend.call<FailedTransaction>("supervisor", "Approve", decision(backend, txId, "admin")).first.code),
                 int(CONFLICT));
    }

    void rescheduleAndCancelRunThroughTheSameMachinery()
    {
        BackendUnderTest backend(m_dir->path(), 20, 1, &m_faults);
        const std::string id = scheduleOne(backend, "owner-004", "pkg-resched");
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 20000);
        DeliveryRequest reschedule;
        reschedule.set_operation(RESCHEDULE);
        reschedule.set_delivery_id(id);
        reschedule.set_dropoff_location("47.6300,-122.3000");
        QVERIFY(backend.accept(reschedule).ok());
        // The stage moves on as the drone flies; the history keeps the Rescheduled step.
        HistoryRequest history;
        history.set_delivery_id(id);
        auto rescheduled = [&] {
            const HistoryReply reply = backend.call<HistoryReply>("deliveryhistory", "History", history).second;
            for (const auto &event : reply.events())
                if (event.stage() == STAGE_RESCHEDULED)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rescheduled(), 20000);
        QCOMPARE(backend.delivery(id)->dropoff_location(), std::string("47.6300,-122.3000"));
        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        cancel.set_delivery_id(id);
        QVERIFY(backend.accept(cancel).ok());
        QTRY_COMPARE_WITH_TIMEOUT(name(backend.delivery(id)->stage()), name(STAGE_CANCELLED), 20000);
        // The drone was released by the cancel workflow.
        DroneIdRequest drone;
        drone.set_drone_id(backend.delivery(id)->drone_id());
        QTRY_VERIFY_WITH_TIMEOUT(backend.call<DroneTelemetry>("drone", "Get", drone).second.delivery_id() != id, 20000);
        QVERIFY(backend.transactions().empty());
    }

    void cancelOrRescheduleOfAnUnknownDeliveryIsRefusedAtOnce()
    {
        BackendUnderTest backend(m_dir->path(), 5, 1, &m_faults);
        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        cancel.set_delivery_id("d-doesnotexist");
        const AcceptResult refused = backend.accept(cancel);
        QCOMPARE(int(refused.kind), int(AcceptResult::Kind::NotFound));
        QVERIFY(refused.message.find("d-doesnotexist") != std::string::npos);
        DeliveryRequest reschedule = cancel;
        reschedule.set_operation(RESCHEDULE);
        reschedule.set_dropoff_location("47.6205,-122.3493");
        QCOMPARE(int(backend.accept(reschedule).kind), int(AcceptResult::Kind::NotFound));
        // Nothing was accepted, so nothing failed.
        QVERIFY(backend.transactions().empty());
    }

    void idempotencyKeyReplayCreatesOneDelivery()
    {
        BackendUnderTest backend(m_dir->path(), 20, 1, &m_faults);
        const auto request = BackendUnderTest::scheduleRequest("owner-005", "pkg-once");
        const AcceptResult first = backend.accept(request, "key-123");
        const AcceptResult second = backend.accept(request, "key-123");
        QCOMPARE(int(first.kind), int(AcceptResult::Kind::Accepted));
        QCOMPARE(int(second.kind), int(AcceptResult::Kind::Replayed));
        QCOMPARE(second.request.delivery_id(), first.request.delivery_id());
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(first.request.delivery_id()), 20000);
        DeliveryListRequest list;
        list.set_owner_id("owner-005");
        QCOMPARE(backend.call<DeliveryList>("delivery", "List", list).second.deliveries_size(), 1);
    }

    void restartedHostResumesInFlightWorkflows()
    {
        std::vector<std::string> ids;
        {
            // Delivery never answers: every workflow books its drone, then waits at the last step.
            BackendUnderTest backend(m_dir->path(), 20, 1, &m_faults);
            m_faults.add(*dd::net::parseFaultSpec("delivery.Create=crash:100"));
            for (int i = 0; i < 5; ++i)
                ids.push_back(scheduleOne(backend, "owner-02" + std::to_string(i), "pkg-r" + std::to_string(i)));
            DroneListRequest drones;
            drones.set_limit(1000);
            auto busy = [&] {
                int n = 0;
                const DroneList list = backend.call<DroneList>("drone", "List", drones).second;
                for (const auto &d : list.drones())
                    n += d.delivery_id().empty() ? 0 : 1;
                return n;
            };
            QTRY_COMPARE_WITH_TIMEOUT(busy(), 5, 20000);
            backend.stop(); // as a crash would: mid-workflow
        }
        m_faults.clear();
        BackendUnderTest restarted(m_dir->path(), 20, 1, &m_faults);
        for (const auto &id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(restarted.placed(id), 30000);
        // The replayed Drone.Schedule calls booked nothing twice.
        DroneListRequest drones;
        drones.set_limit(1000);
        std::map<std::string, std::vector<std::string>> dronesPerDelivery;
        const DroneList list = restarted.call<DroneList>("drone", "List", drones).second;
        for (const auto &d : list.drones())
            if (!d.delivery_id().empty())
                dronesPerDelivery[d.delivery_id()].push_back(d.drone_id());
        QCOMPARE(dronesPerDelivery.size(), size_t(5));
        for (const auto &id : ids) {
            QCOMPARE(dronesPerDelivery[id].size(), size_t(1));
            QCOMPARE(restarted.delivery(id)->drone_id(), dronesPerDelivery[id].front());
        }
        QVERIFY(restarted.transactions().empty());
    }
};

QTEST_GUILESS_MAIN(TestWorkflow)
#include "tst_workflow.moc"
