// Tests the console's models: QAbstractItemModelTester through inserts/updates/removes, ranged signals, filters, roles.
#include "models/AccountChangeModel.h"
#include "models/AccountFilterModel.h"
#include "models/AccountListModel.h"
#include "models/AuditLogModel.h"
#include "models/DeliveryFilterModel.h"
#include "models/DeliveryListModel.h"
#include "models/DroneListModel.h"
#include "models/FaultRuleModel.h"
#include "models/RouteHealthModel.h"
#include "models/ServiceNodeModel.h"
#include "models/TimelineModel.h"
#include "models/TraceSpanModel.h"
#include "models/TransactionListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace dd::console;

namespace {

DroneRecord drone(int n, int state = 1, double latitude = 47.6)
{
    DroneRecord d;
    d.droneId = QStringLiteral("drone-%1").arg(n, 5, 10, QLatin1Char('0'));
    d.state = state;
    d.latitude = latitude;
    d.longitude = -122.3;
    d.battery = 0.9;
    return d;
}

DeliveryRecord delivery(const QString &id, const QString &owner, int stage, qint64 createdAt, qint64 updatedAt = 0)
{
    DeliveryRecord d;
    d.deliveryId = id;
    d.ownerId = owner;
    d.stage = stage;
    d.createdAt = createdAt;
    d.updatedAt = updatedAt ? updatedAt : createdAt;
    return d;
}

TransactionRecord transaction(const QString &id, qint64 createdAt, bool awaiting = false, int state = 1)
{
    TransactionRecord t;
    t.transactionId = id;
    t.deliveryId = id.section(QLatin1Char('/'), 0, 0);
    t.createdAt = createdAt;
    t.awaitingApproval = awaiting;
    t.state = state;
    return t;
}

AccountRecord account(const QString &id, const QString &name, bool active = true, bool firstUse = false)
{
    return {id, name, active, active ? QString() : QStringLiteral("payment overdue"), firstUse, 1000, 2000};
}

QSet<QByteArray> roleNamesOf(const QAbstractItemModel &model)
{
    QSet<QByteArray> names;
    for (const QByteArray &name : model.roleNames())
        names.insert(name);
    return names;
}

QSet<QByteArray> namesOf(std::initializer_list<const char *> names)
{
    QSet<QByteArray> set;
    for (const char *name : names)
        set.insert(name);
    return set;
}

/// Every (first, last) of the dataChanged signals seen by the spy.
QList<QPair<int, int>> rangesOf(const QSignalSpy &spy)
{
    QList<QPair<int, int>> ranges;
    for (const QList<QVariant> &args : spy)
        ranges.append({args.at(0).toModelIndex().row(), args.at(1).toModelIndex().row()});
    return ranges;
}

} // namespace

class TestConsoleModels : public QObject
{
    Q_OBJECT

private slots:
    void roleNamesAreTheDocumentedOnes()
    {
        // docs/console.md is the contract with the QML panels.
        QCOMPARE(roleNamesOf(DroneListModel()),
                 namesOf({"droneId", "state", "stateName", "latitude", "longitude", "altitude", "heading", "speed",
                          "battery", "deliveryId"}));
        QCOMPARE(roleNamesOf(DeliveryListModel()),
                 namesOf({"deliveryId", "ownerId", "stage", "stageName", "droneId", "thirdPartyBooking",
                          "pickupLocation", "dropoffLocation", "pickupEta", "deliveryEta", "createdAt", "updatedAt",
                          "expedited", "packageId", "traceId", "pickupTime", "waiting", "failureStep", "failureError",
                          "failureTransactionId", "failureOperation", "reason"}));
        QCOMPARE(roleNamesOf(TransactionListModel()),
                 namesOf({"transactionId", "deliveryId", "ownerId", "operation", "failedStep", "error", "state",
                          "stateName", "createdAt", "updatedAt", "awaitingApproval", "compensations", "selected"}));
        QCOMPARE(roleNamesOf(TimelineModel()),
                 namesOf({"stage", "stageName", "at", "reason", "latitude", "longitude", "droneId"}));
        QCOMPARE(roleNamesOf(TraceSpanModel()), namesOf({"name", "service", "kind", "startOffsetMs", "durationMs",
                                                         "depth", "status", "attempt"}));
        QCOMPARE(roleNamesOf(RouteHealthModel()),
                 namesOf({"caller", "callee", "requestsPerSecond", "successRate", "errorRate", "windowCalls", "p50Ms",
                          "p99Ms", "breakerState", "breakerName", "health", "history"}));
        QCOMPARE(roleNamesOf(ServiceNodeModel()),
                 namesOf({"name", "health", "requestsPerSecond", "errorRate", "p99Ms", "breakerState", "x", "y"}));
        QCOMPARE(roleNamesOf(AuditLogModel()),
                 namesOf({"at", "user", "role", "action", "transactionId", "comment", "outcome"}));
        QCOMPARE(roleNamesOf(FaultRuleModel()), namesOf({"spec", "service", "method", "kind", "percent", "delayMs"}));
        QCOMPARE(roleNamesOf(AccountListModel()),
                 namesOf({"ownerId", "name", "active", "standing", "suspensionReason", "registeredOnFirstUse",
                          "createdAt", "updatedAt"}));
        QCOMPARE(roleNamesOf(AccountChangeModel()), namesOf({"at", "user", "role", "action", "reason"}));
        // Roles start at Qt::UserRole + 1.
        QCOMPARE(DroneListModel().roleNames().keys().first() >= Qt::UserRole + 1, true);
        QVERIFY(!DroneListModel().roleNames().contains(Qt::UserRole));
    }

