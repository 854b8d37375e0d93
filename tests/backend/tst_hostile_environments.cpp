// A real drone-backend on a hostile disk: full (a tmpfs of its own), read-only, corrupt or truncated store files.
#include "SmallDisk.h"

#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>

using dd::backend::test::SmallDisk;

namespace {
struct HttpAnswer
{
    int status = 0;
    QJsonObject json;
    QByteArray retryAfter;
};
} // namespace

class TestHostileEnvironments : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

    /// Starts drone-backend on `dataDir` with the gateway on a port of its own; the base URL, or empty if it exited.
    QUrl start(QProcess &backend, const QString &dataDir, QByteArray *errors = nullptr)
    {
        backend.setProcessChannelMode(QProcess::SeparateChannels);
        backend.start(DRONE_BACKEND_PATH, {"--data-dir", dataDir, "--http", "0", "--fleet", "5", "--time-scale", "100"});
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000) {
            out += backend.readAllStandardOutput();
            const int at = out.indexOf("listening http://");
            if (at >= 0 && out.indexOf('\n', at) > at)
                return QUrl(QString::fromUtf8(out.mid(at + 10, out.indexOf('\n', at) - at - 10)).trimmed());
            if (backend.state() == QProcess::NotRunning)
                break;
            backend.waitForReadyRead(200);
        }
        backend.waitForFinished(10000);
        if (errors)
            *errors = backend.readAllStandardError();
        return {};
    }

    /// Runs drone-backend on `dataDir` expecting it to refuse to start: its exit code and stderr.
    std::pair<int, QByteArray> startRefused(const QString &dataDir)
    {
        QProcess backend;
        QByteArray errors;
        const QUrl url = start(backend, dataDir, &errors);
        if (!url.isEmpty()) {
            stop(backend);
            return {0, "it started"};
        }
        return {backend.exitStatus() == QProcess::CrashExit ? -1 : backend.exitCode(), errors};
    }

    static bool stop(QProcess &backend)
    {
        ::kill(pid_t(backend.processId()), SIGTERM);
        return backend.waitForFinished(30000) && backend.exitStatus() == QProcess::NormalExit && backend.exitCode() == 0;
    }

    HttpAnswer send(const QByteArray &verb, const QUrl &url, const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        HttpAnswer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.retryAfter = reply->rawHeader("Retry-After");
        answer.json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return answer;
    }

    HttpAnswer post(const QUrl &base, const QString &packageId)
    {
        const QByteArray body = QJsonDocument(QJsonObject{
            {"ownerId", "owner-001"}, {"pickupLocation", "47.61,-122.34"}, {"dropOffLocation", "47.62,-122.35"},
            {"pickupTime", "2026-11-26T10:00:00Z"}, {"deadline", "soon"}, {"expedited", false},
            {"confirmationRequired", "None"},
            {"packageInfo", QJsonObject{{"packageId", packageId}, {"size", "Small"}, {"weight", 2}}}}).toJson();
        return send("POST", base.resolved(QUrl("/api/deliveryrequests")), body);
    }

    QString stageOf(const QUrl &base, const QString &id)
    {
        const HttpAnswer answer = send("GET", base.resolved(QUrl("/api/deliveries/" + id)));
        return answer.status == 200 ? answer.json.value("stage").toString() : QString("HTTP %1").arg(answer.status);
    }

    /// A data dir with every store written once (one delivery flown), the backend stopped cleanly.
    void makeStores(const QString &dataDir)
    {
        QProcess backend;
        const QUrl base = start(backend, dataDir);
        QVERIFY(!base.isEmpty());
        const HttpAnswer accepted = post(base, "p-seed");
        QCOMPARE(accepted.status, 202);
        const QString id = accepted.json.value("deliveryId").toString();
        // Placed (past Requested): every service on the way has written its store.
        QTRY_VERIFY_WITH_TIMEOUT(stageOf(base, id) != "Requested" && !stageOf(base, id).startsWith("HTTP"), 30000);
        QVERIFY(stop(backend));
    }

