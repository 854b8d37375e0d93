// The chaos invariants over crafted API snapshots: each one holds on a healthy run and breaks on its own fault.
#include <QtTest>

#include "InvariantCheck.h"

using namespace dd::chaos;

class TestInvariantCheck : public QObject
{
    Q_OBJECT

    /// Three accepted requests: one flying, one delivered, one failed and compensated.
    static QList<AcceptedRequest> accepted()
    {
        return {{"k-1", "p-1", "d-1"}, {"k-2", "p-2", "d-2"}, {"k-3", "p-3", "d-3"}};
    }
    static ApiSnapshot healthy()
    {
        ApiSnapshot s;
        s.deliveries = {{"d-1", "p-1", "HeadedToPickup", "drone-1", ""},
                        {"d-2", "p-2", "Completed", "drone-2", ""},
                        {"d-3", "p-3", "Failed", "", "d-3:schedule"}};
        s.transactions = {{"d-3:schedule", "d-3", "Compensated"}};
        return s;
    }
    static Verdict check(const ApiSnapshot &s, const QSet<QString> &conflicts = {}, const QStringList &replays = {},
                         const Decisions &decisions = {})
    {
        return InvariantCheck::evaluate(accepted(), s, conflicts, replays, decisions);
    }
    static Verdict check(const ApiSnapshot &s, const Decisions &decisions) { return check(s, {}, {}, decisions); }

    /// The healthy run plus what a supervisor decided: one approved, one rejected, one left waiting.
    static ApiSnapshot decided()
    {
        ApiSnapshot s = healthy();
        s.transactions.append({"t-approved", "d-11", "Compensated"});
        s.transactions.append({"t-rejected", "d-12", "Rejected"});
        s.transactions.append({"t-left", "d-13", "AwaitingApproval"});
        return s;
    }
    static Decisions decisions()
    {
        return {{"t-approved", Decision::Approve}, {"t-rejected", Decision::Reject}, {"t-left", Decision::Leave}};
    }

private slots:
    void aHealthyRunHoldsEveryInvariant()
    {
        ApiSnapshot s = healthy();
        s.transactions.append({"d-9:schedule", "d-9", "AwaitingApproval"}); // a person decides: fine
        s.transactions.append({"d-8:schedule", "d-8", "Rejected"});
        const Verdict v = check(s, Decisions{{"d-8:schedule", Decision::Reject}}); // rejected by its supervisor
        QVERIFY2(v.ok(), qPrintable(v.violations.join('\n')));
        QCOMPARE(v.accepted, 3);
        QCOMPARE(v.compensated, 1);
        QCOMPARE(v.awaitingApproval, 1);
        QCOMPARE(v.rejected, 1);
        QCOMPARE(v.stages.value("Completed"), 1);
        const QJsonObject json = v.toJson();
        for (const char *field : {"accepted", "lost", "double_booked", "stuck", "compensated", "awaiting_approval"})
            QVERIFY2(json.contains(field), field);
    }

    void eachSupervisorDecisionReachedItsStateAndTheRestStillAwait()
    {
        ApiSnapshot s = decided();
        s.transactions.append({"t-unseen", "d-14", "AwaitingApproval"}); // came after the last look: fine
        s.transactions.append({"t-unanswered", "d-15", "Rejected"});    // its answer was lost: either is fine
        Decisions d = decisions();
        d.insert("t-unanswered", Decision::Unanswered);
        const Verdict v = check(s, d);
        QVERIFY2(v.ok(), qPrintable(v.violations.join('\n')));
        QCOMPARE(v.approved, 1);
        QCOMPARE(v.supervisorRejected, 1);
        QCOMPARE(v.leftAwaiting, 1);
        QCOMPARE(v.awaitingApproval, 2);
        QCOMPARE(v.rejected, 2);
        QCOMPARE(v.decisionsUnfinished, 0);
        const QJsonObject json = v.toJson();
        QCOMPARE(json.value("approved").toInt(), 1);
        QCOMPARE(json.value("supervisor_rejected").toInt(), 1);
        QCOMPARE(json.value("left_awaiting").toInt(), 1);
        for (const char *field : {"rejected", "decisions_unfinished", "rejected_without_decision"})
            QVERIFY2(json.contains(field), field);
    }

