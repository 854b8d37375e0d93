// Tests each store's retention step: at a cutoff, what is pruned (finished and older) and what is kept.
#include "backend/delivery/DeliveryStore.h"
#include "backend/deliveryhistory/HistoryStore.h"
#include "backend/drone/FleetStore.h"
#include "backend/ingestion/Outbox.h"
#include "backend/package/PackageStore.h"
#include "backend/scheduler/WorkflowStore.h"
#include "backend/supervisor/TransactionStore.h"
#include "backend/thirdparty/ThirdPartyStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dronedelivery::v1;

namespace {
constexpr net::Micros kOld = 1'000 * net::kSeconds;    // before the cutoff
constexpr net::Micros kCutoff = 2'000 * net::kSeconds;
constexpr net::Micros kRecent = 3'000 * net::kSeconds; // after it
constexpr std::size_t kAll = 1'000'000;                // a slice larger than any table here

Delivery delivery(const std::string &id, DeliveryStage stage, net::Micros updatedAt)
{
    Delivery d;
    d.set_delivery_id(id);
    d.set_owner_id("owner");
    d.set_stage(stage);
    d.set_updated_at_us(updatedAt);
    return d;
}

net::StoredEvent storedEvent(std::uint64_t sequence)
{
    return {sequence, "delivery.status", "envelope-" + std::to_string(sequence), "payload"};
}

/// Calls `prune` with `slice` until it removes nothing, as the sweeper does; returns the calls.
template <typename Prune>
int drain(Prune prune, std::size_t slice, std::size_t *removed)
{
    int calls = 0;
    *removed = 0;
    for (std::size_t n = 1; n > 0; ++calls) {
        n = prune(slice);
        *removed += n;
    }
    return calls;
}
} // namespace

