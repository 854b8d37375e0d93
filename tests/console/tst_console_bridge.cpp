// Tests the console against a real embedded backend: schedule, live models and map, approvals by role, breakers.
#include "Console.h"
#include "BackendRuntime.h"
#include "SignInTestSupport.h"

#include "net/resilience/FaultInjector.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QElapsedTimer>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd;
using namespace dd::console;

namespace {

/// A backend in this process (the same runtime as drone-console's embedded mode) and a Console on it.
struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<app::BackendRuntime> backend;
    std::unique_ptr<Console> console;

    explicit Fixture(int fleet, std::vector<std::string> faults = {}, QString role = QStringLiteral("dispatcher"))
    {
        app::BackendOptions options;
        options.dataDir = dir.path().toStdString();
        options.fleet = fleet;
        options.timeScale = 20;
        options.faults = std::move(faults);
        backend = std::make_unique<app::BackendRuntime>(options);
        std::string error;
        if (!backend->start(&error))
            qFatal("backend did not start: %s", error.c_str());
        startConsole(role);
    }
    ~Fixture()
    {
        console.reset(); // the bridge first, then the services it talks to
        backend->stop();
        net::FaultInjector::global().clear(); // the runtime's --fault rules are process-wide
    }

    void startConsole(QString role)
    {
        Console::Options options;
        test::signInAgainst(*backend, dir.path(), options.bridge);
        console = std::make_unique<Console>(std::move(options));
        console->start();
        if (!console->signIn(test::testUserFor(role), test::kTestPassword))
            qFatal("sign-in failed: %s", qPrintable(console->signInError()));
    }

    /// Schedules through Console (ingestion.Accept over the mesh); returns the delivery id.
    QString schedule(const QString &owner)
    {
        QSignalSpy submitted(console.get(), &Console::deliverySubmitted);
        QSignalSpy finished(console.get(), &Console::actionFinished);
        console->scheduleDelivery({{"ownerId", owner},
                                   {"pickupLocation", "47.6097,-122.3422"},
                                   {"dropOffLocation", "47.6205,-122.3493"},
                                   {"size", "Small"},
                                   {"weight", 1.5}});
        if (!finished.wait(15000) && finished.isEmpty())
            qFatal("schedule never finished");
        if (!finished.first().at(1).toBool())
            qFatal("schedule failed: %s", qPrintable(finished.first().at(2).toString()));
        if (submitted.isEmpty())
            qFatal("accepted without a delivery id");
        return submitted.first().at(1).toString();
    }

    /// The deliveryOutcome()s of `id` so far, as (state, message, transactionId).
    static QList<QStringList> outcomesOf(const QSignalSpy &spy, const QString &id)
    {
        QList<QStringList> out;
        for (const QList<QVariant> &args : spy)
            if (args.at(1).toString() == id)
                out.append({args.at(2).toString(), args.at(3).toString(), args.at(4).toString()});
        return out;
    }
    static bool hasFinal(const QSignalSpy &spy, const QString &id)
    {
        for (const QStringList &o : outcomesOf(spy, id))
            if (o[0] != QLatin1String("pending"))
                return true;
        return false;
    }
    static QStringList finalOf(const QSignalSpy &spy, const QString &id)
    {
        for (const QStringList &o : outcomesOf(spy, id))
            if (o[0] != QLatin1String("pending"))
                return o;
        return {};
    }

    QString transactionOf(const QString &deliveryId) const
    {
        for (const TransactionRecord &tx : console->transactions()->records())
            if (tx.deliveryId == deliveryId)
                return tx.transactionId;
        return {};
    }
    int transactionState(const QString &transactionId) const
    {
        const TransactionRecord *tx = console->transactions()->find(transactionId);
        return tx ? tx->state : -1;
    }
};

bool fleetHasDroneOn(const fleetmap::FleetState &fleet, const QString &deliveryId)
{
    for (const fleetmap::DroneView &drone : fleet.snapshot()->drones)
        if (drone.deliveryId == deliveryId)
            return true;
    return false;
}

} // namespace

