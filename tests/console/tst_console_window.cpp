// Tests Main.qml on a real embedded backend: no QML warnings, shortcuts, role switch, approve by key, Esc.
#include "BackendRuntime.h"
#include "SignInTestSupport.h"
#include "Console.h"

#include "net/resilience/FaultInjector.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include <functional>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd;
using namespace dd::console;

/// One backend, one Console and one window for the whole run (as drone-console has):
/// starting a backend per test would cost seconds each and prove nothing more.
// Where `action`'s outcome is among the finishes a spy heard, -1 if it is not: on a loaded
// machine a late finish of an earlier action (a selection) may come first.
static int finishOf(const QSignalSpy &spy, const QString &action)
{
    for (int i = 0; i < spy.size(); ++i)
        if (spy.at(i).at(0).toString() == action)
            return int(i);
    return -1;
}

class TestConsoleWindow : public QObject
{
    Q_OBJECT

private:
    // By the visual tree: delegates made by a Repeater are not QObject children of anything here.
    static QQuickItem *findItem(QQuickItem *root, const QString &objectName)
    {
        if (root->objectName() == objectName)
            return root;
        for (QQuickItem *child : root->childItems())
            if (QQuickItem *found = findItem(child, objectName))
                return found;
        return nullptr;
    }
    QQuickItem *item(const char *objectName) const { return findItem(m_window->contentItem(), QLatin1String(objectName)); }
    int currentPanel() const { return item("panels")->property("currentIndex").toInt(); }
    QQuickItem *inside(QQuickItem *parent, const char *objectName) const
    {
        return findItem(parent, QLatin1String(objectName));
    }
    void click(QQuickItem *target)
    {
        QVERIFY(target);
        const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
    }
    void typeText(const QString &text)
    {
        for (const QChar ch : text)
            QTest::keyClick(m_window, ch.toLatin1());
    }
    QString schedule(const QString &owner, double weight)
    {
        QSignalSpy submitted(m_console.get(), &Console::deliverySubmitted);
        m_console->scheduleDelivery({{"ownerId", owner},
                                     {"pickupLocation", "47.6097,-122.3422"},
                                     {"dropOffLocation", "47.6205,-122.3493"},
                                     {"size", "Small"},
                                     {"weight", weight}});
        if (!submitted.wait(15000))
            return {};
        return submitted.first().at(1).toString();
    }
    void savePanel(const QString &name)
    {
        const QString dir = qEnvironmentVariable("DD_PANEL_PREVIEW_DIR");
        if (!dir.isEmpty())
            m_window->grabWindow().save(QDir(dir).filePath(QStringLiteral("app-%1.png").arg(name)));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<app::BackendRuntime> m_backend;
    std::unique_ptr<Console> m_console;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    QStringList m_warnings;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        app::BackendOptions options;
        options.dataDir = m_dir.path().toStdString();
        options.fleet = 24;
        options.timeScale = 20;
        m_backend = std::make_unique<app::BackendRuntime>(options);
        std::string error;
        QVERIFY2(m_backend->start(&error), error.c_str());
        Console::Options consoleOptions;
        test::signInAgainst(*m_backend, m_dir.path(), consoleOptions.bridge);
        m_console = std::make_unique<Console>(std::move(consoleOptions));
        Console::setInstance(m_console.get());
        m_console->start();
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword)); // a dispatcher
        QTRY_VERIFY_WITH_TIMEOUT(m_console->bridge()->loaded(), 15000);

        m_engine = std::make_unique<QQmlApplicationEngine>();
        connect(m_engine.get(), &QQmlEngine::warnings, this, [this](const QList<QQmlError> &warnings) {
            for (const QQmlError &warning : warnings)
                m_warnings.append(warning.toString());
        });
        m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/DroneConsole/Main.qml")));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        // Window shortcuts need the window active (immediate offscreen, asynchronous under X).
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QCOMPARE(m_window->size(), QSize(1600, 1000));
        QCOMPARE(m_window->minimumSize(), QSize(1280, 800));
    }

    void cleanupTestCase()
    {
        m_engine.reset(); // the QML first: nothing may read the models while they stop
        m_console->stop();
        Console::setInstance(nullptr);
        m_console.reset();
        m_backend->stop();
        net::FaultInjector::global().clear();
    }

    void init() { m_warnings.clear(); }
    void cleanup() { QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join(QLatin1Char('\n')))); }

    void panelsAreMadeWhenFirstShown()
    {
        // Only the map exists at start; a shortcut that needs a panel finds it made at once.
        QVERIFY(item("mapPanel"));
        for (const char *name : {"deliveriesPanel", "transactionsPanel", "schedulePanel", "servicesPanel", "faultsPanel",
                                 "accountsPanel"})
            QVERIFY2(!item(name), name);
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier); // showPanel(3), then schedulePanel.startNew()
        QCOMPARE(currentPanel(), 3);
        QVERIFY(item("schedulePanel"));
        QTRY_VERIFY(inside(item("schedulePanel"), "ownerId")->hasActiveFocus());
        QVERIFY(!item("deliveriesPanel"));
        QTest::keyClick(m_window, Qt::Key_1, Qt::ControlModifier); // back to the map: the form stays made
        QCOMPARE(currentPanel(), 0);
        QVERIFY(item("schedulePanel"));
    }

    void everyPanelShowsLiveDataWithoutAWarning()
    {
        const QString id = schedule(QStringLiteral("owner-001"), 1.5);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_console->deliveries()->find(id), 15000);
        const char *names[] = {"map", "deliveries", "transactions", "schedule", "services", "faults", "accounts"};
        for (int panel = 0; panel < 7; ++panel) {
            QTest::keyClick(m_window, Qt::Key(Qt::Key_1 + panel), Qt::ControlModifier);
            QCOMPARE(currentPanel(), panel);
            QTest::qWait(300); // a few live updates on screen (model batches come every 100 ms)
            savePanel(QLatin1String(names[panel]));
        }
        QCOMPARE(item("deliveriesPanel")->findChild<QQuickItem *>(QStringLiteral("deliveryList"))->property("count").toInt(),
                 m_console->deliveryFilter()->rowCount());
        // Shown, the accounts panel loaded the list: the demo owners and the one just named.
        QTRY_COMPARE_WITH_TIMEOUT(inside(item("accountsPanel"), "accountList")->property("count").toInt(), 50, 10000);
    }

    void ctrl7ShowsAccountsAndASupervisorSuspendsFromThePanel()
    {
        QTest::keyClick(m_window, Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(currentPanel(), 6);
        QQuickItem *panel = item("accountsPanel");
        QVERIFY(panel);
        // An owner no other test schedules for: a suspended owner's deliveries fail.
        QTRY_VERIFY_WITH_TIMEOUT(m_console->accounts()->find(QStringLiteral("owner-020")), 10000);
        m_console->selectAccount(QStringLiteral("owner-020"));
        QTRY_COMPARE(inside(panel, "accountName")->property("text").toString(), QString("Oliver Bennett"));
        QVERIFY(!inside(panel, "changeStatus")->isEnabled()); // a dispatcher
        QVERIFY(m_console->signIn(QStringLiteral("tess"), test::kTestPassword)); // a supervisor
        QVERIFY(inside(panel, "changeStatus")->isEnabled());
        click(inside(panel, "reason"));
        typeText(QStringLiteral("card declined"));
        click(inside(panel, "changeStatus"));
        QTRY_VERIFY(inside(panel, "confirmation")->isVisible());
        savePanel(QStringLiteral("accounts-confirm"));
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        click(inside(panel, "confirmChange"));
        QTRY_VERIFY_WITH_TIMEOUT(finishOf(finished, "suspend") >= 0, 10000);
        const auto suspended = finished.at(finishOf(finished, "suspend"));
        QVERIFY2(suspended.at(1).toBool(), qPrintable(suspended.at(2).toString()));
        QTRY_COMPARE(inside(panel, "outcomeText")->property("text").toString(),
                     QString("owner-020 (Oliver Bennett) is suspended: card declined"));
        QTRY_COMPARE(inside(panel, "detailStanding")->property("text").toString(), QString("Suspended"));
        QTRY_VERIFY_WITH_TIMEOUT(inside(panel, "changeLog")->property("count").toInt() >= 1, 10000);
        savePanel(QStringLiteral("accounts"));
        // At the smallest window too: the detail beside the table, nothing cut off.
        m_window->resize(1280, 800);
        QTRY_COMPARE(panel->width(), 1280.0 - 88); // less the navigation rail
        QVERIFY(inside(panel, "accountDetail")->width() >= 380);
        savePanel(QStringLiteral("accounts-1280"));
        m_window->resize(1600, 1000);
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword));
    }

    void ctrlNStartsANewDeliveryAndCtrlFSearches()
    {
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(currentPanel(), 3);
        QTRY_VERIFY(inside(item("schedulePanel"), "ownerId")->hasActiveFocus());
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(currentPanel(), 1);
        QQuickItem *search = inside(item("deliveriesPanel"), "search");
        QTRY_VERIFY(search->hasActiveFocus());
        typeText(QStringLiteral("owner-001"));
        // The panel's search reaches the filter model.
        QTRY_COMPARE(m_console->deliveryFilter()->search(), QString("owner-001"));
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_COMPARE(m_console->deliveryFilter()->search(), QString());
    }

    void aDispatcherSchedulesThroughTheFormAndSeesItInTheTableAndOnTheMap()
    {
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QQuickItem *panel = item("schedulePanel");
        QVERIFY(panel);
        auto fill = [&](const char *name, const QString &text) {
            QQuickItem *field = inside(panel, name);
            QVERIFY2(field, name);
            click(field);
            QTRY_VERIFY(field->hasActiveFocus());
            field->setProperty("text", QString());
            typeText(text);
            QCOMPARE(field->property("text").toString(), text);
        };
        fill("ownerId", "owner-003");
        fill("packageId", "form-pkg-1");
        fill("pickupLocation", "47.6097,-122.3422");
        fill("dropOffLocation", "47.6205,-122.3493");
        fill("weight", "2");
        QSignalSpy submitted(m_console.get(), &Console::deliverySubmitted);
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        QQuickItem *submit = inside(panel, "submitSchedule");
        QVERIFY(submit);
        QTRY_VERIFY(submit->isVisible() && submit->isEnabled());
        // A loaded machine may make Ingestion answer "try again" (the form shows it);
        // a dispatcher presses Submit again, and so does this test, up to three times.
        for (int attempt = 1; attempt <= 3 && submitted.isEmpty(); ++attempt) {
            finished.clear();
            click(submit);
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 15000);
            const QString message = finished.first().at(2).toString();
            const bool transient = message.contains("transient") || message.contains("deadline")
                || message.contains("overloaded") || message.contains("unavailable");
            QVERIFY2(finished.first().at(1).toBool() || transient,
                     qPrintable(message + " field " + finished.first().at(3).toString()));
            if (finished.first().at(1).toBool())
                QTRY_VERIFY_WITH_TIMEOUT(!submitted.isEmpty(), 5000);
        }
        QVERIFY(!submitted.isEmpty());
        const QString id = submitted.first().at(1).toString();
        QVERIFY(!id.isEmpty());

        // In the table: the Deliveries panel has a row for it.
        QTRY_VERIFY_WITH_TIMEOUT(m_console->deliveries()->find(id), 15000);
        QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
        // Delegates are visual children only (no QObject parent): walk childItems().
        std::function<bool(QQuickItem *)> hasRow = [&](QQuickItem *parent) {
            for (QQuickItem *child : parent->childItems())
                if (child->property("deliveryId").toString() == id || hasRow(child))
                    return true;
            return false;
        };
        auto rowFor = [&] { return hasRow(item("deliveriesPanel")); };
        QTRY_VERIFY_WITH_TIMEOUT(rowFor(), 10000);

        // On the map: a drone of the fleet is flying it.
        auto onTheMap = [&] {
            const auto snapshot = m_console->fleetState()->state()->snapshot();
            for (const auto &drone : snapshot->drones)
                if (drone.deliveryId == id)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(onTheMap(), 15000);
        QTest::keyClick(m_window, Qt::Key_1, Qt::ControlModifier);
        savePanel("form-scheduled");
    }

    /// Types into the new-delivery form's fields by their object names.
    void fillForm(const QList<QPair<const char *, QString>> &fields)
    {
        QQuickItem *panel = item("schedulePanel");
        QVERIFY(panel);
        for (const auto &[name, text] : fields) {
            QQuickItem *field = inside(panel, name);
            QVERIFY2(field, name);
            click(field);
            QTRY_VERIFY(field->hasActiveFocus());
            field->setProperty("text", QString());
            typeText(text);
            QCOMPARE(field->property("text").toString(), text);
        }
    }
    QString resultText(const char *form = "scheduleResult") const
    {
        return inside(item("schedulePanel"), form)->property("text").toString();
    }
    QString resultTone(const char *form = "scheduleResult") const
    {
        return inside(item("schedulePanel"), form)->property("tone").toString();
    }

    void aDoubleClickAndEnterMakeOneDeliveryAndTheFormTellsTheOutcome()
    {
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier); // a new, empty form
        QCOMPARE(inside(item("schedulePanel"), "ownerId")->property("text").toString(), QString());
        fillForm({{"ownerId", "owner-twice"}, {"pickupLocation", "Pike Place Market"},
            {"dropOffLocation", "47.6205,-122.3493"}, {"weight", "1"}});
        // The form shows what a place box resolves to.
        QQuickItem *panel = item("schedulePanel");
        QVERIFY2(inside(panel, "pickupLocation")->parentItem(), "pickup box");
        QSignalSpy submitted(m_console.get(), &Console::deliverySubmitted);
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        QQuickItem *submit = inside(panel, "submitSchedule");
        const QPointF centre = submit->mapToScene(QPointF(submit->width() / 2, submit->height() / 2));
        QTest::mouseDClick(m_window, Qt::LeftButton, {}, centre.toPoint());
        QVERIFY(!submit->isEnabled()); // waiting for Ingestion: the second click found it disabled
        click(inside(panel, "weight"));
        QTest::keyClick(m_window, Qt::Key_Return);
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!submitted.isEmpty(), 15000);
        const QString id = submitted.first().at(1).toString();
        // Accepted is news, not success: neutral, with the id; then what the workflow did.
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("Accepted — scheduling %1…").arg(id));
        QTRY_COMPARE_WITH_TIMEOUT(resultTone(), QString("ok"), 20000);
        QVERIFY2(resultText().startsWith("Scheduled on drone-"), qPrintable(resultText()));
        QCOMPARE(inside(item("statusBar"), "statusText")->property("text").toString(), m_console->statusText());
        QVERIFY(m_console->statusText().contains(id));
        savePanel("form-outcome");
        QTest::qWait(500); // any late duplicate would have been accepted by now
        for (const QList<QVariant> &args : submitted)
            QCOMPARE(args.at(1).toString(), id);
        int owned = 0;
        for (const DeliveryRecord &d : m_console->deliveries()->records())
            owned += d.ownerId == QLatin1String("owner-twice");
        QCOMPARE(owned, 1);
        // Clear empties the message too.
        click(inside(panel, "clearForm"));
        QCOMPARE(resultText(), QString());
    }

    void aFailedScheduleSaysWhereAndLinksToItsTransaction()
    {
        net::FaultInjector::global().clear();
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        QVERIFY(m_console->signIn(QStringLiteral("ada"), test::kTestPassword)); // faults are an admin's
        m_console->addFault(QStringLiteral("package.Create=fatal:100"));
        QVERIFY(finished.wait(5000));
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword));
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        fillForm({{"ownerId", "owner-005"}, {"pickupLocation", "47.6097,-122.3422"},
            {"dropOffLocation", "Space Needle"}, {"weight", "2"}});
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(resultTone(), QString("error"), 20000);
        net::FaultInjector::global().clear();
        QVERIFY2(resultText().startsWith("Failed at Package: "), qPrintable(resultText()));
        QQuickItem *link = inside(item("schedulePanel"), "outcomeTransaction");
        QVERIFY(link && link->isVisible());
        const QString tx = inside(item("schedulePanel"), "scheduleResult")->property("transactionId").toString();
        QVERIFY(!tx.isEmpty());
        savePanel("form-failed");
        click(link);
        QCOMPARE(currentPanel(), 2);
        QCOMPARE(item("transactionsPanel")->property("revealedId").toString(), tx);
        // Its row is opened once the Supervisor's record is in the list.
        std::function<QQuickItem *(QQuickItem *)> rowOf = [&](QQuickItem *parent) -> QQuickItem * {
            for (QQuickItem *child : parent->childItems()) {
                if (child->objectName() == "transactionRow" && child->property("transactionId").toString() == tx)
                    return child;
                if (QQuickItem *found = rowOf(child))
                    return found;
            }
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOf(item("transactionsPanel")) && rowOf(item("transactionsPanel"))->property("expanded").toBool(), 10000);
        savePanel("transaction-revealed");
    }

    void escClosesTheDeliveryDetail()
    {
        QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
        QVERIFY(m_console->deliveryFilter()->rowCount() > 0);
        const QString id = m_console->deliveryFilter()->deliveryIdAt(0);
        QVERIFY(QMetaObject::invokeMethod(m_window, "openDelivery", Q_ARG(QString, id)));
        QQuickItem *detail = inside(item("deliveriesPanel"), "deliveryDetail");
        QTRY_VERIFY(detail->isVisible());
        QCOMPARE(m_console->selectedDeliveryId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(m_console->timeline()->rowCount() >= 1, 10000);
        savePanel(QStringLiteral("delivery-detail"));
        inside(item("deliveriesPanel"), "deliveryList")->forceActiveFocus(); // out of the search field
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!detail->isVisible());
    }

    void theRoleSwitchSetsTheRoleAndAApprovesTheSelection()
    {
        // A paid third-party booking (too heavy for a drone) whose Delivery.Create fails for good:
        // undoing the booking waits for a supervisor.
        net::FaultInjector::global().clear();
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        QVERIFY(m_console->signIn(QStringLiteral("ada"), test::kTestPassword)); // faults are an admin's
        m_console->addFault(QStringLiteral("delivery.Create=fatal:100"));
        QVERIFY(finished.wait(5000));
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword));
        const QString id = schedule(QStringLiteral("owner-002"), 40.0);
        QVERIFY(!id.isEmpty());
        QString tx;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const TransactionRecord &record : m_console->transactions()->records())
                    if (record.deliveryId == id && record.awaitingApproval)
                        tx = record.transactionId;
                return !tx.isEmpty();
            }(),
            20000);
        net::FaultInjector::global().clear();

        QTest::keyClick(m_window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(currentPanel(), 2);
        QQuickItem *panel = item("transactionsPanel");
        m_console->transactions()->setSelected(tx, true);
        QTRY_COMPARE(panel->property("selectedIds").toStringList(), QStringList{tx});
        // A dispatcher's A does nothing.
        finished.clear();
        QTest::keyClick(m_window, Qt::Key_A);
        QTest::qWait(200);
        QCOMPARE(finishOf(finished, "approve"), -1);

        QVERIFY(m_console->signIn(QStringLiteral("tess"), test::kTestPassword)); // switching role = signing in
        QCOMPARE(m_console->role(), QString("supervisor"));
        // Typing an "a" in the comment is text, not a decision.
        click(inside(panel, "comment"));
        typeText(QStringLiteral("ok after a call"));
        QCOMPARE(inside(panel, "comment")->property("text").toString(), QString("ok after a call"));
        QTest::qWait(200);
        QCOMPARE(finishOf(finished, "approve"), -1);
        inside(panel, "transactionList")->forceActiveFocus(); // out of the text field
        QTest::keyClick(m_window, Qt::Key_A);
        QTRY_VERIFY_WITH_TIMEOUT(finishOf(finished, "approve") >= 0, 10000);
        const auto approved = finished.at(finishOf(finished, "approve"));
        QVERIFY2(approved.at(1).toBool(), qPrintable(approved.at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_console->transactions()->find(tx)->state, 3 /* TX_COMPENSATED */, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_console->audit()->rowCount() >= 1, 10000);
        QCOMPARE(m_console->audit()->index(0).data(AuditLogModel::CommentRole).toString(), QString("ok after a call"));
        savePanel(QStringLiteral("transactions"));
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword));
    }
};

QTEST_MAIN(TestConsoleWindow)
#include "tst_console_window.moc"