    void droneModelSurvivesTheTesterThroughInsertsUpdatesAndRemoves()
    {
        DroneListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<DroneRecord> batch;
        for (int i = 0; i < 50; ++i)
            batch.push_back(drone(i));
        model.apply(batch);
        QCOMPARE(model.rowCount(), 50);
        std::vector<DroneRecord> update;
        for (int i = 0; i < 60; i += 3)
            update.push_back(drone(i, 2, 47.7)); // 0..57 updated, 51..57 new
        model.apply(update);
        QCOMPARE(model.rowCount(), 53);
        QCOMPARE(model.data(model.index(3), DroneListModel::StateNameRole).toString(), QString("FlyingToPickup"));
        QCOMPARE(model.data(model.index(3), DroneListModel::LatitudeRole).toDouble(), 47.7);
        model.remove({QStringLiteral("drone-00000"), QStringLiteral("drone-00010"), QStringLiteral("drone-00011"),
                      QStringLiteral("nope")});
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(model.rowOf(QStringLiteral("drone-00010")), -1);
        // The id→row index follows the removals.
        const int row = model.rowOf(QStringLiteral("drone-00012"));
        QCOMPARE(model.data(model.index(row), DroneListModel::DroneIdRole).toString(), QString("drone-00012"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void aTelemetryBatchIsOneInsertAndRangedDataChanged()
    {
        DroneListModel model;
        std::vector<DroneRecord> fleet;
        for (int i = 0; i < 1000; ++i)
            fleet.push_back(drone(i));
        model.apply(fleet);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        std::vector<DroneRecord> batch;
        for (int i = 0; i < 100; ++i)
            batch.push_back(drone(i, 2));
        for (int i = 500; i < 600; i += 2) // every other row: gaps of one are folded in
            batch.push_back(drone(i, 3));
        batch.push_back(drone(900, 4));
        batch.push_back(drone(42, 1)); // a second entry for one drone in a batch: the later wins
        for (int i = 1000; i < 1010; ++i)
            batch.push_back(drone(i, 2)); // new drones
        batch.push_back(drone(700)); // unchanged: no signal for it
        model.apply(batch);

        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 1010);
        QCOMPARE(rangesOf(changed), (QList<QPair<int, int>>{{0, 99}, {500, 598}, {900, 900}}));
        QCOMPARE(model.data(model.index(42), DroneListModel::StateRole).toInt(), 1);
        QCOMPARE(model.data(model.index(43), DroneListModel::StateRole).toInt(), 2);
        // The roles named are the ones telemetry changes; the id is not one of them.
        const auto roles = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles.contains(DroneListModel::LatitudeRole));
        QVERIFY(!roles.contains(DroneListModel::DroneIdRole));
    }

    void tenThousandDronesUpdateWithOneSignalPerBatch()
    {
        DroneListModel model;
        std::vector<DroneRecord> fleet;
        for (int i = 0; i < 10000; ++i)
            fleet.push_back(drone(i, 2));
        model.apply(fleet);
        QCOMPARE(model.flyingCount(), 10000);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (int tick = 1; tick <= 10; ++tick) { // one second of 10 Hz flushes, every drone moving
            std::vector<DroneRecord> batch;
            batch.reserve(10000);
            for (int i = 0; i < 10000; ++i)
                batch.push_back(drone(i, 2, 47.6 + tick * 1e-4));
            model.apply(std::move(batch));
        }
        QCOMPARE(changed.count(), 10);
        QCOMPARE(rangesOf(changed).last(), (QPair<int, int>(0, 9999)));
    }

    void flyingCountFollowsStates()
    {
        DroneListModel model;
        QSignalSpy flying(&model, &DroneListModel::flyingCountChanged);
        model.apply({drone(1, 1), drone(2, 2), drone(3, 3), drone(4, 4), drone(5, 5)});
        QCOMPARE(model.flyingCount(), 3);
        model.apply({drone(2, 1)});
        QCOMPARE(model.flyingCount(), 2);
        QCOMPARE(flying.count(), 2);
    }

    void deliveryModelMergesFullRecordsAndStageEvents()
    {
        DeliveryListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({delivery("d-a", "owner-001", 1, 1000), delivery("d-b", "owner-002", 2, 2000)});
        QCOMPARE(model.activeCount(), 2);

        // An event for a delivery not loaded yet is ignored: its full record comes later.
        model.applyStageUpdates({{QStringLiteral("d-zzz"), 4, {}, 5000, {}, 0, 0}});
        QCOMPARE(model.rowCount(), 2);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyStageUpdates({{QStringLiteral("d-a"), 4, QStringLiteral("drone-7"), 3000, {}, 0, 0}});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(0), DeliveryListModel::StageNameRole).toString(), QString("Completed"));
        QCOMPARE(model.data(model.index(0), DeliveryListModel::DroneIdRole).toString(), QString("drone-7"));
        QCOMPARE(model.activeCount(), 1);

