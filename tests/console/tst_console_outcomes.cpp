// Tests how an accepted request's outcome is found: SubmissionTracker on the real models, and the rows events fill.
#include "bridge/SubmissionTracker.h"
#include "models/DeliveryFilterModel.h"
#include "models/DeliveryListModel.h"
#include "models/TransactionListModel.h"

#include "domain.pb.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QtTest>

using namespace dd::console;
using namespace dronedelivery::v1;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000; // ms; any fixed instant

DeliveryStageUpdate statusEvent(const QString &id, int stage, qint64 at, const QString &droneId = {})
{
    DeliveryStageUpdate e;
    e.deliveryId = id;
    e.stage = stage;
    e.at = at;
    e.droneId = droneId;
    return e;
}

FailureRecord failure(int operation, const QString &step, const QString &error, const QString &tx)
{
    return FailureRecord {operation, step, error, tx, kT0};
}

DeliveryRecord row(const QString &id, int stage, qint64 updatedAt)
{
    DeliveryRecord d;
    d.deliveryId = id;
    d.ownerId = QStringLiteral("owner-001");
    d.stage = stage;
    d.createdAt = kT0;
    d.updatedAt = updatedAt;
    return d;
}

QString hhmm(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm"));
}

} // namespace

class TestConsoleOutcomes : public QObject
{
    Q_OBJECT

    DeliveryListModel *m_deliveries = nullptr;
    TransactionListModel *m_transactions = nullptr;
    SubmissionTracker *m_tracker = nullptr;
    QStringList m_lookups;

    /// The outcomes so far as (state, message, transactionId) of `id`.
    static QList<QStringList> outcomesOf(const QSignalSpy &spy, const QString &id)
    {
        QList<QStringList> out;
        for (const QList<QVariant> &args : spy)
            if (args.at(1).toString() == id)
                out.append({args.at(2).toString(), args.at(3).toString(), args.at(4).toString()});
        return out;
    }

private slots:
    void init()
    {
        m_deliveries = new DeliveryListModel(this);
        m_transactions = new TransactionListModel(this);
        m_lookups.clear();
        SubmissionTracker::Options options;
        options.checkAfterMs = 60;
        m_tracker = new SubmissionTracker(
            *m_deliveries, *m_transactions, [this](const QString &id) { m_lookups.append(id); }, options, this);
    }
    void cleanup()
    {
        delete m_tracker;
        delete m_deliveries;
        delete m_transactions;
    }

