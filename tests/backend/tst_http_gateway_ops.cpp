// Tests the HTTP gateway's access control, operations endpoints and WebSocket event feed.
#include "GatewayTestSupport.h"
#include "net/pubsub/Publisher.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

class TestHttpGatewayOps : public QObject
{
    Q_OBJECT

private slots:
    void tokensGateEveryRequestByRole()
    {
        Fixture f(true, 1000, "tok-d dispatcher alice\ntok-s supervisor bob\n# ops\ntok-a admin root\n");
        const Response none = f.post("/api/deliveryrequests", validBody());
        QCOMPARE(none.status, 401);
        QCOMPARE(none.json.value("error").toString(), QString("UNAUTHENTICATED"));
        QCOMPARE(none.headers.value("www-authenticate"), QByteArray("Bearer"));
        QCOMPARE(f.post("/api/deliveryrequests", validBody(), bearer("wrong")).status, 401);
        QCOMPARE(f.send("GET", "/api/nothing").status, 401); // unknown routes don't leak without a token
        QCOMPARE(f.send("GET", "/healthz").status, 200);     // probes stay open

        const Response accepted = f.post("/api/deliveryrequests", validBody(), bearer("tok-d"));
        QCOMPARE(accepted.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(1), 20000);
        QCOMPARE(f.scheduler->requests().front().requested_by(), std::string("dispatcher/alice"));

        const Response denied = f.post("/api/transactions/t-1/approve", {}, bearer("tok-d"));
        QCOMPARE(denied.status, 403);
        QCOMPARE(denied.json.value("error").toString(), QString("PERMISSION_DENIED"));
        // A supervisor passes the gateway; the Supervisor service is absent here, so 503.
        QCOMPARE(f.post("/api/transactions/t-1/approve", {}, bearer("tok-s")).status, 503);

        const QByteArray spec = "{\"spec\": \"drone=delay:50:200\"}";
        QCOMPARE(f.post("/api/faults", spec, bearer("tok-s")).status, 403);
        const Response added = f.post("/api/faults", spec, bearer("tok-a"));
        QCOMPARE(added.status, 200);
        QCOMPARE(added.json.value("rules").toArray().size(), 1);
        QCOMPARE(f.faults.rules().size(), std::size_t(1));
        const Response badSpec = f.post("/api/faults", "{\"spec\": \"drone=explode:50\"}", bearer("tok-a"));
        QCOMPARE(badSpec.status, 400);
        QCOMPARE(badSpec.json.value("field").toString(), QString("spec"));
        QCOMPARE(f.send("DELETE", "/api/faults", spec, bearer("tok-a")).status, 200);
        QVERIFY(f.faults.rules().empty());
    }

    void tokensAndAddressesAreCheckedBeforeListening()
    {
        QTemporaryDir dir;
        ServiceContext context;
        context.dataDir = dir.path().toStdString();
        HttpGateway gateway(context, nullptr);
        QString error;
        QCOMPARE(gateway.listen(QHostAddress::Any, 0, &error), quint16(0));
        QVERIFY2(error.contains("tokens"), qPrintable(error));

        const QString path = dir.filePath("tokens");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("tok-1 dispatcher\ntok-2 wizard merlin\n");
        file.close();
        QVERIFY(!gateway.loadTokens(path, &error));
        QVERIFY2(error.contains("line 2"), qPrintable(error));
        QVERIFY(!gateway.access().enabled());
        QVERIFY(!gateway.loadTokens(dir.filePath("missing"), &error));
        QVERIFY(!gateway.access().parse("# nothing\n\n", &error));
    }

    void tokensAreComparedByteForByte()
    {
        // Found by fuzz_tokens: bytes that are no UTF-8 decoded lossily to U+FFFD, so the
        // header token "tok\xfe" matched the file's "tok\xff".
        AccessControl access;
        QString error;
        QVERIFY(!access.parse("tok\xff dispatcher alice\n", &error));
        QVERIFY2(error.contains("line 1") && error.contains("UTF-8"), qPrintable(error));
        QVERIFY(!access.enabled());
        QVERIFY2(access.parse("tok-\xc3\xa9 dispatcher alice\ntok-\xef\xbf\xbd admin root\n", &error), qPrintable(error));
        QCOMPARE(access.authenticate("Bearer tok-\xc3\xa9")->user, QString("alice"));
        QVERIFY(!access.authenticate("Bearer tok-\xe9")); // Latin-1 is not the UTF-8 token
        QVERIFY(!access.authenticate("Bearer tok-\xff")); // would decode to the U+FFFD token
        QCOMPARE(access.authenticate("Bearer tok-\xef\xbf\xbd")->user, QString("root"));
        // A sequence cut off at the end is no token either (it decoded to the text before it).
        QVERIFY(access.parse("s3cret dispatcher alice\n", &error));
        QVERIFY(!access.authenticate("Bearer s3cret\xc3"));
        QVERIFY(!access.parse("s3cret\xc3 dispatcher alice\n", &error));
    }

    void probesMetricsAndServices()
    {
        Fixture f;
        QCOMPARE(f.post("/api/deliveryrequests", validBody()).status, 202);
        const Response health = f.send("GET", "/healthz");
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json.value("status").toString(), QString("ok"));
        QCOMPARE(f.send("GET", "/readyz").status, 200);