    void anApprovedTransactionThatIsNotCompensatedIsUnfinished()
    {
        for (const QString state : {"AwaitingApproval", "Escalated", "Rejected"}) {
            ApiSnapshot s = decided();
            s.transactions[1].state = state; // t-approved
            const Verdict v = check(s, decisions());
            QCOMPARE(v.decisionsUnfinished, 1);
            QVERIFY(!v.ok());
            QVERIFY2(v.violations.join('\n').contains("approved but " + state + ": transaction t-approved"),
                     qPrintable(v.violations.join('\n')));
        }
        ApiSnapshot s = decided();
        s.transactions[1].state = "Compensating"; // the undo never finished: stuck, and the decision unfinished
        const Verdict v = check(s, decisions());
        QCOMPARE(v.stuck, 1);
        QCOMPARE(v.decisionsUnfinished, 1);
    }

    void aDecidedTransactionTheApiNoLongerKnowsIsUnfinished()
    {
        ApiSnapshot s = decided();
        s.transactions.removeAt(1); // t-approved
        const Verdict v = check(s, decisions());
        QCOMPARE(v.decisionsUnfinished, 1);
        QVERIFY(v.violations.join('\n').contains("unknown to the API"));
        QVERIFY(!v.ok());
    }

    void aRejectedDecisionThatDidNotEndRejectedIsUnfinished()
    {
        ApiSnapshot s = decided();
        s.transactions[2].state = "Compensated"; // t-rejected undone after all
        const Verdict v = check(s, decisions());
        QCOMPARE(v.decisionsUnfinished, 1);
        QCOMPARE(v.supervisorRejected, 1);
        QCOMPARE(v.rejected, 0);
        QVERIFY(!v.ok());
    }

    void aTransactionLeftAloneMustStillAwaitApproval()
    {
        for (const QString state : {"Compensated", "Compensating", "Escalated"}) {
            ApiSnapshot s = decided();
            s.transactions[3].state = state; // t-left moved though nobody decided
            const Verdict v = check(s, decisions());
            QCOMPARE(v.decisionsUnfinished, 1);
            QVERIFY(!v.ok());
            QVERIFY(v.violations.join('\n').contains("left alone but " + state));
        }
    }

    void aRejectedTransactionNobodyRejectedIsAViolation()
    {
        ApiSnapshot s = decided();
        Decisions d = decisions();
        d.remove("t-rejected");
        Verdict v = check(s, d);
        QCOMPARE(v.rejectedWithoutDecision, 1);
        QVERIFY(!v.ok());
        QVERIFY(v.violations.join('\n').contains("rejected without a decision: transaction t-rejected"));
        d.insert("t-rejected", Decision::Leave); // seen, left alone, and Rejected all the same
        v = check(s, d);
        QCOMPARE(v.rejectedWithoutDecision, 1);
        QCOMPARE(v.decisionsUnfinished, 1);
    }

    void aTwoHundredTwoTheApiNoLongerKnowsIsLost()
    {
        ApiSnapshot s = healthy();
        s.deliveries.removeAt(1);
        const Verdict v = check(s);
        QCOMPARE(v.lost, 1);
        QVERIFY(!v.ok());
        QVERIFY(v.violations.join('\n').contains("d-2"));
    }

    void anIdThatCouldNotBeLookedUpIsUnverifiedNotSilentlyFine()
    {
        ApiSnapshot s = healthy();
        s.deliveries.removeAt(1);
        s.unverified.insert("d-2");
        const Verdict v = check(s);
        QCOMPARE(v.lost, 0);
        QCOMPARE(v.unverified, 1);
        QVERIFY(!v.ok());
    }

    void stillRequestedAfterQuietIsUnplaced()
    {
        ApiSnapshot s = healthy();
        s.deliveries[0].stage = "Requested";
        s.deliveries[0].droneId.clear();
        const Verdict v = check(s);
        QCOMPARE(v.unplaced, 1);
        QVERIFY(!v.ok());
    }