    void aScheduleIsPendingUntilItsDroneIsKnown()
    {
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-1"));
        m_tracker->observe({statusEvent("d-1", STAGE_REQUESTED, kT0)});
        QCOMPARE(outcomes.count(), 0);
        QVERIFY(m_tracker->isPending("d-1"));

        DeliveryStageUpdate created = statusEvent("d-1", STAGE_CREATED, kT0 + 50, QStringLiteral("drone-0042"));
        created.pickupEta = kT0 + 10 * 60000;
        m_tracker->observe({created});
        const auto got = outcomesOf(outcomes, "d-1");
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0][0], QString("ok"));
        QCOMPARE(got[0][1], QStringLiteral("Scheduled on drone-0042 · pickup ETA %1").arg(hhmm(created.pickupEta)));
        QVERIFY(!m_tracker->isPending("d-1"));
        m_tracker->observe({statusEvent("d-1", STAGE_HEADED_TO_PICKUP, kT0 + 90, QStringLiteral("drone-0042"))});
        QCOMPARE(outcomes.count(), 1); // said once
    }

    void aThirdPartyBookingIsReportedOnceTheRowHasIt()
    {
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-2"));
        m_tracker->observe({statusEvent("d-2", STAGE_CREATED, kT0)}); // no drone: a carrier's
        QCOMPARE(outcomes.count(), 0);
        DeliveryRecord booked = row("d-2", STAGE_CREATED, kT0);
        booked.thirdPartyBooking = QStringLiteral("tp-3");
        m_deliveries->apply({booked});
        m_tracker->observe({});
        const auto got = outcomesOf(outcomes, "d-2");
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0], (QStringList {"ok", "Booked with third-party carrier (booking tp-3)", ""}));
    }

    void aFailedScheduleSaysWhereWithItsTransaction()
    {
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-3"));
        DeliveryStageUpdate failed = statusEvent("d-3", STAGE_FAILED, kT0);
        failed.failure = failure(SCHEDULE, "package", "package pkg-1 already exists", "d-3:schedule:4");
        m_tracker->observe({failed});
        QCOMPARE(outcomesOf(outcomes, "d-3"),
            (QList<QStringList> {{"error", "Failed at Package: package pkg-1 already exists", "d-3:schedule:4"}}));
    }

    void aFailureKnownOnlyToTheSupervisorCountsToo()
    {
        // A workflow that failed before the Delivery service had the id: only its transaction says so.
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-4"));
        TransactionRecord tx;
        tx.transactionId = QStringLiteral("d-4:schedule:9");
        tx.deliveryId = QStringLiteral("d-4");
        tx.operation = QStringLiteral("Schedule");
        tx.failedStep = QStringLiteral("ThirdParty");
        tx.error = QStringLiteral("no carrier takes 60 kg");
        m_transactions->apply({tx});
        m_tracker->observe({});
        QCOMPARE(outcomesOf(outcomes, "d-4"),
            (QList<QStringList> {{"error", "Failed at ThirdParty: no carrier takes 60 kg", "d-4:schedule:9"}}));
    }

    void aFailedRescheduleLeavesTheStageAndAnOlderFailureIsNotIt()
    {
        m_deliveries->apply({row("d-5", STAGE_HEADED_TO_DROPOFF, kT0)});
        TransactionRecord old;
        old.transactionId = QStringLiteral("d-5:reschedule:1");
        old.deliveryId = QStringLiteral("d-5");
        old.operation = QStringLiteral("Reschedule");
        old.error = QStringLiteral("an earlier one");
        m_transactions->apply({old});

        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("reschedule"), QStringLiteral("d-5"));
        m_tracker->observe({});
        QCOMPARE(outcomes.count(), 0); // the earlier failed reschedule is not this one

        DeliveryStageUpdate unchanged = statusEvent("d-5", STAGE_HEADED_TO_DROPOFF, kT0 + 10);
        unchanged.failure
            = failure(RESCHEDULE, "drone", "drone-0007 cannot reach the new drop-off", "d-5:reschedule:2");
        m_deliveries->applyStageUpdates({unchanged}); // as the bridge does: the models first
        m_tracker->observe({unchanged});
        QCOMPARE(outcomesOf(outcomes, "d-5"),
            (QList<QStringList> {
                {"error", "Reschedule failed: drone-0007 cannot reach the new drop-off", "d-5:reschedule:2"}}));
        // The row keeps its stage and records the failure.
        QCOMPARE(m_deliveries->find("d-5")->stage, int(STAGE_HEADED_TO_DROPOFF));
        QCOMPARE(m_deliveries->find("d-5")->failure.transactionId, QString("d-5:reschedule:2"));
    }

    void aRescheduleAndACancelSucceedOnTheirStage()
    {
        m_deliveries->apply({row("d-6", STAGE_HEADED_TO_PICKUP, kT0)});
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("reschedule"), QStringLiteral("d-6"));
        DeliveryStageUpdate rescheduled = statusEvent("d-6", STAGE_RESCHEDULED, kT0 + 10);
        rescheduled.deliveryEta = kT0 + 20 * 60000;
        m_tracker->observe({rescheduled});
        m_tracker->track(QStringLiteral("cancel"), QStringLiteral("d-6"));
        m_tracker->observe({statusEvent("d-6", STAGE_CANCELLED, kT0 + 20)});
        QCOMPARE(outcomesOf(outcomes, "d-6"),
            (QList<QStringList> {
                {"ok", QStringLiteral("Rescheduled d-6 · delivery ETA %1").arg(hhmm(rescheduled.deliveryEta)), ""},
                {"ok", "Cancelled d-6", ""}}));
    }

    void eventsThatOutranTheAcceptAnswerStillCount()
    {
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->observe({statusEvent("d-7", STAGE_CREATED, kT0, QStringLiteral("drone-0001"))});
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-7"));
        QCOMPARE(outcomesOf(outcomes, "d-7").size(), 1);
        QCOMPARE(outcomesOf(outcomes, "d-7")[0][1], QString("Scheduled on drone-0001"));
    }

    void noOutcomeForAWhileAsksTheDeliveryAndSaysWhyItWaits()
    {
        QSignalSpy outcomes(m_tracker, &SubmissionTracker::outcome);
        m_tracker->track(QStringLiteral("schedule"), QStringLiteral("d-8"));
        QTRY_COMPARE_WITH_TIMEOUT(m_lookups, QStringList {"d-8"}, 2000);
        DeliveryRecord waiting = row("d-8", STAGE_REQUESTED, kT0);
        waiting.waiting = QStringLiteral("account service unavailable, retrying");
        m_tracker->lookedUp(QStringLiteral("d-8"), true, waiting, {});
        QCOMPARE(outcomesOf(outcomes, "d-8"),
            (QList<QStringList> {{"pending", "Waiting: account service unavailable, retrying", ""}}));
        QVERIFY(m_tracker->isPending("d-8")); // still followed: it asks again
        QTRY_VERIFY_WITH_TIMEOUT(m_lookups.size() >= 2, 2000);
        m_tracker->observe({statusEvent("d-8", STAGE_CREATED, kT0 + 5, QStringLiteral("drone-0002"))});
        QCOMPARE(outcomesOf(outcomes, "d-8").last()[0], QString("ok"));
        const int asked = int(m_lookups.size());
        QTest::qWait(200); // nothing open any more: no more lookups
        QCOMPARE(int(m_lookups.size()), asked);
    }

    void eventsFillEtasAndFailuresAndTheFailedFilterFindsThem()
    {
        m_deliveries->apply({row("d-9", STAGE_REQUESTED, kT0), row("d-10", STAGE_REQUESTED, kT0)});
        DeliveryStageUpdate created = statusEvent("d-9", STAGE_CREATED, kT0 + 10, QStringLiteral("drone-0003"));
        created.pickupEta = kT0 + 120000;
        created.deliveryEta = kT0 + 480000;
        DeliveryStageUpdate failed = statusEvent("d-10", STAGE_FAILED, kT0 + 10);
        failed.failure = failure(SCHEDULE, "account", "account owner-007 is suspended", "d-10:schedule:2");
        m_deliveries->applyStageUpdates({created, failed});
        QCOMPARE(m_deliveries->find("d-9")->pickupEta, kT0 + 120000);
        QCOMPARE(m_deliveries->find("d-9")->deliveryEta, kT0 + 480000);
        // An older snapshot without ETAs (a Get that raced the event) keeps them.
        DeliveryRecord stale = row("d-9", STAGE_REQUESTED, kT0);
        stale.droneId = QStringLiteral("drone-0003");
        m_deliveries->apply({stale});
        QCOMPARE(m_deliveries->find("d-9")->stage, int(STAGE_CREATED));
        QCOMPARE(m_deliveries->find("d-9")->pickupEta, kT0 + 120000);

        const QModelIndex failedRow = m_deliveries->index(m_deliveries->rowOf("d-10"));
        QCOMPARE(failedRow.data(DeliveryListModel::StageNameRole).toString(), QString("Failed"));
        QCOMPARE(failedRow.data(DeliveryListModel::FailureStepRole).toString(), QString("Account"));
        QCOMPARE(failedRow.data(DeliveryListModel::FailureTransactionIdRole).toString(), QString("d-10:schedule:2"));
        QCOMPARE(failedRow.data(DeliveryListModel::ReasonRole).toString(),
            QString("failed at Account: account owner-007 is suspended"));
        QCOMPARE(m_deliveries->activeCount(), 1); // Failed is over; Created is active

        DeliveryFilterModel filter;
        filter.setSourceModel(m_deliveries);
        filter.setStageFilter(STAGE_FAILED);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-10"));
    }
};

QTEST_MAIN(TestConsoleOutcomes)
#include "tst_console_outcomes.moc"
