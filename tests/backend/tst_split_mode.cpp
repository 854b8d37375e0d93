// Split mode: two drone-backend processes, services spread across them, talking over tcp with CURVE.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>

class TestSplitMode : public QObject
{
    Q_OBJECT

    /// Distinct free ports: every probe stays bound until all are chosen, so the
    /// kernel cannot hand out the same port twice.
    static QList<int> freePorts(int count)
    {
        std::vector<std::unique_ptr<QTcpServer>> probes;
        QList<int> ports;
        for (int i = 0; i < count; ++i) {
            probes.push_back(std::make_unique<QTcpServer>());
            probes.back()->listen(QHostAddress::LocalHost, 0);
            ports.append(probes.back()->serverPort());
        }
        return ports; // released here; the backends bind them next
    }

    static bool waitForLine(QProcess &process, const QString &prefix, QString *line, int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            while (process.canReadLine()) {
                const QString text = QString::fromUtf8(process.readLine()).trimmed();
                if (text.startsWith(prefix)) {
                    *line = text;
                    return true;
                }
            }
            if (process.state() == QProcess::NotRunning)
                return false;
            process.waitForReadyRead(200);
        }
        return false;
    }

    QNetworkReply *send(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url, const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        return nam.sendCustomRequest(request, verb, body);
    }

    static int statusOf(QNetworkReply *reply)
    {
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    /// Starts a drone-backend; false (and `portTaken` when that was why) if it did not get ready.
    bool startBackend(QProcess &process, const QStringList &arguments, const QString &readyPrefix, QString *line)
    {
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start(DRONE_BACKEND_PATH, arguments);
        if (waitForLine(process, readyPrefix, line, 30000))
            return true;
        const QByteArray error = process.readAllStandardError();
        process.waitForFinished(10000);
        m_portTaken = error.contains("Address already in use");
        if (!m_portTaken)
            qWarning("%s", error.constData());
        return false;
    }

    QJsonObject getJson(QNetworkAccessManager &nam, const QUrl &url, int *status)
    {
        QNetworkReply *get = send(nam, "GET", url);
        QSignalSpy finished(get, &QNetworkReply::finished);
        if (!get->isFinished())
            finished.wait(10000);
        *status = statusOf(get);
        const QJsonObject json = QJsonDocument::fromJson(get->readAll()).object();
        get->deleteLater();
        return json;
    }

    QString postDelivery(QNetworkAccessManager &nam, const QUrl &base, const QString &packageId)
    {
        const QByteArray body = QJsonDocument(QJsonObject{
            {"ownerId", "owner-001"}, {"pickupLocation", "47.61,-122.34"}, {"dropOffLocation", "47.62,-122.35"},
            {"pickupTime", "2026-11-26T10:00:00Z"}, {"deadline", "soon"}, {"expedited", false},
            {"confirmationRequired", "None"},
            {"packageInfo", QJsonObject{{"packageId", packageId}, {"size", "Small"}, {"weight", 2}}}}).toJson();
        QNetworkReply *post = send(nam, "POST", base.resolved(QUrl("/api/deliveryrequests")), body);
        QSignalSpy finished(post, &QNetworkReply::finished);
        if (!post->isFinished())
            finished.wait(20000);
        const int status = statusOf(post);
        const QString id = QJsonDocument::fromJson(post->readAll()).object().value("deliveryId").toString();
        post->deleteLater();
        return status == 202 ? id : QString();
    }

    /// Placed: a drone (or a carrier) has it, past Requested.
    bool placed(QNetworkAccessManager &nam, const QUrl &base, const QString &id)
    {
        int status = 0;
        const QJsonObject delivery = getJson(nam, base.resolved(QUrl("/api/deliveries/" + id)), &status);
        return status == 200 && !delivery.value("droneId").toString().isEmpty();
    }

    QString writeEndpoints(const QTemporaryDir &dir)
    {
        QJsonObject services;
        const QList<int> ports = freePorts(12);
        int next = 0;
        for (const char *name : {"account", "package", "thirdparty", "drone", "deliveryhistory", "delivery", "supervisor",
                                 "scheduler", "ingestion", "drone.telemetry", "delivery.events", "supervisor.events"})
            services.insert(name, QString("tcp://127.0.0.1:%1").arg(ports[next++]));
        QFile endpoints(dir.filePath("endpoints.json"));
        if (!endpoints.open(QIODevice::WriteOnly))
            qFatal("cannot write the endpoint table");
        endpoints.write(QJsonDocument(QJsonObject{{"keysDir", "keys"}, {"services", services}}).toJson());
        endpoints.close();
        // The administrator's step: processes only load keys, none admits itself.
        QProcess admin;
        admin.start(DRONE_BACKEND_PATH, {"--endpoints", endpoints.fileName(), "--keys-init", "--authorize-client",
                                         "fleet", "--authorize-client", "front"});
        if (!admin.waitForFinished(30000) || admin.exitCode() != 0)
            qFatal("--keys-init failed: %s", admin.readAllStandardError().constData());
        return endpoints.fileName();
    }

    QStringList fleetArguments(const QTemporaryDir &dir, const QString &endpoints)
    {
        return {"--data-dir", dir.filePath("fleet"), "--endpoints", endpoints, "--client-name", "fleet", "--services",
                "account,package,thirdparty,drone,deliveryhistory,delivery,supervisor", "--fleet", "10",
                "--time-scale", "50"};
    }

    /// The services' process, then the front (Scheduler, Ingestion, HTTP); false when either did not start.
    bool startPair(const QTemporaryDir &dir, const QString &endpoints, QProcess &fleet, QProcess &front, QUrl *base)
    {
        QString line;
        if (!startBackend(fleet, fleetArguments(dir, endpoints), "ready", &line))
            return false;
        if (!startBackend(front, {"--data-dir", dir.filePath("front"), "--endpoints", endpoints, "--client-name",
                                  "front", "--services", "scheduler,ingestion", "--http", "0"},
                          "listening http://127.0.0.1:", &line)) {
            ::kill(pid_t(fleet.processId()), SIGTERM);
            fleet.waitForFinished(10000);
            return false;
        }
        *base = QUrl(line.section(' ', 1));
        return true;
    }

    /// Another test may take one of the chosen ports between probe and bind: a failure
    /// to bind is retried with new ports, anything else fails the test.
    template <typename Run>
    void withFreePorts(Run run)
    {
        for (int attempt = 1; attempt <= 3; ++attempt) {
            m_portTaken = false;
            (this->*run)();
            if (!m_portTaken || QTest::currentTestFailed())
                return;
            qInfo("a chosen port was taken meanwhile; trying again with new ones");
        }
        QFAIL("three sets of free ports were taken before the backends could bind them");
    }

private slots:
    void servicesInTwoProcessesServeOneWorkflow() { withFreePorts(&TestSplitMode::runSplitDeployment); }
    void anOutageOfTheServicesDelaysButFailsNothing() { withFreePorts(&TestSplitMode::runOutage); }

private:
    bool m_portTaken = false;

    void runSplitDeployment()
    {
        QTemporaryDir dir;
        const QString endpoints = writeEndpoints(dir);
        QProcess fleet, front;
        QUrl base;
        if (!startPair(dir, endpoints, fleet, front, &base)) {
            QVERIFY(m_portTaken);
            return;
        }

        QNetworkAccessManager nam;
        const QString id = postDelivery(nam, base, "split-1");
        QVERIFY(!id.isEmpty());
        // Known at once (Requested), then placed: the workflow crosses the process boundary both ways.
        int status = 0;
        getJson(nam, base.resolved(QUrl("/api/deliveries/" + id)), &status);
        QCOMPARE(status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(placed(nam, base, id), 30000);

        // SIGTERM: both stop cleanly.
        ::kill(pid_t(front.processId()), SIGTERM);
        ::kill(pid_t(fleet.processId()), SIGTERM);
        QVERIFY(front.waitForFinished(20000));
        QVERIFY(fleet.waitForFinished(20000));
        QCOMPARE(front.exitStatus(), QProcess::NormalExit);
        QCOMPARE(front.exitCode(), 0);
        QCOMPARE(fleet.exitCode(), 0);
    }

    /// H2 of the API probe: requests accepted while the services' process is down wait
    /// for it (Requested, with why) and are scheduled once it is back; none fails.
    void runOutage()
    {
        QTemporaryDir dir;
        const QString endpoints = writeEndpoints(dir);
        QProcess fleet, front;
        QUrl base;
        if (!startPair(dir, endpoints, fleet, front, &base)) {
            QVERIFY(m_portTaken);
            return;
        }
        QNetworkAccessManager nam;
        const QString warm = postDelivery(nam, base, "outage-0");
        QTRY_VERIFY_WITH_TIMEOUT(placed(nam, base, warm), 30000);

        ::kill(pid_t(fleet.processId()), SIGKILL); // the services' host goes away
        QVERIFY(fleet.waitForFinished(10000));
        QStringList ids;
        for (int i = 1; i <= 5; ++i) {
            const QString id = postDelivery(nam, base, QString("outage-%1").arg(i));
            QVERIFY2(!id.isEmpty(), "Ingestion keeps accepting while the services are down");
            ids << id;
        }
        // The Scheduler holds them and says why they wait.
        auto waiting = [&] {
            int status = 0;
            const QJsonObject delivery = getJson(nam, base.resolved(QUrl("/api/deliveries/" + ids.last())), &status);
            return status == 200 && delivery.value("stage").toString() == QLatin1String("Requested")
                && !delivery.value("waiting").toString().isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(waiting(), 20000);

        QProcess restarted;
        QString line;
        QVERIFY(startBackend(restarted, fleetArguments(dir, endpoints), "ready", &line));
        for (const QString &id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(placed(nam, base, id), 60000);
        int status = 0;
        const QJsonObject transactions = getJson(nam, base.resolved(QUrl("/api/transactions")), &status);
        QCOMPARE(status, 200);
        QCOMPARE(transactions.value("total").toInt(), 0);

        ::kill(pid_t(front.processId()), SIGTERM);
        ::kill(pid_t(restarted.processId()), SIGTERM);
        QVERIFY(front.waitForFinished(20000));
        QVERIFY(restarted.waitForFinished(20000));
    }
};

QTEST_GUILESS_MAIN(TestSplitMode)
#include "tst_split_mode.moc"
