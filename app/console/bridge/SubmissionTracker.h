// Follows every schedule / reschedule / cancel Ingestion accepted to its real outcome (GUI thread).
#pragma once

#include "models/ConsoleRecords.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <vector>

namespace dd::console {

class DeliveryListModel;
class TransactionListModel;

/// An accepted request is only stored: its workflow decides later. The tracker watches
/// what the bridge brings for the delivery — its status events (a failure, the stage the
/// operation leads to), its row (drone, booking, ETAs, a Failed stage) and the failed
/// transactions (a workflow that failed before the Delivery service knew the id) — and
/// says once, through outcome(), how it ended. While nothing arrives it asks for the
/// delivery every `checkAfterMs` (Delivery.Get through the bridge) and reports why it
/// waits. GUI thread only; reads the models, never writes them.
class SubmissionTracker : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 checkAfterMs = 10000; ///< no outcome for this long: ask Delivery.Get (and again as long)
        qint64 recentEventsMs = 5000; ///< events kept for a submission whose accept answer comes after them
        int maxTracked = 200; ///< the oldest is dropped beyond this many open submissions
    };
    /// Asks the bridge for one delivery; the answer comes back through lookedUp().
    using Lookup = std::function<void(const QString &deliveryId)>;

    SubmissionTracker(const DeliveryListModel &deliveries, const TransactionListModel &transactions, Lookup lookup,
        Options options, QObject *parent = nullptr);
    SubmissionTracker(const DeliveryListModel &deliveries, const TransactionListModel &transactions, Lookup lookup,
        QObject *parent = nullptr)
        : SubmissionTracker(deliveries, transactions, std::move(lookup), Options {}, parent)
    {
    }

    /// Ingestion accepted `action` ("schedule", "reschedule", "cancel") for `deliveryId`.
    void track(const QString &action, const QString &deliveryId);
    /// After each applied batch (the models already hold it): the status events it carried.
    void observe(const std::vector<DeliveryStageUpdate> &events);
    /// The answer to a lookup(): the delivery as the Delivery service has it, or why not.
    void lookedUp(const QString &deliveryId, bool found, const DeliveryRecord &record, const QString &error);

    int pendingCount() const { return int(m_pending.size()); }
    bool isPending(const QString &deliveryId) const;

signals:
    /// `state`: "pending" (still waiting, the message says why), "ok" or "error". Once "ok"
    /// or "error" the submission is no longer followed. `transactionId`: the failed
    /// workflow's, when one is known.
    void outcome(const QString &action, const QString &deliveryId, const QString &state, const QString &message,
        const QString &transactionId);

private:
    struct Pending
    {
        QString action;
        QString deliveryId;
        int operation = 0; ///< RequestOperation
        int stageBefore = 0; ///< the delivery's stage when it was accepted (0: unknown)
        FailureRecord failureBefore; ///< its last failure then: only a newer one is this request's
        QSet<QString> transactionsBefore;
        qint64 lastCheckMs = 0;
        bool placed = false; ///< a schedule whose Created came, waiting for its drone or booking
        bool done = false; ///< its outcome was emitted; swept out after this pass
    };
    struct Recent
    {
        qint64 arrivedMs;
        DeliveryStageUpdate event;
    };

    /// True when `p` is over (outcome emitted).
    bool consider(Pending &p, const DeliveryStageUpdate &event);
    bool considerRecord(Pending &p, const DeliveryRecord &record);
    bool considerTransactions(Pending &p);
    bool considerAll(Pending &p);
    bool resolve(Pending &p, bool ok, const QString &message, const QString &transactionId = {});
    bool fail(Pending &p, const FailureRecord &failure);
    QString successOfSchedule(const DeliveryRecord *record, const DeliveryStageUpdate *event) const;
    void check();
    void sweep(); ///< drops what is over; stops the timer when nothing is open

    const DeliveryListModel &m_deliveries;
    const TransactionListModel &m_transactions;
    Lookup m_lookup;
    Options m_options;
    QElapsedTimer m_clock;
    QTimer m_timer;
    std::vector<Pending> m_pending;
    std::deque<Recent> m_recent;
};

} // namespace dd::console
