// The real drone-backend logging JSON to a file: logrotate's rename + SIGHUP makes it write a new file.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {
/// The messages of the file's lines, each of which must be a JSON object.
QStringList messagesIn(const QString &path, bool *allJson)
{
    QFile file(path);
    QStringList messages;
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            *allJson = false;
        messages << doc.object().value("message").toString();
    }
    return messages;
}
} // namespace

class TestLogRotation : public QObject
{
    Q_OBJECT

private slots:
    void sighupReopensTheRenamedFile()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath("backend.log"), rotated = dir.filePath("backend.log.1");
        QProcess backend;
        backend.setProcessChannelMode(QProcess::SeparateChannels);
        backend.start(DRONE_BACKEND_PATH, {"--data-dir", dir.filePath("data"), "--fleet", "2", "--log-format", "json",
                                           "--log-file", log});
        QVERIFY(backend.waitForStarted(30000));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += backend.readAllStandardOutput()).contains("ready") || backend.state() != QProcess::Running,
                                 30000);
        QCOMPARE(backend.state(), QProcess::Running);
        bool allJson = true;
        QTRY_VERIFY_WITH_TIMEOUT(messagesIn(log, &allJson).contains("started"), 10000);

        QVERIFY(QFile::rename(log, rotated));
        QVERIFY(!QFile::exists(log));
        QCOMPARE(::kill(pid_t(backend.processId()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(messagesIn(log, &allJson).contains("log file reopened"), 10000);
        QCOMPARE(backend.state(), QProcess::Running); // SIGHUP did not end it

        backend.terminate(); // SIGTERM: a clean stop, logged after the reopen
        QVERIFY(backend.waitForFinished(30000));
        QCOMPARE(backend.exitStatus(), QProcess::NormalExit);
        QCOMPARE(backend.exitCode(), 0);
        const QStringList fresh = messagesIn(log, &allJson), old = messagesIn(rotated, &allJson);
        QVERIFY2(fresh.contains("stopping"), qPrintable(fresh.join(" | ")));
        QVERIFY(!fresh.contains("started"));
        QVERIFY(old.contains("started"));
        QVERIFY(!old.contains("log file reopened"));
        QVERIFY(!old.contains("stopping"));
        QVERIFY(allJson);
        // Nothing went to stderr as a log line: it all went to the files.
        QVERIFY(!backend.readAllStandardError().contains("\"message\""));
    }
};

QTEST_GUILESS_MAIN(TestLogRotation)
#include "tst_log_rotation.moc"