    void twoDeliveriesOfOnePackageAreADuplicate()
    {
        ApiSnapshot s = healthy();
        s.deliveries.append({"d-1b", "p-1", "Created", "drone-7", ""}); // a retry that was not recognised
        const Verdict v = check(s);
        QCOMPARE(v.duplicates, 1);
        QVERIFY(!v.ok());
        QVERIFY(v.violations.join('\n').contains("d-1b"));
    }

    void aTwoHundredTwoNamingAnotherDeliveryOfItsPackageIsADuplicate()
    {
        ApiSnapshot s = healthy();
        s.deliveries[0].packageId = "p-elsewhere";                   // d-1 exists but is not p-1's
        s.deliveries.append({"d-1x", "p-1", "Created", "drone-5", ""}); // p-1 has another one
        const Verdict v = check(s);
        QVERIFY(v.duplicates >= 1);
        QVERIFY(!v.ok());
    }

    void aReplayNamingAnotherDeliveryBreaksIdempotency()
    {
        const Verdict v = check(healthy(), {}, {"key k-1 first got d-1, now 202 d-77"});
        QCOMPARE(v.replayMismatches, 1);
        QVERIFY(!v.ok());
    }

    void aDroneHeldByTwoLiveDeliveriesInTwoSnapshotsIsDoubleBooked()
    {
        QList<DeliveryRecord> live = {{"d-1", "p-1", "HeadedToPickup", "drone-1", ""},
                                      {"d-4", "p-4", "Created", "drone-1", ""},
                                      {"d-5", "p-5", "Completed", "drone-2", ""},
                                      {"d-6", "p-6", "Created", "drone-2", ""}}; // done then rebooked: fine
        const QSet<QString> conflicts = InvariantCheck::bookingConflicts(live);
        QCOMPARE(conflicts, QSet<QString>{"drone-1: d-1 d-4"});
        // Seen once only (a stage lagging its drone by a tick): not confirmed.
        QVERIFY(InvariantCheck::confirmedConflicts(conflicts, {}).isEmpty());
        QVERIFY(InvariantCheck::confirmedConflicts({}, conflicts).isEmpty());
        const QSet<QString> confirmed = InvariantCheck::confirmedConflicts(conflicts, conflicts);
        QCOMPARE(confirmed.size(), 1);
        const Verdict v = check(healthy(), confirmed);
        QCOMPARE(v.doubleBooked, 1);
        QVERIFY(!v.ok());
    }

    void aTransactionStillCompensatingIsStuck()
    {
        ApiSnapshot s = healthy();
        s.transactions[0].state = "Compensating";
        const Verdict v = check(s);
        QCOMPARE(v.stuck, 1);
        QCOMPARE(v.compensated, 0);
        QVERIFY(!v.ok());
    }

    void anEscalatedOrRetriedTransactionIsNeitherCompensatedRejectedNorAwaiting()
    {
        ApiSnapshot s = healthy();
        s.transactions[0].state = "Escalated";
        Verdict v = check(s);
        QCOMPARE(v.escalated, 1);
        QVERIFY(!v.ok());
        s.transactions[0].state = "Retried";
        v = check(s);
        QCOMPARE(v.otherState, 1);
        QVERIFY(!v.ok());
    }

    void aFailedDeliveryWithoutItsTransactionIsUncompensated()
    {
        ApiSnapshot s = healthy();
        s.transactions.clear();
        Verdict v = check(s);
        QCOMPARE(v.failedWithoutTransaction, 1);
        QVERIFY(!v.ok());
        s = healthy();
        s.deliveries[2].transactionId.clear();
        v = check(s);
        QCOMPARE(v.failedWithoutTransaction, 1);
        QVERIFY(!v.ok());
    }

    void aLiveDeliveryWhoseTransactionWasUndoneBreaksCompensation()
    {
        ApiSnapshot s = healthy();
        s.deliveries[2].stage = "Created";
        s.deliveries[2].droneId = "drone-3";
        const Verdict v = check(s);
        QCOMPARE(v.liveAfterCompensation, 1);
        QVERIFY(!v.ok());
    }

    void anIncompleteListingProvesNothing()
    {
        ApiSnapshot s = healthy();
        s.complete = false;
        QVERIFY(!check(s).ok());
    }
};

QTEST_GUILESS_MAIN(TestInvariantCheck)
#include "tst_invariant_check.moc"
