// The invariants a chaos run must keep, checked over what the API reports: pure, so crafted inputs test each one.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dd::chaos {

/// A logical request that got a 202 (its first one: retries reuse the key).
struct AcceptedRequest
{
    QString key;        ///< Idempotency-Key
    QString packageId;  ///< unique per logical request, so duplicates show in the listing
    QString deliveryId; ///< from the 202
};

/// One delivery as GET /api/deliveries lists it.
struct DeliveryRecord
{
    QString deliveryId;
    QString packageId;
    QString stage;         ///< Requested, Created, HeadedToPickup, ..., Failed
    QString droneId;       ///< empty: no drone (Requested, a carrier, ...)
    QString transactionId; ///< failure.transactionId of a Failed delivery
};

/// One failed transaction as GET /api/transactions lists it.
struct TransactionRecord
{
    QString transactionId;
    QString deliveryId;
    QString state; ///< Compensating, AwaitingApproval, Compensated, Escalated, Rejected, Retried
};

/// What the run's supervisor (SupervisorActor) did with a transaction it saw AwaitingApproval.
enum class Decision {
    Approve,    ///< approve answered (200, or 409: an earlier attempt landed): must end Compensated
    Reject,     ///< reject answered: must end Rejected
    Leave,      ///< left to a person: must still be AwaitingApproval
    Unanswered, ///< sent, but no answer before its deadline: either outcome is possible
};
using Decisions = QHash<QString, Decision>; ///< by transaction id

/// What the API said at one moment.
struct ApiSnapshot
{
    QList<DeliveryRecord> deliveries;
    QList<TransactionRecord> transactions;
    QSet<QString> unverified; ///< accepted ids the API could not be asked about (not 200, not 404)
    bool complete = true;     ///< false: a listing did not finish, so absence proves nothing
};

/// The figures of one check; ok() when no invariant broke.
struct Verdict
{
    int accepted = 0;
    int lost = 0;          ///< a 202 whose delivery the API does not know (404)
    int unverified = 0;    ///< a 202 whose delivery could not be looked up at all
    int unplaced = 0;      ///< still Requested after the quiet period
    int duplicates = 0;    ///< deliveries beyond the first for one logical request
    int replayMismatches = 0; ///< the same key answered with another delivery id
    int doubleBooked = 0;  ///< drones holding two live deliveries (confirmed in two snapshots)
    int stuck = 0;         ///< transactions still Compensating
    int compensated = 0;
    int rejected = 0;
    int awaitingApproval = 0;
    int escalated = 0;     ///< compensation retries spent: neither compensated, rejected nor awaiting approval
    int otherState = 0;    ///< Retried or unknown: no chaos run asks for a retry
    int failedWithoutTransaction = 0; ///< a Failed delivery no transaction undoes
    int liveAfterCompensation = 0;    ///< a live delivery whose transaction says it was undone
    int transactions = 0;
    int approved = 0;              ///< approve decisions that were answered
    int supervisorRejected = 0;    ///< reject decisions that were answered
    int leftAwaiting = 0;          ///< transactions the supervisor saw awaiting and left alone
    int decisionsUnfinished = 0;   ///< a decided (or left) transaction not in the state its decision leads to
    int rejectedWithoutDecision = 0; ///< Rejected, though nobody rejected it
    QHash<QString, int> stages;       ///< accepted deliveries per stage
    QStringList violations;           ///< the first examples, with ids

    bool ok() const { return violations.isEmpty(); }
    QJsonObject toJson() const;
};

class InvariantCheck
{
public:
    /// Stages where a drone is still committed to the delivery.
    static bool isLive(const QString &stage);

    /// "droneId: d-a d-b" for every drone that more than one live delivery names, sorted.
    static QSet<QString> bookingConflicts(const QList<DeliveryRecord> &deliveries);
    /// Conflicts seen in both of two snapshots taken apart: a stage that merely lags the
    /// drone by a telemetry tick shows in one of them only.
    static QSet<QString> confirmedConflicts(const QSet<QString> &earlier, const QSet<QString> &later);

    /// Every invariant over the final snapshot. `confirmedDoubleBookings` are the conflicts
    /// confirmed during the run and at the end; `replayMismatches` are keys whose replay at
    /// the end named another delivery. `decisions` are the supervisor's: approved ends
    /// Compensated, rejected ends Rejected, left alone is still AwaitingApproval, and no
    /// transaction is Rejected that the supervisor did not reject.
    static Verdict evaluate(const QList<AcceptedRequest> &accepted, const ApiSnapshot &snapshot,
                            const QSet<QString> &confirmedDoubleBookings, const QStringList &replayMismatches,
                            const Decisions &decisions = {});

private:
    static constexpr int kExamples = 10; ///< examples per verdict, enough to reproduce by id
};

} // namespace dd::chaos
