// Integration tests: every accepted request reaches a true outcome (accounts, failures, outages, stage rules).
#include "BackendUnderTest.h"

#include "backend/scheduler/SchedulerService.h"

#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
QByteArray name(DeliveryStage s) { return QByteArray::fromStdString(DeliveryStage_Name(s)); }
QByteArray stageOf(BackendUnderTest &backend, const std::string &id)
{
    const auto delivery = backend.delivery(id);
    return delivery ? name(delivery->stage()) : QByteArray("(none)");
}
} // namespace

class TestWorkflowOutcomes : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    dd::net::FaultInjector m_faults;

    static std::string scheduleOne(BackendUnderTest &backend, const std::string &owner, const std::string &package)
    {
        const AcceptResult accepted = backend.accept(BackendUnderTest::scheduleRequest(owner, package));
        if (accepted.kind != AcceptResult::Kind::Accepted)
            qFatal("not accepted: %s", accepted.message.c_str());
        return accepted.request.delivery_id();
    }
    static WorkflowStatus workflowOf(BackendUnderTest &backend, const std::string &id)
    {
        WorkflowLookup lookup;
        lookup.set_delivery_id(id);
        return backend.call<WorkflowStatus>("scheduler", "Find", lookup).second;
    }
    static std::vector<DeliveryEvent> history(BackendUnderTest &backend, const std::string &id)
    {
        HistoryRequest request;
        request.set_delivery_id(id);
        const HistoryReply reply = backend.call<HistoryReply>("deliveryhistory", "History", request).second;
        return {reply.events().begin(), reply.events().end()};
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_faults.clear();
    }

    void unknownOwnerIsRegisteredOnFirstUse()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        const std::string id = scheduleOne(backend, "myowner", "mypackage"); // the reference's own payload
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 20000);
        AccountCheckRequest get;
        get.set_owner_id("myowner");
        const auto [status, account] = backend.call<Account>("account", "Get", get);
        QVERIFY2(status.ok(), status.toString().c_str());
        QVERIFY(account.active());
        QVERIFY(account.registered_on_first_use());
        QCOMPARE(account.changes_size(), 1);
        QCOMPARE(account.changes(0).action(), std::string("registered"));
        QVERIFY(backend.transactions().empty());
    }

    void strictAccountsFailAnUnknownOwner()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults,
                                 [](ServiceContext &context) { context.strictAccounts = true; });
        const std::string id = scheduleOne(backend, "stranger", "pkg-strict");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_FAILED), 20000);
        QCOMPARE(backend.delivery(id)->failure().step(), std::string("account"));
        QVERIFY(backend.delivery(id)->failure().error().find("does not exist") != std::string::npos);
        AccountCheckRequest get;
        get.set_owner_id("stranger");
        QCOMPARE(int(backend.call<Account>("account", "Get", get).first.code), int(NOT_FOUND));
    }

    void suspendAndReinstateAreLoggedWithWhoAndWhy()
    {
        BackendUnderTest backend(m_dir->path(), 0, 1, &m_faults);
        AccountStatusRequest suspend;
        suspend.set_owner_id("owner-001");
        suspend.set_active(false);
        suspend.set_reason("chargeback");
        *suspend.mutable_credential() = backend.credential("dana", "dispatcher");
        QCOMPARE(int(backend.call<Account>("account", "SetStatus", suspend).first.code), int(PERMISSION_DENIED));
        *suspend.mutable_credential() = backend.credential("sam", "supervisor");
        const auto [suspended, account] = backend.call<Account>("account", "SetStatus", suspend);
        QVERIFY2(suspended.ok(), suspended.toString().c_str());
        QVERIFY(!account.active());
        const std::string id = scheduleOne(backend, "owner-001", "pkg-suspended-now");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_FAILED), 20000);
        QVERIFY(backend.delivery(id)->failure().error().find("chargeback") != std::string::npos);
        AccountStatusRequest reinstate = suspend;
        reinstate.set_active(true);
        reinstate.set_reason("paid");
        QVERIFY(backend.call<Account>("account", "SetStatus", reinstate).first.ok());
        AccountCheckRequest get;
        get.set_owner_id("owner-001");
        const Account after = backend.call<Account>("account", "Get", get).second;
        QVERIFY(after.active());
        QCOMPARE(after.changes_size(), 2);
        QCOMPARE(after.changes(0).action(), std::string("reinstate")); // newest first
        QCOMPARE(after.changes(1).user(), std::string("sam"));
        QCOMPARE(after.changes(1).reason(), std::string("chargeback"));
    }

    void failedScheduleIsListedAsFailedWithItsTransaction()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("package.Create=fatal:100"));
        const std::string id = scheduleOne(backend, "owner-002", "pkg-fails");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_FAILED), 20000);
        const Delivery failed = *backend.delivery(id);
        QCOMPARE(failed.failure().step(), std::string("package"));
        QCOMPARE(int(failed.failure().operation()), int(SCHEDULE));
        QTRY_VERIFY_WITH_TIMEOUT(backend.transactionFor(id).has_value(), 10000);
        QCOMPARE(failed.failure().transaction_id(), backend.transactionFor(id)->transaction_id());
        TransactionIdRequest get;
        get.set_transaction_id(failed.failure().transaction_id());
        QCOMPARE(backend.call<FailedTransaction>("supervisor", "Get", get).second.delivery_id(), id);
        DeliveryListRequest list;
        list.set_stage(STAGE_FAILED);
        const DeliveryList page = backend.call<DeliveryList>("delivery", "List", list).second;
        QCOMPARE(page.total(), std::uint64_t(1));
        QCOMPARE(page.deliveries(0).delivery_id(), id);
        const auto events = history(backend, id);
        QVERIFY(events.size() >= 2);
        QCOMPARE(name(events.back().stage()), name(STAGE_FAILED));
        QCOMPARE(events.back().failure().transaction_id(), failed.failure().transaction_id());
    }

    void transientOutageWaitsInsteadOfFailing()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("account.Check=transient:100"));
        const std::string id = scheduleOne(backend, "owner-003", "pkg-outage");
        // Past the calls' own retries, the workflow waits and says why.
        QTRY_VERIFY_WITH_TIMEOUT(workflowOf(backend, id).waiting().find("account check") != std::string::npos, 20000);
        auto *scheduler = backend.host().get<SchedulerService>("scheduler");
        QTRY_VERIFY_WITH_TIMEOUT(scheduler->counters().waits.load() >= 3, 20000); // several rounds, each retried
        QCOMPARE(stageOf(backend, id), name(STAGE_REQUESTED));
        QVERIFY(backend.transactions().empty());
        m_faults.clear(); // the outage ends
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 40000);
        QVERIFY(backend.transactions().empty());
        QVERIFY(workflowOf(backend, id).waiting().empty());
    }

    void retryWindowSpentFailsTheWorkflow()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults, [](ServiceContext &context) {
            context.workflowRetryWindow = 1 * dd::net::kSeconds;
        });
        m_faults.add(*dd::net::parseFaultSpec("account.Check=transient:100"));
        const std::string id = scheduleOne(backend, "owner-004", "pkg-window");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_FAILED), 30000);
        QVERIFY(backend.delivery(id)->failure().error().find("retry window") != std::string::npos);
    }

    void failedRescheduleLeavesTheDeliveryAsItWas()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        const std::string id = scheduleOne(backend, "owner-005", "pkg-keep");
        QTRY_VERIFY_WITH_TIMEOUT(backend.placed(id), 20000);
        const Delivery before = *backend.delivery(id);
        m_faults.add(*dd::net::parseFaultSpec("delivery.Reschedule=fatal:100"));
        DeliveryRequest reschedule;
        reschedule.set_operation(RESCHEDULE);
        reschedule.set_delivery_id(id);
        reschedule.set_dropoff_location("47.6300,-122.3000");
        QVERIFY(backend.accept(reschedule).ok());
        auto failureInHistory = [&] {
            for (const auto &event : history(backend, id))
                if (event.failure().operation() == RESCHEDULE && !event.failure().transaction_id().empty())
                    return event;
            return DeliveryEvent();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!failureInHistory().delivery_id().empty(), 20000);
        const DeliveryEvent event = failureInHistory();
        QCOMPARE(name(event.stage()), name(event.previous())); // the stage did not change
        const Delivery after = *backend.delivery(id);
        QCOMPARE(after.dropoff_location(), before.dropoff_location());
        QVERIFY(after.stage() != STAGE_FAILED);
    }

    void cancelOfACompletedDeliveryIsAConflict()
    {
        BackendUnderTest backend(m_dir->path(), 10, 400, &m_faults);
        const std::string id = scheduleOne(backend, "owner-006", "pkg-done");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_COMPLETED), 30000);
        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        cancel.set_delivery_id(id);
        const AcceptResult refused = backend.accept(cancel);
        QCOMPARE(int(refused.kind), int(AcceptResult::Kind::Conflict));
        QVERIFY(refused.message.find("completed") != std::string::npos);
        QVERIFY(backend.transactions().empty());
    }

    void cancelWhileRequestedStopsThePlacement()
    {
        BackendUnderTest backend(m_dir->path(), 10, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("drone.Schedule=delay:100:1500"));
        const std::string id = scheduleOne(backend, "owner-008", "pkg-early-cancel");
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_REQUESTED), 10000);
        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        cancel.set_delivery_id(id);
        QVERIFY(backend.accept(cancel).ok());
        QTRY_COMPARE_WITH_TIMEOUT(stageOf(backend, id), name(STAGE_CANCELLED), 20000);
        // The schedule's workflow then finds it cancelled and fails at its last step: the
        // Supervisor undoes what it booked (the drone, the package).
        QTRY_VERIFY_WITH_TIMEOUT(backend.transactionFor(id).has_value(), 20000);
        const FailedTransaction tx = *backend.transactionFor(id);
        QCOMPARE(int(tx.failed_step()), int(STEP_DELIVERY));
        QVERIFY2(tx.error().find("cancelled") != std::string::npos, tx.error().c_str());
        bool undoesDrone = false;
        for (const auto &step : tx.compensations())
            undoesDrone = undoesDrone || step.step() == STEP_DRONE;
        QVERIFY(undoesDrone);
        QCOMPARE(stageOf(backend, id), name(STAGE_CANCELLED)); // the later failure does not overwrite it
    }
};

QTEST_GUILESS_MAIN(TestWorkflowOutcomes)
#include "tst_workflow_outcomes.moc"
