// The chaos invariants (docs/chaos.md, "Invariants"): each one counted and named with its first examples.
#include "InvariantCheck.h"

#include <QJsonArray>

#include <algorithm>

namespace dd::chaos {

namespace {

void note(Verdict &verdict, const QString &example)
{
    if (verdict.violations.size() < 40) // a few per invariant, never an unbounded line
        verdict.violations.append(example);
}

} // namespace

bool InvariantCheck::isLive(const QString &stage)
{
    return stage == QLatin1String("Created") || stage == QLatin1String("HeadedToPickup")
        || stage == QLatin1String("HeadedToDropoff") || stage == QLatin1String("Rescheduled");
}

QSet<QString> InvariantCheck::bookingConflicts(const QList<DeliveryRecord> &deliveries)
{
    QHash<QString, QStringList> byDrone;
    for (const DeliveryRecord &d : deliveries)
        if (!d.droneId.isEmpty() && isLive(d.stage))
            byDrone[d.droneId].append(d.deliveryId);
    QSet<QString> conflicts;
    for (auto it = byDrone.begin(); it != byDrone.end(); ++it) {
        if (it.value().size() < 2)
            continue;
        QStringList ids = it.value();
        ids.sort();
        conflicts.insert(it.key() + QStringLiteral(": ") + ids.join(' '));
    }
    return conflicts;
}

QSet<QString> InvariantCheck::confirmedConflicts(const QSet<QString> &earlier, const QSet<QString> &later)
{
    QSet<QString> both = earlier;
    both.intersect(later);
    return both;
}

Verdict InvariantCheck::evaluate(const QList<AcceptedRequest> &accepted, const ApiSnapshot &snapshot,
                                 const QSet<QString> &confirmedDoubleBookings, const QStringList &replayMismatches,
                                 const Decisions &decisions)
{
    Verdict v;
    v.accepted = int(accepted.size());
    if (!snapshot.complete)
        note(v, QStringLiteral("incomplete: the API's listings could not be read to the end"));

    QHash<QString, const DeliveryRecord *> byId;
    QHash<QString, QStringList> idsByPackage;
    for (const DeliveryRecord &d : snapshot.deliveries) {
        byId.insert(d.deliveryId, &d);
        QStringList &ids = idsByPackage[d.packageId];
        if (!ids.contains(d.deliveryId))
            ids.append(d.deliveryId);
    }
    QHash<QString, const TransactionRecord *> transactionById;
    QHash<QString, QString> transactionStateByDelivery;
    for (const TransactionRecord &t : snapshot.transactions) {
        transactionById.insert(t.transactionId, &t);
        transactionStateByDelivery.insert(t.deliveryId, t.state);
    }

    // Every 202 reaches a stage the API reports, past Requested.
    for (const AcceptedRequest &a : accepted) {
        const auto found = byId.constFind(a.deliveryId);
        if (found == byId.cend()) {
            if (snapshot.unverified.contains(a.deliveryId)) {
                ++v.unverified;
                note(v, QStringLiteral("unverified: %1 (key %2) could not be looked up").arg(a.deliveryId, a.key));
            } else {
                ++v.lost;
                note(v, QStringLiteral("lost: %1 (key %2) got a 202 and is unknown now").arg(a.deliveryId, a.key));
            }
            continue;
        }
        const DeliveryRecord &d = **found;
        ++v.stages[d.stage];
        if (d.stage == QLatin1String("Requested")) {
            ++v.unplaced;
            note(v, QStringLiteral("unplaced: %1 (key %2) is still Requested").arg(a.deliveryId, a.key));
        }
    }

    // One delivery per logical request: its package id is unique to it.
    QSet<QString> acceptedPackages;
    for (const AcceptedRequest &a : accepted)
        acceptedPackages.insert(a.packageId);
    for (auto it = idsByPackage.cbegin(); it != idsByPackage.cend(); ++it) {
        if (it.value().size() < 2)
            continue;
        v.duplicates += int(it.value().size()) - 1;
        note(v, QStringLiteral("duplicate: package %1 has deliveries %2").arg(it.key(), it.value().join(' ')));
    }
    for (const AcceptedRequest &a : accepted) { // a 202 whose id is not its package's delivery
        const QStringList ids = idsByPackage.value(a.packageId);
        if (ids.size() == 1 && ids.first() != a.deliveryId && byId.contains(a.deliveryId)) {
            ++v.duplicates;
            note(v, QStringLiteral("duplicate: key %1 got %2 but package %3 is %4")
                        .arg(a.key, a.deliveryId, a.packageId, ids.first()));
        }
    }
    v.replayMismatches = int(replayMismatches.size());
    for (const QString &mismatch : replayMismatches.mid(0, kExamples))
        note(v, QStringLiteral("replay: ") + mismatch);

    v.doubleBooked = int(confirmedDoubleBookings.size());
    QStringList conflicts(confirmedDoubleBookings.cbegin(), confirmedDoubleBookings.cend());
    conflicts.sort();
    for (const QString &conflict : conflicts.mid(0, kExamples))
        note(v, QStringLiteral("double booked: ") + conflict);

    // Every failed transaction ends compensated, rejected or awaiting a person; none stays Compensating.
    v.transactions = int(snapshot.transactions.size());
    for (const TransactionRecord &t : snapshot.transactions) {
        if (t.state == QLatin1String("Compensated")) {
            ++v.compensated;
            const DeliveryRecord *d = byId.value(t.deliveryId);
            if (d && isLive(d->stage)) {
                ++v.liveAfterCompensation;
                note(v, QStringLiteral("live after compensation: %1 is %2 with drone %3, transaction %4 Compensated")
                            .arg(d->deliveryId, d->stage, d->droneId, t.transactionId));
            }
        } else if (t.state == QLatin1String("Rejected")) {
            ++v.rejected;
            // Only a person rejects an undo, and in a chaos run that is its supervisor alone.
            const Decision decided = decisions.value(t.transactionId, Decision::Leave);
            if (!decisions.contains(t.transactionId) || (decided != Decision::Reject && decided != Decision::Unanswered)) {
                ++v.rejectedWithoutDecision;
                note(v, QStringLiteral("rejected without a decision: transaction %1").arg(t.transactionId));
            }
        } else if (t.state == QLatin1String("AwaitingApproval")) {
            ++v.awaitingApproval;
        } else if (t.state == QLatin1String("Compensating")) {
            ++v.stuck;
            note(v, QStringLiteral("stuck: transaction %1 is still Compensating").arg(t.transactionId));
        } else if (t.state == QLatin1String("Escalated")) {
            ++v.escalated;
            note(v, QStringLiteral("escalated: transaction %1 spent its compensation retries").arg(t.transactionId));
        } else {
            ++v.otherState;
            note(v, QStringLiteral("unexpected state: transaction %1 is %2").arg(t.transactionId, t.state));
        }
    }
    // Each decision reached the state it leads to; what was left alone still waits for a person.
    QStringList decided(decisions.keyBegin(), decisions.keyEnd());
    decided.sort(); // the examples in a stable order
    for (const QString &id : decided) {
        const Decision decision = decisions.value(id);
        const char *expected = "AwaitingApproval";
        const char *what = "left alone";
        switch (decision) {
        case Decision::Approve: ++v.approved; expected = "Compensated"; what = "approved"; break;
        case Decision::Reject: ++v.supervisorRejected; expected = "Rejected"; what = "rejected"; break;
        case Decision::Leave: ++v.leftAwaiting; break;
        case Decision::Unanswered: continue; // it may or may not have landed
        }
        const TransactionRecord *t = transactionById.value(id);
        const QString state = t ? t->state : QStringLiteral("unknown to the API");
        if (state != QLatin1String(expected)) {
            ++v.decisionsUnfinished;
            note(v, QStringLiteral("%1 but %2: transaction %3 (expected %4)").arg(what, state, id, expected));
        }
    }

    for (const DeliveryRecord &d : snapshot.deliveries) {
        if (d.stage != QLatin1String("Failed"))
            continue;
        if (d.transactionId.isEmpty() || !transactionById.contains(d.transactionId)) {
            ++v.failedWithoutTransaction;
            note(v, QStringLiteral("failed without transaction: %1 names \"%2\"").arg(d.deliveryId, d.transactionId));
        }
    }
    return v;
}

QJsonObject Verdict::toJson() const
{
    QJsonObject stageCounts;
    for (auto it = stages.cbegin(); it != stages.cend(); ++it)
        stageCounts.insert(it.key(), it.value());
    return {
        {"accepted", accepted},
        {"lost", lost},
        {"unverified", unverified},
        {"unplaced", unplaced},
        {"duplicates", duplicates},
        {"replay_mismatches", replayMismatches},
        {"double_booked", doubleBooked},
        {"stuck", stuck},
        {"compensated", compensated},
        {"rejected", rejected},
        {"awaiting_approval", awaitingApproval},
        {"escalated", escalated},
        {"failed_without_transaction", failedWithoutTransaction},
        {"live_after_compensation", liveAfterCompensation},
        {"other_state", otherState},
        {"transactions", transactions},
        {"approved", approved},
        {"supervisor_rejected", supervisorRejected},
        {"left_awaiting", leftAwaiting},
        {"decisions_unfinished", decisionsUnfinished},
        {"rejected_without_decision", rejectedWithoutDecision},
        {"stages", stageCounts},
        {"violations", QJsonArray::fromStringList(violations)},
    };
}

} // namespace dd::chaos
