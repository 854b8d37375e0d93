// Runs the real drone-console offscreen: --screenshot writes a PNG, --measure-fps prints one JSON line, both exit 0.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestConsoleApp : public QObject
{
    Q_OBJECT

    static QProcessEnvironment offscreen()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

private slots:
    void aScreenshotIsSavedAndTheAppExitsCleanly()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("console.png"));
        QProcess console;
        console.setProcessEnvironment(offscreen());
        console.start(QStringLiteral(DRONE_CONSOLE_PATH), {"--data-dir", dir.filePath("data"), "--fleet", "20",
                                                           "--screenshot", png, "--after", "2"});
        QVERIFY(console.waitForFinished(60000));
        const QByteArray errors = console.readAllStandardError();
        QVERIFY2(console.exitStatus() == QProcess::NormalExit && console.exitCode() == 0, errors.constData());
        QCOMPARE(console.readAllStandardOutput(), QByteArray()); // nothing but the PNG
        QVERIFY(errors.contains("stopped cleanly"));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 500);
        // A fresh data dir was seeded with demo deliveries through Ingestion.
        QVERIFY(QFileInfo::exists(dir.filePath("data/ingestion.sqlite")));
    }

    void measureFpsPrintsOneJsonLine()
    {
        QTemporaryDir dir;
        QProcess console;
        console.setProcessEnvironment(offscreen());
        console.start(QStringLiteral(DRONE_CONSOLE_PATH),
                      {"--data-dir", dir.filePath("data"), "--fleet", "30", "--measure-fps", "1"});
        QVERIFY(console.waitForFinished(60000));
        QVERIFY2(console.exitCode() == 0, console.readAllStandardError().constData());
        const QByteArray out = console.readAllStandardOutput();
        QCOMPARE(out.count('\n'), 1);
        const QJsonObject result = QJsonDocument::fromJson(out).object();
        QVERIFY2(result.value("fps").toDouble() > 0, out.constData());
        QCOMPARE(result.value("drones").toInt(), 30);
    }

    void aBadCommandLineIsRefusedWithoutAWindow()
    {
        QProcessEnvironment noDisplay = QProcessEnvironment::systemEnvironment();
        noDisplay.remove(QStringLiteral("QT_QPA_PLATFORM"));
        noDisplay.remove(QStringLiteral("DISPLAY"));
        noDisplay.remove(QStringLiteral("WAYLAND_DISPLAY"));
        QProcess console;
        console.setProcessEnvironment(noDisplay);
        console.start(QStringLiteral(DRONE_CONSOLE_PATH), {"--role", "boss"});
        QVERIFY(console.waitForFinished(10000));
        QCOMPARE(console.exitCode(), 2);
        QVERIFY(console.readAllStandardError().contains("--role"));
    }
};

QTEST_GUILESS_MAIN(TestConsoleApp)
#include "tst_console_app.moc"