class TestRetentionStores : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void deliveriesTerminalAndOldGoOthersStay()
    {
        DeliveryStore store(path("delivery"));
        store.save(delivery("done-old", STAGE_COMPLETED, kOld));
        store.save(delivery("cancelled-old", STAGE_CANCELLED, kOld));
        store.save(delivery("failed-old", STAGE_FAILED, kOld));
        store.save(delivery("done-recent", STAGE_COMPLETED, kRecent));
        store.save(delivery("flying-old", STAGE_HEADED_TO_DROPOFF, kOld));
        store.save(delivery("requested-old", STAGE_REQUESTED, kOld));
        store.save(delivery("rescheduled-old", STAGE_RESCHEDULED, kOld));

        std::size_t removed = 0;
        const int calls = drain([&](std::size_t slice) { return store.pruneDeliveriesBefore(kCutoff, slice); }, 2,
                                &removed);
        QCOMPARE(removed, std::size_t(3));
        QCOMPARE(calls, 3); // 2 + 1 + the empty one that ends it
        for (const char *gone : {"done-old", "cancelled-old", "failed-old"})
            QVERIFY2(!store.find(gone), gone);
        for (const char *kept : {"done-recent", "flying-old", "requested-old", "rescheduled-old"})
            QVERIFY2(store.find(kept), kept);
        QCOMPARE(store.unfinished().size(), std::size_t(3));
    }

    void deliveryEventsOlderThanTheCutoffGoButTheNewestStays()
    {
        net::ManualClock clock(kOld);
        {
            DeliveryStore store(path("events"), clock);
            for (std::uint64_t s = 1; s <= 10; ++s)
                store.appendEvent(storedEvent(s));
            clock.set(kRecent);
            for (std::uint64_t s = 11; s <= 15; ++s)
                store.appendEvent(storedEvent(s));
            std::size_t removed = 0;
            drain([&](std::size_t slice) { return store.pruneEventsBefore(kCutoff, slice); }, 4, &removed);
            QCOMPARE(removed, std::size_t(10));
            QCOMPARE(store.eventCount(), std::uint64_t(5));
            const auto left = store.eventsFrom(1, 100);
            QCOMPARE(left.front().sequence, std::uint64_t(11)); // a replay from 1 learns it starts at 11
            // All of them old: the newest stays, so the sequence goes on after a restart.
            std::size_t more = 0;
            drain([&](std::size_t slice) { return store.pruneEventsBefore(kRecent + 1, slice); }, 4, &more);
            QCOMPARE(more, std::size_t(4));
            QCOMPARE(store.eventCount(), std::uint64_t(1));
        }
        DeliveryStore reopened(path("events"), clock);
        QCOMPARE(reopened.lastEventSequence(), std::uint64_t(15));
    }

    void historyEventsBeforeTheCutoffGoTheCursorStays()
    {
        HistoryStore store(path("history"));
        for (std::uint64_t s = 1; s <= 6; ++s) {
            DeliveryEvent e;
            e.set_delivery_id("d-" + std::to_string(s));
            e.set_stage(STAGE_COMPLETED);
            e.set_at_us(s <= 4 ? kOld : kRecent);
            QVERIFY(store.append("delivery", s, "DeliveryStatusChanged", e));
        }
        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneBefore(kCutoff, slice); }, 3, &removed);
        QCOMPARE(removed, std::size_t(4));
        QCOMPARE(store.count(), std::uint64_t(2));
        QVERIFY(store.history("d-1").empty());
        QCOMPARE(store.history("d-5").size(), std::size_t(1));
        QCOMPARE(store.lastSequence("delivery"), std::uint64_t(6));
    }

    void workflowsFinishedAndOldGoRunningStay()
    {
        WorkflowStore store(path("scheduler"));
        const auto add = [&](const std::string &id, Workflow::State state, net::Micros at, std::uint64_t seq) {
            Workflow w;
            w.id = id;
            w.request.set_delivery_id(id);
            w.state = state;
            w.updatedAt = at;
            store.insert(w, seq);
        };
        add("done-old", Workflow::State::Done, kOld, 1);
        add("failed-old", Workflow::State::Failed, kOld, 2);
        add("running-old", Workflow::State::Running, kOld, 3);
        add("done-recent", Workflow::State::Done, kRecent, 4);
        store.flush();
        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneFinishedBefore(kCutoff, slice); }, 1, &removed);
        QCOMPARE(removed, std::size_t(2));
        QVERIFY(!store.exists("done-old"));
        QVERIFY(!store.exists("failed-old"));
        QVERIFY(store.exists("running-old"));
        QVERIFY(store.exists("done-recent"));
        QCOMPARE(store.running().size(), std::size_t(1));
        QCOMPARE(store.streamAckedThrough(), std::uint64_t(4)); // the stream mark is not retention's
    }

    void idempotencyKeysGoInSlicesUnacknowledgedRowsStay()
    {
        Outbox outbox(path("ingestion"), 1000);
        std::vector<Outbox::Append> group;
        for (int i = 0; i < 5; ++i) {
            Outbox::Append a;
            a.request.set_delivery_id("d-" + std::to_string(i));
            a.idempotencyKey = "key-" + std::to_string(i);
            group.push_back(a);
        }
        outbox.append(group, kOld);
        Outbox::Append recent;
        recent.request.set_delivery_id("d-recent");
        recent.idempotencyKey = "key-recent";
        outbox.append({recent}, kRecent);

        std::size_t removed = 0;
        const int calls = drain([&](std::size_t slice) { return outbox.pruneKeys(kCutoff, slice); }, 2, &removed);
        QCOMPARE(removed, std::size_t(5));
        QCOMPARE(calls, 4);
        QVERIFY(!outbox.findKey("key-0"));
        QVERIFY(outbox.findKey("key-recent"));
        QCOMPARE(outbox.keyCount(), std::uint64_t(1));
        // Nobody acknowledged the requests: all six wait for the Scheduler, whatever their age.
        QCOMPARE(outbox.rowCount(), std::uint64_t(6));
        QCOMPARE(outbox.pending(0, 100).size(), std::size_t(6));
    }

    void resolvedTransactionsAndTheirAuditGoOpenOnesStay()
    {
        TransactionStore store(path("supervisor"));
        const auto save = [&](const std::string &id, TransactionState state, net::Micros at) {
            FailedTransaction tx;
            tx.set_transaction_id(id);
            tx.set_state(state);
            tx.set_updated_at_us(at);
            store.save(tx);
            AuditEntry entry;
            entry.set_at_us(kOld);
            entry.set_transaction_id(id);
            entry.set_action("approve");
            store.audit(entry);
        };
        save("compensated-old", TX_COMPENSATED, kOld);
        save("rejected-old", TX_REJECTED, kOld);
        save("retried-old", TX_RETRIED, kOld);
        save("compensating-old", TX_COMPENSATING, kOld);
        save("awaiting-old", TX_AWAITING_APPROVAL, kOld);
        save("escalated-old", TX_ESCALATED, kOld);
        save("compensated-recent", TX_COMPENSATED, kRecent);

        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneResolvedBefore(kCutoff, slice); }, 2, &removed);
        QCOMPARE(removed, std::size_t(3));
        for (const char *gone : {"compensated-old", "rejected-old", "retried-old"})
            QVERIFY2(!store.get(gone), gone);
        for (const char *kept : {"compensating-old", "awaiting-old", "escalated-old", "compensated-recent"})
            QVERIFY2(store.get(kept), kept);

        // The audit entries of the three pruned go; those of kept transactions stay, old as they are.
        drain([&](std::size_t slice) { return store.pruneAuditBefore(kCutoff, slice); }, 2, &removed);
        QCOMPARE(removed, std::size_t(3));
        QCOMPARE(store.auditCount(), std::uint64_t(4));
        QVERIFY(store.auditLog("compensated-old", 10).empty());
        QCOMPARE(store.auditLog("awaiting-old", 10).size(), std::size_t(1));
    }

    void packagesCreatedBeforeTheCutoffGo()
    {
        PackageStore store(path("package"));
        for (int i = 0; i < 5; ++i) {
            Package p;
            p.mutable_info()->set_package_id("p-" + std::to_string(i));
            p.mutable_info()->set_weight(1);
            p.set_delivery_id("d-" + std::to_string(i));
            p.set_created_at_us(i < 3 ? kOld : kRecent);
            store.create(p);
        }
        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneBefore(kCutoff, slice); }, 2, &removed);
        QCOMPARE(removed, std::size_t(3));
        QCOMPARE(store.count(), std::int64_t(2));
        QVERIFY(!store.find("p-0"));
        QVERIFY(store.find("p-4"));
    }

    void bookingsGoOnceBookedAndCancelledBeforeTheCutoff()
    {
        ThirdPartyStore store(path("thirdparty"));
        const auto book = [&](const std::string &deliveryId, net::Micros at) {
            ThirdPartyBooking b;
            b.set_delivery_id(deliveryId);
            b.set_carrier("carrier");
            store.bookOnce(b, at);
        };
        book("old", kOld);
        book("old-cancelled-old", kOld);
        store.cancel("old-cancelled-old", kOld);
        book("old-cancelled-recently", kOld);
        store.cancel("old-cancelled-recently", kRecent);
        book("recent", kRecent);
        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneBefore(kCutoff, slice); }, kAll, &removed);
        QCOMPARE(removed, std::size_t(2));
        QCOMPARE(store.count(), std::int64_t(2));
        QVERIFY(!store.findActive("old"));
        QVERIFY(store.findActive("recent"));
    }

    void releasedAssignmentsGoActiveOnesStay()
    {
        FleetStore store(path("drone"));
        const auto assign = [&](const std::string &deliveryId, AssignmentStatus status, net::Micros dropoffEta) {
            StoredAssignment stored;
            stored.assignment.deliveryId = deliveryId;
            stored.assignment.droneId = "drone-1";
            stored.assignment.dropoffEta = dropoffEta;
            stored.status = status;
            store.saveAssignment(stored);
        };
        assign("delivered-old", AssignmentStatus::Delivered, kOld);
        assign("cancelled-old", AssignmentStatus::Cancelled, kOld);
        assign("active-old", AssignmentStatus::Active, kOld);
        assign("delivered-recent", AssignmentStatus::Delivered, kRecent);
        std::size_t removed = 0;
        drain([&](std::size_t slice) { return store.pruneReleasedBefore(kCutoff, slice); }, 1, &removed);
        QCOMPARE(removed, std::size_t(2));
        QVERIFY(!store.findAssignment("delivered-old"));
        QVERIFY(!store.findAssignment("cancelled-old"));
        QVERIFY(store.findAssignment("active-old"));
        QVERIFY(store.findAssignment("delivered-recent"));
    }

private:
    std::string path(const char *name) { return m_dir.filePath(QString(name) + ".sqlite").toStdString(); }
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRetentionStores)
#include "tst_retention_stores.moc"
