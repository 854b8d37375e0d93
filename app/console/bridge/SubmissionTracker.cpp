// SubmissionTracker: events, rows and failed transactions matched to open submissions; a periodic Delivery.Get.
#include "bridge/SubmissionTracker.h"

#include "models/ConsoleNames.h"
#include "models/DeliveryListModel.h"
#include "models/TransactionListModel.h"

#include "domain.pb.h"

#include <QDateTime>

#include <algorithm>

namespace dd::console {

using namespace dronedelivery::v1;

namespace {

int operationOf(const QString &action)
{
    if (action == QLatin1String("reschedule"))
        return RESCHEDULE;
    if (action == QLatin1String("cancel"))
        return CANCEL;
    return SCHEDULE;
}

/// A stage a schedule reaches only once its workflow has placed it.
bool isPlaced(int stage)
{
    return stage == STAGE_CREATED || stage == STAGE_HEADED_TO_PICKUP || stage == STAGE_HEADED_TO_DROPOFF
        || stage == STAGE_COMPLETED || stage == STAGE_RESCHEDULED;
}

QString clock(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm"));
}

} // namespace

SubmissionTracker::SubmissionTracker(const DeliveryListModel &deliveries, const TransactionListModel &transactions,
    Lookup lookup, Options options, QObject *parent)
    : QObject(parent)
    , m_deliveries(deliveries)
    , m_transactions(transactions)
    , m_lookup(std::move(lookup))
    , m_options(options)
{
    m_clock.start();
    // Fine enough to honour checkAfterMs within a tenth, coarse enough to cost nothing.
    m_timer.setInterval(int(std::clamp<qint64>(m_options.checkAfterMs / 10, 20, 1000)));
    connect(&m_timer, &QTimer::timeout, this, &SubmissionTracker::check);
}

bool SubmissionTracker::isPending(const QString &deliveryId) const
{
    return std::any_of(
        m_pending.begin(), m_pending.end(), [&](const Pending &p) { return !p.done && p.deliveryId == deliveryId; });
}

void SubmissionTracker::track(const QString &action, const QString &deliveryId)
{
    // A repeat with the submission's key: Ingestion answered with the same delivery.
    for (const Pending &open : m_pending)
        if (!open.done && open.action == action && open.deliveryId == deliveryId)
            return;
    Pending p;
    p.action = action;
    p.deliveryId = deliveryId;
    p.operation = operationOf(action);
    p.lastCheckMs = m_clock.elapsed();
    if (const DeliveryRecord *record = m_deliveries.find(deliveryId)) {
        p.stageBefore = record->stage;
        p.failureBefore = record->failure;
    }
    for (const TransactionRecord &tx : m_transactions.records())
        if (tx.deliveryId == deliveryId)
            p.transactionsBefore.insert(tx.transactionId);

    // Events that came in before Ingestion's answer did (the answer and the stream race).
    bool over = false;
    for (const Recent &recent : m_recent)
        if (!over && recent.event.deliveryId == deliveryId)
            over = consider(p, recent.event);
    if (!over && p.operation == SCHEDULE)
        over = considerAll(p); // a schedule's id is new: whatever is known about it is its outcome
    if (over)
        return;
    m_pending.push_back(std::move(p));
    if (int(m_pending.size()) > m_options.maxTracked)
        m_pending.erase(m_pending.begin());
    if (!m_timer.isActive())
        m_timer.start();
}

void SubmissionTracker::observe(const std::vector<DeliveryStageUpdate> &events)
{
    const qint64 now = m_clock.elapsed();
    while (!m_recent.empty() && now - m_recent.front().arrivedMs > m_options.recentEventsMs)
        m_recent.pop_front();
    for (const DeliveryStageUpdate &event : events)
        m_recent.push_back({now, event});
    if (m_pending.empty())
        return;
    for (Pending &p : m_pending) {
        for (const DeliveryStageUpdate &event : events)
            if (!p.done && event.deliveryId == p.deliveryId)
                consider(p, event);
        if (!p.done)
            considerAll(p);
    }
    sweep();
}

void SubmissionTracker::lookedUp(
    const QString &deliveryId, bool found, const DeliveryRecord &record, const QString &error)
{
    for (Pending &p : m_pending) {
        if (p.done || p.deliveryId != deliveryId)
            continue;
        if (found && considerRecord(p, record))
            continue;
        if (considerTransactions(p))
            continue;
        QString message;
        if (found && record.stage == STAGE_REQUESTED)
            message = record.waiting.isEmpty() ? QStringLiteral("Still scheduling %1: queued").arg(deliveryId)
                                               : QStringLiteral("Waiting: %1").arg(record.waiting);
        else if (found)
            message = QStringLiteral("Still waiting for the %1 of %2 (now %3)")
                          .arg(p.action, deliveryId, ConsoleNames::stage(record.stage));
        else
            message = QStringLiteral("Still scheduling %1: not registered yet%2")
                          .arg(deliveryId, error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(error));
        emit outcome(p.action, p.deliveryId, QStringLiteral("pending"), message, {});
    }
    sweep();
}

bool SubmissionTracker::consider(Pending &p, const DeliveryStageUpdate &event)
{
    if (!event.failure.empty()) {
        // A failure event of another operation (an older reschedule's) is not this one's.
        if (event.failure.operation == p.operation)
            return fail(p, event.failure);
        if (p.operation == SCHEDULE && event.stage == STAGE_FAILED)
            return fail(p, event.failure);
    }
    switch (p.operation) {
    case SCHEDULE:
        if (event.stage == STAGE_FAILED)
            return considerAll(p) || fail(p, FailureRecord {SCHEDULE, {}, event.reason, {}, event.at});
        if (event.stage == STAGE_CANCELLED)
            return resolve(p, true, QStringLiteral("Cancelled before it was placed"));
        if (isPlaced(event.stage)) {
            p.placed = true;
            if (!event.droneId.isEmpty())
                return resolve(p, true, successOfSchedule(m_deliveries.find(p.deliveryId), &event));
        }
        return false;
    case RESCHEDULE:
        if (event.stage == STAGE_RESCHEDULED) {
            const DeliveryRecord *record = m_deliveries.find(p.deliveryId);
            const qint64 eta = event.deliveryEta > 0 ? event.deliveryEta : record ? record->deliveryEta : 0;
            return resolve(p, true,
                eta > 0 ? QStringLiteral("Rescheduled %1 · delivery ETA %2").arg(p.deliveryId, clock(eta))
                        : QStringLiteral("Rescheduled %1").arg(p.deliveryId));
        }
        return false;
    case CANCEL:
        if (event.stage == STAGE_CANCELLED)
            return resolve(p, true, QStringLiteral("Cancelled %1").arg(p.deliveryId));
        return false;
    }
    return false;
}

bool SubmissionTracker::considerRecord(Pending &p, const DeliveryRecord &record)
{
    const bool newFailure = !record.failure.empty() && record.failure != p.failureBefore;
    if (newFailure && record.failure.operation == p.operation)
        return fail(p, record.failure);
    switch (p.operation) {
    case SCHEDULE:
        if (record.stage == STAGE_FAILED)
            return record.failure.empty() ? considerTransactions(p) : fail(p, record.failure);
        if (isPlaced(record.stage) && (!record.droneId.isEmpty() || !record.thirdPartyBooking.isEmpty()))
            return resolve(p, true, successOfSchedule(&record, nullptr));
        return false;
    case CANCEL:
        if (record.stage == STAGE_CANCELLED && p.stageBefore != STAGE_CANCELLED)
            return resolve(p, true, QStringLiteral("Cancelled %1").arg(p.deliveryId));
        return false;
    default:
        return false; // a reschedule leaves no mark on the row a later event would not give
    }
}

bool SubmissionTracker::considerTransactions(Pending &p)
{
    const QString operation = ConsoleNames::operation(p.operation);
    for (const TransactionRecord &tx : m_transactions.records()) {
        if (tx.deliveryId != p.deliveryId || tx.operation != operation
            || p.transactionsBefore.contains(tx.transactionId))
            continue;
        // The Supervisor's record of a workflow that failed (also before the delivery existed).
        return fail(p, FailureRecord {p.operation, tx.failedStep, tx.error, tx.transactionId, tx.createdAt});
    }
    return false;
}

bool SubmissionTracker::considerAll(Pending &p)
{
    if (const DeliveryRecord *record = m_deliveries.find(p.deliveryId); record && considerRecord(p, *record))
        return true;
    return considerTransactions(p);
}

bool SubmissionTracker::resolve(Pending &p, bool ok, const QString &message, const QString &transactionId)
{
    p.done = true;
    emit outcome(p.action, p.deliveryId, ok ? QStringLiteral("ok") : QStringLiteral("error"), message, transactionId);
    return true;
}

bool SubmissionTracker::fail(Pending &p, const FailureRecord &failure)
{
    const QString step = ConsoleNames::failureStep(failure.step);
    const QString error = failure.error.isEmpty() ? QStringLiteral("the workflow failed") : failure.error;
    QString message;
    if (p.operation == SCHEDULE)
        message = step.isEmpty() ? QStringLiteral("Failed: %1").arg(error)
                                 : QStringLiteral("Failed at %1: %2").arg(step, error);
    else
        message = QStringLiteral("%1 failed: %2")
                      .arg(p.operation == RESCHEDULE ? QStringLiteral("Reschedule") : QStringLiteral("Cancel"), error);
    return resolve(p, false, message, failure.transactionId);
}

QString SubmissionTracker::successOfSchedule(const DeliveryRecord *record, const DeliveryStageUpdate *event) const
{
    const QString droneId = event && !event->droneId.isEmpty() ? event->droneId : record ? record->droneId : QString();
    const QString booking = record ? record->thirdPartyBooking : QString();
    const qint64 pickupEta = event && event->pickupEta > 0 ? event->pickupEta : record ? record->pickupEta : 0;
    if (!booking.isEmpty())
        return QStringLiteral("Booked with third-party carrier (booking %1)").arg(booking);
    return pickupEta > 0 ? QStringLiteral("Scheduled on %1 · pickup ETA %2").arg(droneId, clock(pickupEta))
                         : QStringLiteral("Scheduled on %1").arg(droneId);
}

void SubmissionTracker::check()
{
    const qint64 now = m_clock.elapsed();
    for (Pending &p : m_pending) {
        if (p.done || now - p.lastCheckMs < m_options.checkAfterMs)
            continue;
        p.lastCheckMs = now;
        if (!considerAll(p) && m_lookup)
            m_lookup(p.deliveryId);
    }
    sweep();
}

void SubmissionTracker::sweep()
{
    m_pending.erase(
        std::remove_if(m_pending.begin(), m_pending.end(), [](const Pending &p) { return p.done; }), m_pending.end());
    if (m_pending.empty())
        m_timer.stop();
}

} // namespace dd::console