        const Response metrics = f.send("GET", "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
        QVERIFY(metrics.body.contains("dd_ingestion_backlog{service=\"ingestion\"}"));
        QVERIFY(metrics.body.contains("dd_ingestion_accepted_total"));

        const Response services = f.send("GET", "/api/services");
        QCOMPARE(services.status, 200);
        QCOMPARE(services.json.value("ingestion").toObject().value("accepted").toInt(), 1);
        bool ingestionListed = false;
        for (const auto &service : services.json.value("services").toArray()) {
            const QJsonObject s = service.toObject();
            QVERIFY(QStringList({"healthy", "degraded", "failing", "idle"}).contains(s.value("health").toString()));
            ingestionListed |= s.value("name").toString() == "ingestion" && s.value("health").toString() == "healthy";
        }
        QVERIFY(ingestionListed);
        QVERIFY(services.json.value("routes").isArray());

        f.ingestion->stop();
        QCOMPARE(f.send("GET", "/readyz").status, 503);
        const Response stopped = f.post("/api/deliveryrequests", validBody());
        QCOMPARE(stopped.status, 503);
        QCOMPARE(stopped.json.value("error").toString(), QString("UNAVAILABLE"));
    }

    void routeHealthFollowsTheErrorRate()
    {
        QCOMPARE(ServicesReport::health(0, 0), QString("idle"));
        QCOMPARE(ServicesReport::health(10000, 10), QString("healthy"));  // exactly 0.1 %
        QCOMPARE(ServicesReport::health(10000, 11), QString("degraded"));
        QCOMPARE(ServicesReport::health(100, 10), QString("degraded"));   // exactly 10 %
        QCOMPARE(ServicesReport::health(100, 11), QString("failing"));
    }

    void eventsReachWebSocketClients()
    {
        Fixture f;
        net::PublisherOptions lossless;
        net::Publisher deliveries("delivery", f.context.endpoints.endpoint("delivery.events"), lossless);
        net::PublisherOptions conflate;
        conflate.policy = net::HwmPolicy::Conflate;
        net::Publisher telemetry("drone", f.context.endpoints.endpoint("drone.telemetry"), conflate);

        QWebSocket client;
        QStringList received;
        connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) { received.append(text); });
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events").arg(f.port)));
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 20000);
        QCOMPARE(QJsonDocument::fromJson(received.first().toUtf8()).object().value("type").toString(),
                 QString("Subscribed"));
        QCOMPARE(f.gateway->webSocketClients(), 1);

        const auto typesReceived = [&](const QString &type) {
            QList<QJsonObject> out;
            for (const QString &text : received) {
                const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
                if (message.value("type").toString() == type)
                    out.append(message.value("data").toObject());
            }
            return out;
        };
        DeliveryEvent event;
        event.set_delivery_id("d-live");
        event.set_stage(STAGE_CREATED);
        // The subscription connects asynchronously: publish until the feed shows it.
        const auto publishCreated = [&] {
            deliveries.publish("delivery.d-live", "DeliveryCreated", event);
            return !typesReceived("DeliveryCreated").isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(publishCreated(), 20000);
        const QJsonObject created = typesReceived("DeliveryCreated").first();
        QCOMPARE(created.value("deliveryId").toString(), QString("d-live"));
        QCOMPARE(created.value("stage").toString(), QString("Created"));

        // Telemetry is throttled per drone: a burst arrives as (at most) a few updates, the last one included.
        DroneTelemetry position;
        position.set_drone_id("drone-1");
        const auto publishWarmup = [&] {
            position.set_latitude(1.0);
            telemetry.publish("telemetry.drone-1", "DroneTelemetry", position);
            return !typesReceived("DroneTelemetry").isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(publishWarmup(), 20000);
        const auto before = typesReceived("DroneTelemetry").size();
        for (int i = 1; i <= 100; ++i) {
            position.set_latitude(47.0 + i / 1000.0);
            telemetry.publish("telemetry.drone-1", "DroneTelemetry", position);
        }
        QTRY_VERIFY_WITH_TIMEOUT(typesReceived("DroneTelemetry").last().value("latitude").toDouble() == 47.1, 20000);
        QVERIFY2(typesReceived("DroneTelemetry").size() - before < 10,
                 qPrintable(QString::number(typesReceived("DroneTelemetry").size() - before)));

        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(f.gateway->webSocketClients(), 0, 20000);
    }

    void webSocketsAreRefusedOnOtherPathsAndWithoutTokens()
    {
        Fixture f(true, 1000, "tok-d dispatcher alice\n");
        // Only /api/events upgrades: anything else is a plain 404 and the socket never opens.
        QWebSocket wrongPath;
        QSignalSpy wrongClosed(&wrongPath, &QWebSocket::disconnected);
        wrongPath.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/nothing?access_token=tok-d").arg(f.port)));
        QTRY_VERIFY_WITH_TIMEOUT(wrongClosed.count() > 0, 20000);
        QCOMPARE(f.gateway->webSocketClients(), 0);
        // Without an upgrade, /api/events says so.
        QCOMPARE(f.send("GET", "/api/events", {}, bearer("tok-d")).status, 426);

        QWebSocket noToken;
        QSignalSpy noTokenClosed(&noToken, &QWebSocket::disconnected);
        noToken.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events").arg(f.port)));
        QTRY_VERIFY_WITH_TIMEOUT(noTokenClosed.count() > 0, 20000);
        QCOMPARE(int(noToken.closeCode()), 4401);

        QWebSocket withToken;
        QStringList received;
        connect(&withToken, &QWebSocket::textMessageReceived, this, [&](const QString &text) { received.append(text); });
        withToken.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events?access_token=tok-d").arg(f.port)));
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 20000);
        QCOMPARE(f.gateway->webSocketClients(), 1);
    }
};

QTEST_MAIN(TestHttpGatewayOps)
#include "tst_http_gateway_ops.moc"
