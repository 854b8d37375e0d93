// Tests the console's accounts against a real embedded backend: the list, the change log, suspend / reinstate by role.
#include "BackendRuntime.h"
#include "SignInTestSupport.h"
#include "Console.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd;
using namespace dd::console;

/// One backend and one Console for the run; the tests run in order and touch different owners.
class TestConsoleAccounts : public QObject
{
    Q_OBJECT

private:
    /// The first actionFinished(`action`) after `spy` started: (ok, message, field).
    static QVariantList outcome(QSignalSpy &spy, const QString &action)
    {
        for (int seen = 0;; ++seen) {
            if (seen >= spy.count() && !spy.wait(10000))
                return {};
            if (spy.at(seen).at(0).toString() == action)
                return {spy.at(seen).at(1), spy.at(seen).at(2), spy.at(seen).at(3)};
        }
    }
    const AccountRecord *account(const char *ownerId) const
    {
        return m_console->accounts()->find(QLatin1String(ownerId));
    }
    QString changeAt(int row, AccountChangeModel::Role role) const
    {
        return m_console->accountChanges()->index(row).data(role).toString();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<app::BackendRuntime> m_backend;
    std::unique_ptr<Console> m_console;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        app::BackendOptions options;
        options.dataDir = m_dir.path().toStdString();
        options.fleet = 6;
        options.timeScale = 20;
        m_backend = std::make_unique<app::BackendRuntime>(options);
        std::string error;
        QVERIFY2(m_backend->start(&error), error.c_str());
        Console::Options consoleOptions;
        test::signInAgainst(*m_backend, m_dir.path(), consoleOptions.bridge);
        m_console = std::make_unique<Console>(std::move(consoleOptions));
        m_console->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_console->bridge()->loaded(), 15000);
    }

    void cleanupTestCase()
    {
        m_console.reset(); // the bridge first, then the services it talks to
        m_backend->stop();
    }

    void theListHasTheDemoOwnersAndTheirStanding()
    {
        QVERIFY(!m_console->accounts()->loaded());
        m_console->refreshAccounts();
        QTRY_VERIFY_WITH_TIMEOUT(m_console->accounts()->loaded(), 10000);
        QCOMPARE(m_console->accounts()->rowCount(), 50);
        QCOMPARE(m_console->accounts()->total(), 50);
        QCOMPARE(m_console->accounts()->suspendedCount(), 4); // the demo data's
        QVERIFY(account("owner-001")->active);
        QCOMPARE(account("owner-001")->name, QString("Amelia Hartley"));
        QVERIFY(!account("owner-007")->active);
        QCOMPARE(account("owner-007")->suspensionReason, QString("payment overdue"));
        m_console->accountFilter()->setSuspendedOnly(true);
        QCOMPARE(m_console->accountFilter()->count(), 4);
        m_console->accountFilter()->setSuspendedOnly(false);
    }

    void aSupervisorSuspendsWithAReasonAndTheLogSaysWho()
    {
        QVERIFY(m_console->signIn(QStringLiteral("tess"), test::kTestPassword)); // a supervisor
        m_console->selectAccount(QStringLiteral("owner-001"));
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        m_console->suspendAccount(QStringLiteral("owner-001"), QStringLiteral("  chargeback on 3 orders "));
        const QVariantList suspended = outcome(finished, QStringLiteral("suspend"));
        QVERIFY(!suspended.isEmpty());
        QVERIFY2(suspended[0].toBool(), qPrintable(suspended[1].toString()));
        QCOMPARE(suspended[1].toString(),
            QString("owner-001 (Amelia Hartley) is suspended: chargeback on 3 orders")); // the reply's state
        QCOMPARE(m_console->statusTone(), QString("ok"));
        QVERIFY(!account("owner-001")->active); // the row, from the reply
        // The log as Account.Get reads it after the change.
        QTRY_COMPARE_WITH_TIMEOUT(changeAt(0, AccountChangeModel::ActionRole), QString("suspend"), 10000);
        QCOMPARE(m_console->accountChanges()->ownerId(), QString("owner-001"));
        QCOMPARE(changeAt(0, AccountChangeModel::UserNameRole), QString("tess"));
        QCOMPARE(changeAt(0, AccountChangeModel::RoleRole), QString("supervisor"));
        QCOMPARE(changeAt(0, AccountChangeModel::ReasonRole), QString("chargeback on 3 orders"));
        QTRY_COMPARE_WITH_TIMEOUT(m_console->accounts()->suspendedCount(), 5, 10000); // the reload after it

        finished.clear();
        m_console->reinstateAccount(QStringLiteral("owner-001"));
        const QVariantList reinstated = outcome(finished, QStringLiteral("reinstate"));
        QVERIFY(!reinstated.isEmpty());
        QVERIFY2(reinstated[0].toBool(), qPrintable(reinstated[1].toString()));
        QCOMPARE(reinstated[1].toString(), QString("owner-001 (Amelia Hartley) is active"));
        QVERIFY(account("owner-001")->active);
        QTRY_COMPARE_WITH_TIMEOUT(changeAt(0, AccountChangeModel::ActionRole), QString("reinstate"), 10000);
        QCOMPARE(changeAt(1, AccountChangeModel::ActionRole), QString("suspend")); // newest first
        QTRY_COMPARE_WITH_TIMEOUT(m_console->accounts()->suspendedCount(), 4, 10000);
    }

    void aSuspensionWithoutAReasonIsRefusedBeforeSending()
    {
        QVERIFY(m_console->signIn(QStringLiteral("tess"), test::kTestPassword));
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        m_console->suspendAccount(QStringLiteral("owner-002"), QStringLiteral("   "));
        const QVariantList refused = outcome(finished, QStringLiteral("suspend"));
        QVERIFY(!refused.isEmpty());
        QVERIFY(!refused[0].toBool());
        QCOMPARE(refused[2].toString(), QString("reason"));
        QVERIFY(account("owner-002")->active);
    }

    void aDispatcherIsRefusedByTheAccountService()
    {
        QVERIFY(m_console->signIn(QStringLiteral("dana"), test::kTestPassword)); // a dispatcher
        m_console->selectAccount(QStringLiteral("owner-002"));
        QSignalSpy finished(m_console.get(), &Console::actionFinished);
        m_console->suspendAccount(QStringLiteral("owner-002"), QStringLiteral("fraud review"));
        const QVariantList refused = outcome(finished, QStringLiteral("suspend"));
        QVERIFY(!refused.isEmpty());
        QVERIFY(!refused[0].toBool());
        QVERIFY2(refused[1].toString().startsWith("permission_denied: "), qPrintable(refused[1].toString()));
        QCOMPARE(m_console->statusTone(), QString("error"));
        QVERIFY2(m_console->statusText().contains("permission_denied"), qPrintable(m_console->statusText()));
        // Read back from the service after the refusal: still active, nothing logged.
        QTRY_COMPARE_WITH_TIMEOUT(m_console->accountChanges()->ownerId(), QString("owner-002"), 10000);
        QVERIFY(account("owner-002")->active);
        for (int row = 0; row < m_console->accountChanges()->rowCount(); ++row)
            QVERIFY(changeAt(row, AccountChangeModel::ActionRole) != QLatin1String("suspend"));
    }

    void anOwnerFirstNamedByARequestIsListedAsRegisteredOnFirstUse()
    {
        QSignalSpy outcomes(m_console.get(), &Console::deliveryOutcome);
        QSignalSpy submitted(m_console.get(), &Console::deliverySubmitted);
        m_console->scheduleDelivery({{"ownerId", "myowner"}, {"pickupLocation", "47.6097,-122.3422"},
            {"dropOffLocation", "47.6205,-122.3493"}, {"size", "Small"}, {"weight", 1.5}});
        QVERIFY(submitted.wait(15000));
        const QString id = submitted.first().at(1).toString();
        // Its workflow's outcome: the Account step (which registers the owner) is behind it.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QList<QVariant> &args : outcomes)
                    if (args.at(1).toString() == id && args.at(2).toString() != QLatin1String("pending"))
                        return true;
                return false;
            }(),
            20000);
        m_console->refreshAccounts();
        QTRY_VERIFY_WITH_TIMEOUT(account("myowner"), 10000);
        QVERIFY(account("myowner")->registeredOnFirstUse);
        QVERIFY(account("myowner")->active);
        QCOMPARE(m_console->accounts()->total(), 51);
        m_console->selectAccount(QStringLiteral("myowner"));
        QTRY_COMPARE_WITH_TIMEOUT(m_console->accountChanges()->rowCount(), 1, 10000);
        QCOMPARE(changeAt(0, AccountChangeModel::ActionRole), QString("registered"));
    }
};

QTEST_MAIN(TestConsoleAccounts)
#include "tst_console_accounts.moc"
