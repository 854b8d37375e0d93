// drone-chaos's fault draws: every rule is a spec the backend accepts, fatal faults only hit forward steps.
#include <QtTest>

#include "FaultSchedule.h"
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
            for (const QString &rule : schedule.draw()) {
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
