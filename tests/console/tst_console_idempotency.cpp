// M2 of the API probe through the console's path: a cancel that reuses a schedule's key is still a cancel.
#include "Console.h"
#include "BackendRuntime.h"
#include "SignInTestSupport.h"

#include "net/resilience/FaultInjector.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd;
using namespace dd::console;

class TestConsoleIdempotency : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<app::BackendRuntime> m_backend;
    std::unique_ptr<Console> m_console;

    /// Runs one console action and returns actionFinished's (ok, message).
    std::pair<bool, QString> finish(const std::function<void()> &action)
    {
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        action();
        if (!finished.wait(15000) && finished.isEmpty())
            qFatal("the console action never finished");
        return {finished.first().at(1).toBool(), finished.first().at(2).toString()};
    }

private slots:
    void initTestCase()
    {
        app::BackendOptions options;
        options.dataDir = m_dir.path().toStdString();
        options.fleet = 4;
        options.timeScale = 1; // flights take minutes: a cancel finds the delivery in the air
        m_backend = std::make_unique<app::BackendRuntime>(options);
        std::string error;
        QVERIFY2(m_backend->start(&error), error.c_str());
        Console::Options consoleOptions;
        test::signInAgainst(*m_backend, m_dir.path(), consoleOptions.bridge);
        m_console = std::make_unique<Console>(std::move(consoleOptions));
        m_console->start();
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword)); // a dispatcher
        QTRY_VERIFY_WITH_TIMEOUT(m_console->bridge()->loaded(), 15000);
    }
    void cleanupTestCase()
    {
        m_console.reset();
        m_backend->stop();
    }

    void aCancelReusingAScheduleKeyIsStoredAndCancels()
    {
        QSignalSpy submitted(m_console.get(), &Console::deliverySubmitted);
        const auto scheduled = finish([&] {
            m_console->scheduleDelivery({{"ownerId", "owner-003"},
                                         {"pickupLocation", "47.6097,-122.3422"},
                                         {"dropOffLocation", "47.6205,-122.3493"},
                                         {"size", "Small"},
                                         {"weight", 1.5}},
                                        QStringLiteral("K2"));
        });
        QVERIFY2(scheduled.first, qPrintable(scheduled.second));
        QCOMPARE(submitted.size(), 1);
        const QString id = submitted.first().at(1).toString();
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_console->deliveries()->find(id)
                                     && m_console->deliveries()->find(id)->stage != dronedelivery::v1::STAGE_REQUESTED,
                                 30000);

        const auto cancelled = finish([&] { m_console->cancelDelivery(id, QStringLiteral("K2")); });
        QVERIFY2(cancelled.first, qPrintable(cancelled.second));
        QVERIFY2(cancelled.second.contains(QLatin1String("cancelling")), qPrintable(cancelled.second));
        // Stored and run: with the key scoped by method only it got the schedule's answer and stayed in flight.
        QTRY_COMPARE_WITH_TIMEOUT(m_console->deliveries()->find(id)->stage, int(dronedelivery::v1::STAGE_CANCELLED),
                                  30000);

        // The same cancel retried with its key is a replay: still one delivery, still cancelled.
        const auto replayed = finish([&] { m_console->cancelDelivery(id, QStringLiteral("K2")); });
        QVERIFY2(replayed.first, qPrintable(replayed.second));
        QCOMPARE(m_console->deliveries()->find(id)->stage, int(dronedelivery::v1::STAGE_CANCELLED));
    }
};

QTEST_MAIN(TestConsoleIdempotency)
#include "tst_console_idempotency.moc"
