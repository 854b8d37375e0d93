// drone-chaos's fault draws: every rule is a spec the backend accepts, fatal faults only hit forward steps.
#include <QtTest>

#include "FaultSchedule.h"
#include "SupervisorActor.h"
#include "net/resilience/FaultInjector.h"

using namespace dd::chaos;

class TestFaultSchedule : public QObject
{
    Q_OBJECT
private slots:
    void everyDrawnRuleParsesAndFatalFaultsSpareTheCompensations()
    {
        ChaosOptions options;
        BackendUnderChaos backend(options, "/nonexistent/drone-backend", QDir::tempPath()); // never started
        FaultSchedule schedule(backend, 1000, 42);
        QSet<QString> kinds;
        for (int draw = 0; draw < 300; ++draw) {
            for (const QString &rule : draw % 2 ? schedule.draw() : schedule.drawForLifetime()) {
                std::string why;
                const auto parsed = dd::net::parseFaultSpec(rule.toStdString(), &why);
                QVERIFY2(parsed, qPrintable(rule + ": " + QString::fromStdString(why)));
                kinds.insert(QString::fromLatin1(dd::net::toString(parsed->kind)));
                if (parsed->kind == dd::net::FaultKind::Fatal) {
                    // A fatal fault on what undoes a step would escalate it: the run could not tell
                    // a product failure from its own doing.
                    QVERIFY2(!parsed->method.empty(), qPrintable(rule));
                    for (const char *undo : {"Cancel", "Delete", "Get", "Report"})
                        QVERIFY2(parsed->method != undo, qPrintable(rule));
                }
                QVERIFY2(parsed->kind != dd::net::FaultKind::Crash, qPrintable(rule)); // kills are counted apart
            }
        }
        QCOMPARE(kinds, (QSet<QString>{"transient", "fatal", "delay"}));
    }

    void theLateForwardStepDrawsItsFatalFaultMostOften()
    {
        // delivery.Create fails after the drone took off or the carrier booked: the undo that
        // needs a supervisor. A short run has 2-4 draws, so it must come up in most draws.
        ChaosOptions options;
        BackendUnderChaos backend(options, "/nonexistent/drone-backend", QDir::tempPath());
        FaultSchedule schedule(backend, 1000, 3);
        const int draws = 4000;
        QHash<QString, int> fatal;
        for (int draw = 0; draw < draws; ++draw)
            for (const QString &rule : schedule.draw())
                if (rule.contains("=fatal:"))
                    ++fatal[rule.section('=', 0, 0)];
        const double late = fatal.value("delivery.Create") / double(draws);
        QVERIFY2(late > 0.55 && late < 0.65, qPrintable(QString::number(late)));
        for (const char *early : {"account.Check", "package.Create", "drone.Schedule", "thirdparty.Schedule"}) {
            const double share = fatal.value(early) / double(draws);
            QVERIFY2(share > 0.1 && share < 0.25, qPrintable(QStringLiteral("%1 %2").arg(early).arg(share)));
        }
        QCOMPARE(fatal.size(), 5); // every forward step can still fail

        // The first three draws of a run (its load) hold it for almost every seed.
        int runs = 0, withIt = 0;
        for (std::uint64_t seed = 1; seed <= 300; ++seed, ++runs) {
            FaultSchedule run(backend, 1000, seed * 31 + 7); // as ChaosRun seeds it
            bool found = false;
            for (int draw = 0; draw < 3 && !found; ++draw)
                found = run.draw().join(' ').contains("delivery.Create=fatal:");
            withIt += found;
        }
        QVERIFY2(withIt > runs * 0.88, qPrintable(QStringLiteral("%1 of %2").arg(withIt).arg(runs)));
    }

    void aSplitProcesssLifetimeRulesAlwaysHoldTheLateStep()
    {
        // A split process keeps its start's rules for the run: a draw without the late step
        // would be a whole run without a transaction awaiting approval.
        ChaosOptions options;
        BackendUnderChaos backend(options, "/nonexistent/drone-backend", QDir::tempPath());
        FaultSchedule schedule(backend, 1000, 5);
        QSet<QString> percents;
        for (int draw = 0; draw < 500; ++draw) {
            const QStringList rules = schedule.drawForLifetime();
            QStringList late;
            for (const QString &rule : rules)
                if (rule.startsWith("delivery.Create=fatal:"))
                    late.append(rule);
            QCOMPARE(late.size(), 1); // always in, never twice
            const int percent = late.first().section(':', 1).toInt();
            QVERIFY2(percent >= 1 && percent <= 5, qPrintable(late.first()));
            percents.insert(late.first());
        }
        QCOMPARE(percents.size(), 5); // its percent is still drawn
    }

    void theSupervisorDecidesInTheSharesAsked()
    {
        const int n = 6000;
        int approve = 0, reject = 0, leave = 0;
        for (int i = 0; i < n; ++i) {
            const QString id = QStringLiteral("d-%1:schedule").arg(i);
            const Decision d = SupervisorActor::choose(id, 0.4, 0.3, 7);
            QCOMPARE(SupervisorActor::choose(id, 0.4, 0.3, 7), d); // one transaction, one decision
            approve += d == Decision::Approve;
            reject += d == Decision::Reject;
            leave += d == Decision::Leave;
        }
        QVERIFY2(qAbs(approve / double(n) - 0.4) < 0.03, qPrintable(QString::number(approve)));
        QVERIFY2(qAbs(reject / double(n) - 0.3) < 0.03, qPrintable(QString::number(reject)));
        QVERIFY2(qAbs(leave / double(n) - 0.3) < 0.03, qPrintable(QString::number(leave)));
        int differ = 0; // another seed decides otherwise
        for (int i = 0; i < 200; ++i) {
            const QString id = QStringLiteral("d-%1:schedule").arg(i);
            differ += SupervisorActor::choose(id, 0.4, 0.3, 7) != SupervisorActor::choose(id, 0.4, 0.3, 8);
        }
        QVERIFY(differ > 50);
        for (int i = 0; i < 200; ++i) { // the edges: nobody decides, or everyone is approved
            const QString id = QStringLiteral("t-%1").arg(i);
            QCOMPARE(SupervisorActor::choose(id, 0, 0, 7), Decision::Leave);
            QCOMPARE(SupervisorActor::choose(id, 1, 0, 7), Decision::Approve);
            QCOMPARE(SupervisorActor::choose(id, 0, 1, 7), Decision::Reject);
        }
    }

    void theSameSeedDrawsTheSameRules()
    {
        ChaosOptions options;
        BackendUnderChaos backend(options, "/nonexistent/drone-backend", QDir::tempPath());
        FaultSchedule a(backend, 1000, 7), b(backend, 1000, 7), c(backend, 1000, 8);
        QList<QStringList> fromA, fromB, fromC;
        for (int i = 0; i < 20; ++i) {
            fromA.append(a.draw());
            fromB.append(b.draw());
            fromC.append(c.draw());
        }
        QCOMPARE(fromA, fromB);
        QVERIFY(fromA != fromC);
    }
};

QTEST_GUILESS_MAIN(TestFaultSchedule)
#include "tst_fault_schedule.moc"