        // A Get answered before that event (older updatedAt) must not roll the stage back.
        DeliveryRecord stale = delivery("d-a", "owner-001", 2, 1000, 2500);
        stale.pickupLocation = QStringLiteral("Pike Place Market");
        model.apply({stale});
        QCOMPARE(model.data(model.index(0), DeliveryListModel::StageRole).toInt(), 4);
        QCOMPARE(model.data(model.index(0), DeliveryListModel::PickupLocationRole).toString(),
                 QString("Pike Place Market"));
        // An older event is ignored too.
        model.applyStageUpdates({{QStringLiteral("d-a"), 2, {}, 2000, {}, 0, 0}});
        QCOMPARE(model.data(model.index(0), DeliveryListModel::StageRole).toInt(), 4);

        model.remove({QStringLiteral("d-a")});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.find(QStringLiteral("d-b"))->ownerId, QString("owner-002"));
    }

    void filterModelFiltersByStageAndSearchNewestFirst()
    {
        DeliveryListModel source;
        DeliveryFilterModel filter;
        filter.setSourceModel(&source);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        source.apply({delivery("d-alpha", "owner-001", 1, 1000), delivery("d-bravo", "owner-002", 2, 3000),
                      delivery("d-charlie", "owner-001", 4, 2000), delivery("d-delta", "OWNER-010", 2, 4000)});
        QCOMPARE(filter.count(), 4);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-delta")); // newest first
        QCOMPARE(filter.deliveryIdAt(3), QString("d-alpha"));

        QSignalSpy count(&filter, &DeliveryFilterModel::countChanged);
        filter.setStageFilter(2);
        QCOMPARE(filter.count(), 2);
        QVERIFY(count.count() > 0);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-delta"));

        filter.setSearch(QStringLiteral("owner-01")); // case-insensitive owner match
        QCOMPARE(filter.count(), 1);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-delta"));

        filter.setStageFilter(0);
        filter.setSearch(QStringLiteral("CHAR")); // id match, any case
        QCOMPARE(filter.count(), 1);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-charlie"));

        // A stage event moves rows in and out of a stage filter.
        filter.setSearch({});
        filter.setStageFilter(2);
        source.applyStageUpdates({{QStringLiteral("d-alpha"), 2, {}, 5000, {}, 0, 0}});
        QCOMPARE(filter.count(), 3);
        source.applyStageUpdates({{QStringLiteral("d-delta"), 3, {}, 6000, {}, 0, 0}});
        QCOMPARE(filter.count(), 2);
        QCOMPARE(filter.deliveryIdAt(0), QString("d-bravo"));
    }

    void transactionModelInsertsNewestFirstAndKeepsASelection()
    {
        TransactionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({transaction("d-1/Schedule", 1000), transaction("d-2/Schedule", 2000, true, 2)});
        QCOMPARE(model.data(model.index(0), TransactionListModel::TransactionIdRole).toString(),
                 QString("d-2/Schedule"));
        QCOMPARE(model.awaitingApprovalCount(), 1);

        QSignalSpy selection(&model, &TransactionListModel::selectionChanged);
        QVERIFY(model.setData(model.index(1), true, TransactionListModel::SelectedRole));
        QVERIFY(model.data(model.index(1), TransactionListModel::SelectedRole).toBool());
        QCOMPARE(model.selectedIds(), QStringList{"d-1/Schedule"});
        QCOMPARE(selection.count(), 1);

        // A newer failure goes on top; the selection follows its row.
        model.apply({transaction("d-3/Cancel", 3000, true, 2)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(0), TransactionListModel::TransactionIdRole).toString(), QString("d-3/Cancel"));
        QVERIFY(model.data(model.index(2), TransactionListModel::SelectedRole).toBool());
        QCOMPARE(model.awaitingApprovalCount(), 2);

        model.selectAll(true);
        QCOMPARE(model.selectedIds(), (QStringList{"d-3/Cancel", "d-2/Schedule", "d-1/Schedule"}));
        // An update (compensated now) keeps the row in place and its selection.
        model.apply({transaction("d-2/Schedule", 2000, false, 3)});
        QCOMPARE(model.awaitingApprovalCount(), 1);
        QCOMPARE(model.data(model.index(1), TransactionListModel::StateNameRole).toString(), QString("Compensated"));
        QVERIFY(model.data(model.index(1), TransactionListModel::SelectedRole).toBool());

        model.remove({QStringLiteral("d-3/Cancel")});
        QCOMPARE(model.selectedIds(), (QStringList{"d-2/Schedule", "d-1/Schedule"}));
        model.clearSelection();
        QCOMPARE(model.selectedCount(), 0);
        QVERIFY(!model.setData(model.index(0), true, TransactionListModel::ErrorRole)); // only `selected` is writable
    }

    void accountModelsReloadInPlaceFilterAndKeepALog()
    {
        AccountListModel accounts;
        AccountFilterModel filter;
        filter.setSourceModel(&accounts);
        QAbstractItemModelTester t1(&accounts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!accounts.loaded());
        accounts.setAccounts({account("owner-002", "Rahul Mehta"), account("owner-001", "Amelia Hartley"),
                              account("owner-007", "Noah Fischer", false), account("myowner", "myowner", true, true)},
                             4);
        QVERIFY(accounts.loaded());
        QCOMPARE(accounts.total(), 4);
        QCOMPARE(accounts.suspendedCount(), 1);
        const QModelIndex suspended = accounts.index(accounts.rowOf(QStringLiteral("owner-007")));
        QCOMPARE(suspended.data(AccountListModel::StandingRole).toString(), QString("Suspended"));
        QCOMPARE(suspended.data(AccountListModel::SuspensionReasonRole).toString(), QString("payment overdue"));
        QVERIFY(accounts.index(accounts.rowOf(QStringLiteral("myowner")))
                    .data(AccountListModel::RegisteredOnFirstUseRole)
                    .toBool());
        QCOMPARE(filter.ownerIdAt(0), QString("myowner")); // by owner id
        QCOMPARE(filter.ownerIdAt(1), QString("owner-001"));

        filter.setSearch(QStringLiteral("amelia")); // a name, any case
        QCOMPARE(filter.count(), 1);
        QCOMPARE(filter.ownerIdAt(0), QString("owner-001"));
        filter.setSearch(QStringLiteral("OWNER-00")); // an id
        QCOMPARE(filter.count(), 3);
        filter.setSearch({});
        filter.setSuspendedOnly(true);
        QCOMPARE(filter.count(), 1);
        QCOMPARE(filter.ownerIdAt(0), QString("owner-007"));

        // A suspension answered by SetStatus: the row changes in place and joins the filter.
        QSignalSpy inserted(&accounts, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&accounts, &QAbstractItemModel::modelReset);
        accounts.apply({account("owner-001", "Amelia Hartley", false)});
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(accounts.suspendedCount(), 2);
        QCOMPARE(filter.count(), 2);
        QCOMPARE(filter.ownerIdAt(0), QString("owner-001"));

        // A reload updates in place (no reset: views keep scroll and selection), drops the
        // unlisted and adds the new.
        accounts.setAccounts({account("owner-001", "Amelia Hartley"), account("owner-002", "Rahul Mehta"),
                              account("owner-007", "Noah Fischer", false), account("1", "1", true, true)},
                             4);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(accounts.rowCount(), 4);
        QCOMPARE(accounts.rowOf(QStringLiteral("myowner")), -1);
        QVERIFY(accounts.rowOf(QStringLiteral("1")) >= 0);
        QCOMPARE(accounts.suspendedCount(), 1);
        QCOMPARE(filter.count(), 1);
        filter.setSuspendedOnly(false);
        QCOMPARE(filter.count(), 4);
        QCOMPARE(filter.ownerIdAt(0), QString("1"));

        AccountChangeModel log;
        QAbstractItemModelTester t3(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy owner(&log, &AccountChangeModel::ownerIdChanged);
        log.setChanges(QStringLiteral("owner-001"), {{3000, "sam", "supervisor", "reinstate", ""},
                                                     {2000, "sam", "supervisor", "suspend", "payment overdue"}});
        QCOMPARE(log.ownerId(), QString("owner-001"));
        QCOMPARE(owner.count(), 1);
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.data(log.index(1), AccountChangeModel::ReasonRole).toString(), QString("payment overdue"));
        QCOMPARE(log.data(log.index(0), AccountChangeModel::UserNameRole).toString(), QString("sam"));
        log.clear();
        QCOMPARE(log.rowCount(), 0);
        QCOMPARE(log.ownerId(), QString());
    }

    void smallModelsSurviveTheTester()
    {
        TimelineModel timeline;
        QAbstractItemModelTester t1(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        timeline.setEntries(QStringLiteral("d-1"), {{1, 1000, {}, 47.6, -122.3, {}}, {2, 2000, {}, 47.6, -122.3, {}}});
        timeline.append({{2, 2000, {}, 0, 0, {}}, {3, 3000, QStringLiteral("picked up"), 0, 0, QStringLiteral("drone-1")}});
        QCOMPARE(timeline.rowCount(), 3); // the repeated (stage, time) is not shown twice
        QCOMPARE(timeline.data(timeline.index(2), TimelineModel::StageNameRole).toString(), QString("HeadedToDropoff"));
        timeline.clear();
        QCOMPARE(timeline.rowCount(), 0);

        TraceSpanModel trace;
        QAbstractItemModelTester t2(&trace, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy traceChanged(&trace, &TraceSpanModel::traceChanged);
        trace.setTrace(QStringLiteral("0af7651916cd43dd8448eb211c80319c"),
                       {{"ingestion.Accept", "console", "client", 0, 2.5, 0, "ok", 1},
                        {"Accept", "ingestion", "server", 0.5, 1.5, 1, "ok", 1}},
                       2.5);
        QCOMPARE(trace.rowCount(), 2);
        QCOMPARE(trace.totalMs(), 2.5);
        QCOMPARE(trace.data(trace.index(1), TraceSpanModel::DepthRole).toInt(), 1);
        QCOMPARE(traceChanged.count(), 1);

        RouteHealthModel routes;
        QAbstractItemModelTester t3(&routes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RouteRecord route{"scheduler", "drone", 12.0, 1.0, 0.3, 1.2, "closed", "healthy", {1.0, 12.0}};
        routes.apply({route});
        QSignalSpy inserted(&routes, &QAbstractItemModel::rowsInserted);
        route.breakerState = QStringLiteral("isolated");
        routes.apply({route, RouteRecord{"console", "drone", 1, 1, 0, 0, "closed", "healthy", {}}});
        QCOMPARE(routes.rowCount(), 2);
        QCOMPARE(inserted.count(), 1); // the known route was updated in place
        QCOMPARE(routes.breakerStateOf(QStringLiteral("scheduler"), QStringLiteral("drone")), QString("isolated"));

        ServiceNodeModel services;
        QAbstractItemModelTester t4(&services, QAbstractItemModelTester::FailureReportingMode::QtTest);
        services.apply({{"drone", "healthy", 10, 0, 0.7, 0.4}, {"account", "failing", 3, 0.5, 0.7, 0.1}});
        services.apply({{"drone", "degraded", 11, 0.01, 0.7, 0.4}});
        QCOMPARE(services.healthOf(QStringLiteral("drone")), QString("degraded"));
        QCOMPARE(services.rowCount(), 2);

        AuditLogModel audit;
        QAbstractItemModelTester t5(&audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        audit.setEntries({{1000, "sam", "supervisor", "approve", "d-1/Schedule", "ok by phone", "ok"}});
        QCOMPARE(audit.data(audit.index(0), AuditLogModel::UserNameRole).toString(), QString("sam"));

        FaultRuleModel faults;
        QAbstractItemModelTester t6(&faults, QAbstractItemModelTester::FailureReportingMode::QtTest);
        faults.setRules({{"drone=delay:50:200", "drone", "", "delay", 50, 200}});
        QCOMPARE(faults.data(faults.index(0), FaultRuleModel::DelayMsRole).toDouble(), 200.0);
        faults.setRules({});
        QCOMPARE(faults.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConsoleModels)
#include "tst_console_models.moc"