class TestConsoleBridge : public QObject
{
    Q_OBJECT

private slots:
    void aScheduledDeliveryAppearsInTheListAndItsDroneOnTheMap()
    {
        Fixture f(8);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        QVERIFY(f.console->connected());
        QTRY_COMPARE_WITH_TIMEOUT(f.console->drones()->rowCount(), 8, 10000); // Drone.List and telemetry
        QCOMPARE(f.console->fleetState()->state()->droneCount(), 8);

        const QString id = f.schedule(QStringLiteral("owner-001"));
        QVERIFY(id.startsWith("d-"));
        QTRY_VERIFY_WITH_TIMEOUT(f.console->deliveries()->find(id), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!f.console->deliveries()->find(id)->droneId.isEmpty(), 15000);
        const QString droneId = f.console->deliveries()->find(id)->droneId;
        QCOMPARE(f.console->deliveries()->find(id)->ownerId, QString("owner-001"));
        QVERIFY(!f.console->deliveries()->find(id)->traceId.isEmpty());
        // Its drone takes it on: the list and the map both say so.
        QTRY_COMPARE_WITH_TIMEOUT(f.console->drones()->find(droneId)->deliveryId, id, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(fleetHasDroneOn(*f.console->fleetState()->state(), id), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->activeDeliveries() >= 1 || f.console->deliveries()->find(id)->stage == 4,
                                 5000);

        // Selecting it loads its history and the trace of its workflow, which starts at the console.
        f.console->selectDelivery(id);
        QCOMPARE(f.console->selectedDeliveryId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->timeline()->rowCount() >= 1, 10000);
        const QString first
            = f.console->timeline()->data(f.console->timeline()->index(0), TimelineModel::StageNameRole).toString();
        QVERIFY2(first == "Requested" || first == "Created", qPrintable(first)); // Requested once registered
        QTRY_VERIFY_WITH_TIMEOUT(f.console->trace()->rowCount() >= 4, 10000);
        QCOMPARE(f.console->trace()->traceId(), f.console->deliveries()->find(id)->traceId);
        const QModelIndex root = f.console->trace()->index(0);
        QCOMPARE(root.data(TraceSpanModel::NameRole).toString(), QString("ingestion.Accept"));
        QCOMPARE(root.data(TraceSpanModel::ServiceRole).toString(), QString("console"));
        QCOMPARE(root.data(TraceSpanModel::DepthRole).toInt(), 0);
        QVERIFY(f.console->trace()->totalMs() > 0);
    }

    void aScheduleIsPendingUntilItsRealOutcomeArrives()
    {
        Fixture f(6);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        QSignalSpy outcomes(f.console.get(), &Console::deliveryOutcome);
        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        const QString id = f.schedule(QStringLiteral("owner-001"));
        // Accepted is not done: neutral, with the id.
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("Accepted — scheduling %1…").arg(id));
        QTRY_VERIFY_WITH_TIMEOUT(Fixture::hasFinal(outcomes, id), 20000);
        const QStringList outcome = Fixture::finalOf(outcomes, id);
        QCOMPARE(outcome[0], QString("ok"));
        QVERIFY2(outcome[1].startsWith("Scheduled on drone-"), qPrintable(outcome[1]));
        QCOMPARE(f.console->statusTone(), QString("ok"));
        QVERIFY2(f.console->statusText().contains(id), qPrintable(f.console->statusText()));
        // The drone it names is the one the delivery has.
        QTRY_VERIFY_WITH_TIMEOUT(
            f.console->deliveries()->find(id) && !f.console->deliveries()->find(id)->droneId.isEmpty(), 10000);
        QVERIFY(outcome[1].contains(f.console->deliveries()->find(id)->droneId));
    }