private slots:
    void aFullDiskIsA503ThenFreedSpaceHealsItWithoutARestart()
    {
        SmallDisk disk(48 * 1024 * 1024);
        if (!disk.available())
            QSKIP(qPrintable("needs a tmpfs of its own (run as root): " + disk.why()));
        const QString data = disk.filePath("data");
        QProcess backend;
        QUrl base = start(backend, data);
        QVERIFY(!base.isEmpty());
        QStringList accepted;
        for (int i = 0; i < 3; ++i) {
            const HttpAnswer answer = post(base, QString("before-%1").arg(i));
            QCOMPARE(answer.status, 202);
            accepted << answer.json.value("deliveryId").toString();
        }

        // Full: every write either still fits (202: stored) or is refused with 503 and Retry-After; no crash.
        QVERIFY(disk.fill() > 0);
        int refused = 0;
        for (int i = 0; i < 20 && refused == 0; ++i) {
            const HttpAnswer answer = post(base, QString("full-%1").arg(i));
            QVERIFY2(answer.status == 202 || answer.status == 503, qPrintable(QString::number(answer.status)));
            if (answer.status == 202) {
                accepted << answer.json.value("deliveryId").toString();
            } else {
                ++refused;
                QVERIFY(!answer.retryAfter.isEmpty());
            }
        }
        QVERIFY2(refused > 0, "a full disk never refused a write");
        QCOMPARE(backend.state(), QProcess::Running);
        QCOMPARE(send("GET", base.resolved(QUrl("/api/deliveries/" + accepted.front()))).status, 200); // reads go on

        // Space freed: writes are accepted again by the same process.
        disk.freeSpace();
        QTRY_COMPARE_WITH_TIMEOUT(post(base, "after-0").status, 202, 30000);
        // Nothing accepted is lost, and the workflows the full disk held up go on to their drones.
        for (const QString &id : accepted)
            QTRY_VERIFY2_WITH_TIMEOUT(stageOf(base, id).startsWith("Headed") || stageOf(base, id) == "Completed",
                                      qPrintable(id + ": " + stageOf(base, id)), 90000);
        QVERIFY(stop(backend));

        // And they are all still there after a restart on the same data.
        QProcess restarted;
        base = start(restarted, data);
        QVERIFY(!base.isEmpty());
        for (const QString &id : accepted)
            QCOMPARE(send("GET", base.resolved(QUrl("/api/deliveries/" + id))).status, 200);
        QVERIFY(stop(restarted));
    }

    void aReadOnlyDataDirIsAClearErrorAtStart()
    {
        SmallDisk disk(16 * 1024 * 1024);
        if (!disk.available())
            QSKIP(qPrintable("needs a tmpfs of its own (run as root): " + disk.why()));
        // Stores that exist, on a file system that is now read-only (root cannot write there either).
        makeStores(disk.filePath("data"));
        QVERIFY2(disk.setReadOnly(true), qPrintable(disk.why()));
        auto [code, errors] = startRefused(disk.filePath("data"));
        QVERIFY2(code > 0, errors.constData());
        QVERIFY2(errors.contains(disk.filePath("data").toUtf8() + "/") && errors.contains(".sqlite"), errors.constData());
        QVERIFY2(errors.contains("read-only") || errors.contains("readonly"), errors.constData());
        // An empty, read-only data dir: the same, naming the first file it cannot create.
        QVERIFY(disk.setReadOnly(false));
        QVERIFY(QDir().mkpath(disk.filePath("empty")));
        QVERIFY(disk.setReadOnly(true));
        std::tie(code, errors) = startRefused(disk.filePath("empty"));
        QVERIFY2(code > 0, errors.constData());
        QVERIFY2(errors.contains(disk.filePath("empty").toUtf8()), errors.constData());
        // Writable again: it starts, on the stores it had.
        QVERIFY(disk.setReadOnly(false));
        QProcess backend;
        QVERIFY(!start(backend, disk.filePath("data")).isEmpty());
        QVERIFY(stop(backend));
    }

    void aCorruptOrTruncatedStoreIsAClearErrorAtStart_data()
    {
        QTest::addColumn<QString>("store");
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("garbage header") << "delivery" << "garbage" << QByteArray("not a database");
        QTest::newRow("truncated") << "supervisor" << "truncate" << QByteArray("truncated");
        QTest::newRow("truncated outbox") << "ingestion" << "truncate" << QByteArray("truncated");
        QTest::newRow("empty file") << "account" << "empty" << QByteArray();
    }

    void aCorruptOrTruncatedStoreIsAClearErrorAtStart()
    {
        QFETCH(QString, store);
        QFETCH(QString, damage);
        QFETCH(QByteArray, expected);
        QTemporaryDir dir;
        const QString data = dir.filePath("data");
        makeStores(data);
        const QString file = data + "/" + store + ".sqlite";
        QVERIFY2(QFile::exists(file), qPrintable(file));
        QVERIFY(!QFile::exists(file + "-wal")); // a clean stop checkpointed it
        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        if (damage == "garbage") {
            damaged.write(QByteArray(100, '\x5a'));
        } else if (damage == "truncate") {
            QVERIFY(damaged.size() > 2 * 4096);
            QVERIFY(damaged.resize(damaged.size() / 2));
        } else {
            QVERIFY(damaged.resize(0));
        }
        damaged.close();
        if (damage == "empty") {
            // An empty file is a new, empty store to SQLite: it starts, and the service creates its tables.
            QProcess backend;
            QVERIFY(!start(backend, data).isEmpty());
            QVERIFY(stop(backend));
            return;
        }
        const auto [code, errors] = startRefused(data);
        QVERIFY2(code > 0, errors.constData());
        QVERIFY2(errors.contains(file.toUtf8()), errors.constData());
        QVERIFY2(errors.contains(expected), errors.constData());
    }
};

QTEST_GUILESS_MAIN(TestHostileEnvironments)
#include "tst_hostile_environments.moc"