    void aScheduleUnderAFaultFailsAndIsListedAsFailed()
    {
        Fixture f(4, {"package.Create=fatal:100"});
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        QSignalSpy outcomes(f.console.get(), &Console::deliveryOutcome);
        const QString id = f.schedule(QStringLiteral("owner-001"));
        QCOMPARE(f.console->statusTone(), QString("pending"));
        QTRY_VERIFY_WITH_TIMEOUT(Fixture::hasFinal(outcomes, id), 20000);
        const QStringList outcome = Fixture::finalOf(outcomes, id);
        QCOMPARE(outcome[0], QString("error"));
        QVERIFY2(outcome[1].startsWith("Failed at Package: "), qPrintable(outcome[1]));
        QVERIFY(!outcome[2].isEmpty()); // the transaction to follow
        QCOMPARE(f.console->statusTone(), QString("error"));
        // Backend contract: the failed delivery is listed, under the Failed filter, with why.
        QTRY_VERIFY_WITH_TIMEOUT(f.console->deliveries()->find(id), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(f.console->deliveries()->find(id)->stage, 7 /* STAGE_FAILED */, 10000);
        QCOMPARE(f.console->deliveries()->find(id)->failure.transactionId, outcome[2]);
        f.console->deliveryFilter()->setStageFilter(7);
        bool listed = false;
        for (int row = 0; row < f.console->deliveryFilter()->rowCount(); ++row)
            listed = listed || f.console->deliveryFilter()->deliveryIdAt(row) == id;
        QVERIFY(listed);
    }

    void aRepeatedSubmissionWithItsKeyMakesOneDelivery()
    {
        Fixture f(4);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        const QVariantMap form {{"ownerId", "owner-dup"}, {"pickupLocation", "47.6097,-122.3422"},
            {"dropOffLocation", "Space Needle"}, {"weight", 1.0}};
        QSignalSpy submitted(f.console.get(), &Console::deliverySubmitted);
        for (int press = 0; press < 3; ++press) { // Enter three times, each after the answer came
            f.console->scheduleDelivery(form, QStringLiteral("form-key-1"));
            QTRY_COMPARE_WITH_TIMEOUT(submitted.count(), press + 1, 15000);
        }
        const QString id = submitted.first().at(1).toString();
        for (const QList<QVariant> &args : submitted)
            QCOMPARE(args.at(1).toString(), id);
        // Another submission (a new key) is another delivery.
        f.console->scheduleDelivery(form, QStringLiteral("form-key-2"));
        QTRY_COMPARE_WITH_TIMEOUT(submitted.count(), 4, 15000);
        QVERIFY(submitted.last().at(1).toString() != id);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->deliveries()->find(id), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->deliveries()->find(submitted.last().at(1).toString()), 15000);
        int owned = 0;
        for (const DeliveryRecord &d : f.console->deliveries()->records())
            owned += d.ownerId == QLatin1String("owner-dup");
        QCOMPARE(owned, 2);
    }

    void aCancelOfACompletedDeliveryIsNotShownAsSuccess()
    {
        Fixture f(4);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        const QString id = f.schedule(QStringLiteral("owner-004"));
        QTRY_VERIFY_WITH_TIMEOUT(
            f.console->deliveries()->find(id) && f.console->deliveries()->find(id)->stage == 4, 60000);
        QSignalSpy outcomes(f.console.get(), &Console::deliveryOutcome);
        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->cancelDelivery(id);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        QCOMPARE(finished.first().at(0).toString(), QString("cancel"));
        if (finished.first().at(1).toBool()) {
            // Accepted (a backend without the edge check): the workflow's failure must follow.
            QTRY_VERIFY_WITH_TIMEOUT(Fixture::hasFinal(outcomes, id), 20000);
            QCOMPARE(Fixture::finalOf(outcomes, id)[0], QString("error"));
            QVERIFY2(Fixture::finalOf(outcomes, id)[1].startsWith("Cancel failed: "),
                qPrintable(Fixture::finalOf(outcomes, id)[1]));
        } else {
            // Refused at the edge: the message says why, and nothing is followed.
            QVERIFY(!finished.first().at(2).toString().isEmpty());
            QVERIFY(!f.console->outcomes()->isPending(id));
        }
        QCOMPARE(f.console->statusTone(), QString("error"));
        QCOMPARE(f.console->deliveries()->find(id)->stage, 4); // still Completed
    }

    void telemetryReachesTheModelsInBatchesNotPerMessage()
    {
        Fixture f(40);
        QTRY_COMPARE_WITH_TIMEOUT(f.console->drones()->rowCount(), 40, 15000);
        for (int i = 0; i < 6; ++i) // some drones in the air, so telemetry keeps coming
            f.schedule(QStringLiteral("owner-00%1").arg(1 + i));
        QTRY_VERIFY_WITH_TIMEOUT(f.console->dronesFlying() >= 1, 15000);
        QSignalSpy batches(f.console->bridge(), &ConsoleBridge::batchApplied);
        QSignalSpy changed(f.console->drones(), &QAbstractItemModel::dataChanged);
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= 1500 && changed.count() > 0, 10000);
        const qint64 elapsed = clock.elapsed();
        // The flush runs every 100 ms: ~15 batches in 1.5 s, however many messages arrived.
        QVERIFY2(batches.count() <= elapsed / 100 + 2,
                 qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batches.count()).arg(elapsed)));
        QVERIFY(changed.count() <= batches.count() * 3); // ranged: a few dataChanged per batch at most
    }

    void aPaidBookingWaitsForASupervisorAndADispatcherIsRefused()
    {
        // No drones: a paid third-party booking; then Delivery.Create fails for good.
        Fixture f(0, {"delivery.Create=fatal:100"}, QStringLiteral("dispatcher"));
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        const QString id = f.schedule(QStringLiteral("owner-002"));
        QTRY_VERIFY_WITH_TIMEOUT(!f.transactionOf(id).isEmpty(), 20000);
        const QString tx = f.transactionOf(id);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->transactions()->find(tx)->awaitingApproval, 15000);
        QCOMPARE(f.console->transactions()->find(tx)->failedStep, QString("Delivery"));
        QCOMPARE(f.console->awaitingApproval(), 1);

        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->approve({tx}, QStringLiteral("customer called"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toString(), QString("approve"));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY2(finished.first().at(2).toString().contains("permission_denied"),
                 qPrintable(finished.first().at(2).toString()));
        QCOMPARE(finished.first().at(3).toString(), QString("role"));
        QVERIFY(f.console->statusText().contains("approve failed"));
        QVERIFY(f.console->transactions()->find(tx)->awaitingApproval); // nothing happened

        QVERIFY2(f.console->signIn(QStringLiteral("tess"), test::kTestPassword), qPrintable(f.console->signInError()));
        QCOMPARE(f.console->role(), QString("supervisor")); // switching role = signing in as someone else
        finished.clear();
        f.console->approve({tx}, QStringLiteral("customer called"));
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(f.transactionState(tx), 3 /* TX_COMPENSATED */, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(f.console->awaitingApproval(), 0, 5000);
        // Both decisions are in the audit log, newest first, with who decided.
        QTRY_COMPARE_WITH_TIMEOUT(f.console->audit()->rowCount(), 2, 10000);
        QCOMPARE(f.console->audit()->index(0).data(AuditLogModel::UserNameRole).toString(), QString("tess"));
        QCOMPARE(f.console->audit()->index(0).data(AuditLogModel::RoleRole).toString(), QString("supervisor"));
        QVERIFY(f.console->audit()->index(1).data(AuditLogModel::OutcomeRole).toString().contains("denied"));
    }

    void isolatingARouteShowsInItsMetricsAndResetClosesIt()
    {
        Fixture f(4, {}, QStringLiteral("admin")); // breaker overrides are an admin's
        QTRY_VERIFY_WITH_TIMEOUT(f.console->routes()->find(RouteHealthModel::routeKey("scheduler", "drone")), 10000);
        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->isolate(QStringLiteral("scheduler"), QStringLiteral("drone"));
        QVERIFY(finished.wait(5000));
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(f.console->routes()->breakerStateOf("scheduler", "drone"), QString("isolated"), 10000);
        QCOMPARE(std::string(net::MetricsRegistry::global().route("scheduler", "drone").breakerState()),
                 std::string("isolated"));

        finished.clear();
        f.console->resetBreaker(QStringLiteral("scheduler"), QStringLiteral("drone"));
        QVERIFY(finished.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(f.console->routes()->breakerStateOf("scheduler", "drone"), QString("closed"), 10000);

        finished.clear();
        f.console->forceClose(QStringLiteral("nobody"), QStringLiteral("drone"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false); // no such route in this process
    }

    void faultsAreAddedParsedAndCleared()
    {
        Fixture f(2, {}, QStringLiteral("admin")); // fault injection is an admin's
        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->addFault(QStringLiteral("drone.Get=delay:bad"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(3).toString(), QString("spec"));
        QCOMPARE(f.console->faults()->rowCount(), 0);

        finished.clear();
        f.console->addFault(QStringLiteral("drone.Get=delay:50:200"));
        QVERIFY(finished.wait(5000));
        QVERIFY(finished.first().at(1).toBool());
        QCOMPARE(f.console->faults()->rowCount(), 1);
        QCOMPARE(f.console->faults()->index(0).data(FaultRuleModel::SpecRole).toString(), QString("drone.Get=delay:50:200"));
        QCOMPARE(int(net::FaultInjector::global().rules().size()), 1);

        finished.clear();
        f.console->clearFaults();
        QVERIFY(finished.wait(5000));
        QCOMPARE(f.console->faults()->rowCount(), 0);
        QVERIFY(net::FaultInjector::global().empty());
    }

    void aDispatcherMayNotOverrideBreakersOrInjectFaultsAndAWrongPasswordChangesNobody()
    {
        Fixture f(2); // signed in as dana, a dispatcher
        QCOMPARE(f.console->userName(), QString("dana"));
        QVERIFY(!f.console->maySupervise());
        QVERIFY(!f.console->mayOperate());
        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->addFault(QStringLiteral("drone.Get=delay:50:200"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY2(finished.first().at(2).toString().contains("admin role"), qPrintable(finished.first().at(2).toString()));
        QCOMPARE(finished.first().at(3).toString(), QString("role"));
        QVERIFY(net::FaultInjector::global().empty()); // nothing injected
        finished.clear();
        f.console->isolate(QStringLiteral("scheduler"), QStringLiteral("drone"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(3).toString(), QString("role"));
        QCOMPARE(std::string(net::MetricsRegistry::global().route("scheduler", "drone").breakerState()),
                 std::string("closed")); // not isolated

        // A wrong password signs nobody in and leaves dana signed in; an unknown user reads the same.
        QVERIFY(!f.console->signIn(QStringLiteral("ada"), QStringLiteral("not-the-password")));
        QCOMPARE(f.console->signInError(), QString("unknown user or wrong password"));
        QVERIFY(!f.console->signIn(QStringLiteral("mallory"), test::kTestPassword));
        QCOMPARE(f.console->signInError(), QString("unknown user or wrong password"));
        QCOMPARE(f.console->userName(), QString("dana"));
        QCOMPARE(f.console->role(), QString("dispatcher"));

        // Signed out: nothing a supervisor does is even sent.
        f.console->signOut();
        QVERIFY(!f.console->signedIn());
        finished.clear();
        f.console->approve({QStringLiteral("t-any")}, {});
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY2(finished.first().at(2).toString().contains("nobody is signed in"),
                 qPrintable(finished.first().at(2).toString()));
        QVERIFY(f.console->signIn(QStringLiteral("ada"), test::kTestPassword));
        QVERIFY(f.console->mayOperate());
    }

    void aConsoleAttachingLateLoadsWhatExists()
    {
        Fixture f(3);
        const QString first = f.schedule(QStringLiteral("owner-003"));
        const QString failed = f.schedule(QStringLiteral("owner-007")); // suspended: a failed transaction
        QTRY_VERIFY_WITH_TIMEOUT(f.console->deliveries()->find(first), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!f.transactionOf(failed).isEmpty(), 15000);

        f.startConsole(QStringLiteral("supervisor")); // a new console: it saw none of the events
        QCOMPARE(f.console->deliveries()->rowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(f.console->bridge()->loaded(), 15000);
        QVERIFY(f.console->deliveries()->find(first));
        QVERIFY(!f.transactionOf(failed).isEmpty());
        QCOMPARE(f.console->drones()->rowCount(), 3);
    }

    void validationMirrorsTheGatewayAndRefusesBeforeSending()
    {
        Fixture f(1);
        const QVariantMap bad = f.console->validateSchedule({{"pickupLocation", "x"}});
        QCOMPARE(bad.value("ok").toBool(), false);
        QCOMPARE(bad.value("field").toString(), QString("ownerId"));
        QCOMPARE(f.console->validateSchedule({{"ownerId", "owner-001"}}).value("ok").toBool(), true);

        QSignalSpy finished(f.console.get(), &Console::actionFinished);
        f.console->scheduleDelivery({{"ownerId", "owner-001"}, {"weight", "heavy"}});
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(3).toString(), QString("weight"));
        finished.clear();
        f.console->cancelDelivery(QStringLiteral("d-doesnotexist"));
        QVERIFY(finished.wait(10000)); // accepted: the workflow finds nothing to cancel later
        QCOMPARE(finished.first().at(0).toString(), QString("cancel"));
    }

    void theSingletonIsTheInstanceMadeBeforeTheEngine()
    {
        Fixture f(1);
        Console::setInstance(f.console.get());
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport DroneConsole\nQtObject {\n"
                          "  property string role: Console.role\n"
                          "  property int stage: Console.deliveryFilter.stageFilter\n"
                          "  property bool hasDrones: Console.drones !== null\n"
                          "  property var fleet: Console.fleetState\n"
                          "}\n",
                          QUrl(QStringLiteral("qrc:/test/Probe.qml")));
        std::unique_ptr<QObject> probe(component.create());
        QVERIFY2(probe, qPrintable(component.errorString()));
        QCOMPARE(probe->property("role").toString(), QString("dispatcher"));
        QCOMPARE(probe->property("stage").toInt(), 0);
        QVERIFY(probe->property("hasDrones").toBool());
        QCOMPARE(Console::create(&engine, &engine), f.console.get());
        QCOMPARE(int(QJSEngine::objectOwnership(f.console.get())), int(QJSEngine::CppOwnership));
        probe.reset();
        Console::setInstance(nullptr);
    }
};

QTEST_MAIN(TestConsoleBridge)
#include "tst_console_bridge.moc"
