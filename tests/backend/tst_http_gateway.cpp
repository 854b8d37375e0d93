// Tests HttpGateway over real HTTP and WebSocket: accepts, replays, every bad input, tokens, probes, events.
#include "../net/RpcTestSupport.h"
#include "FakeScheduler.h"
#include "backend/gateway/HttpGateway.h"
#include "net/pubsub/Publisher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dronedelivery::v1;
using dd::backend::test::FakeScheduler;

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

QByteArray validBody()
{
    return QJsonDocument(QJsonObject{
                             {"ownerId", "owner-7"},
                             {"pickupLocation", "47.60,-122.33"},
                             {"dropOffLocation", "47.62,-122.30"},
                             {"pickupTime", "2026-03-20T12:00:00Z"},
                             {"deadline", "LinkedIn"},
                             {"expedited", true},
                             {"confirmationRequired", "fingerprint"},
                             {"packageInfo",
                              QJsonObject{{"packageId", "pkg-9"}, {"size", "LARGE"}, {"weight", 4.5}, {"tag", "fragile"}}},
                         })
        .toJson(QJsonDocument::Compact);
}

/// A gateway on 127.0.0.1:0 with a real Ingestion (and, unless told otherwise, the fake Scheduler).
struct Fixture
{
    QTemporaryDir dir;
    net::FaultInjector faults; // not the process-wide one: fault tests must not touch the other servers
    ServiceContext context;
    std::unique_ptr<FakeScheduler> scheduler;
    std::unique_ptr<IngestionService> ingestion;
    std::unique_ptr<HttpGateway> gateway;
    quint16 port = 0;
    QNetworkAccessManager network;

    explicit Fixture(bool withScheduler = true, std::uint64_t maxBacklog = 1000, const QByteArray &tokens = {})
    {
        context.dataDir = dir.path().toStdString();
        context.faults = &faults;
        const std::string schedulerEndpoint = net::test::uniqueEndpoint("scheduler");
        context.endpoints.add({"scheduler", schedulerEndpoint, "v1"});
        for (const char *name : {"delivery", "deliveryhistory", "supervisor", "drone", "delivery.events",
                                 "drone.telemetry", "supervisor.events"})
            context.endpoints.add({name, net::test::uniqueEndpoint(name), "v1"});
        if (withScheduler)
            scheduler = std::make_unique<FakeScheduler>(schedulerEndpoint);
        IngestionOptions options;
        options.maxBacklog = maxBacklog;
        options.stream.deadline = 300 * net::kMillis;
        ingestion = std::make_unique<IngestionService>(context, options);
        ingestion->start();
        GatewayOptions gatewayOptions;
        gatewayOptions.callDeadline = 300 * net::kMillis; // absent services answer 503 quickly
        gatewayOptions.telemetryInterval = 100 * net::kMillis;
        gateway = std::make_unique<HttpGateway>(context, ingestion.get(), gatewayOptions);
        if (!tokens.isEmpty()) {
            QString error;
            if (!gateway->access().parse(tokens, &error))
                qFatal("bad test tokens: %s", qPrintable(error));
        }
        QString error;
        port = gateway->listen(QHostAddress::LocalHost, 0, &error);
        if (!port)
            qFatal("gateway did not listen: %s", qPrintable(error));
    }
    ~Fixture()
    {
        gateway.reset();
        ingestion->stop();
    }

    QUrl url(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)); }

    Response send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(url(path));
        bool contentTypeSet = false;
        for (const auto &[name, value] : headers) {
            request.setRawHeader(name, value);
            contentTypeSet |= name.compare("Content-Type", Qt::CaseInsensitive) == 0;
        }
        if (!body.isEmpty() && !contentTypeSet)
            request.setRawHeader("Content-Type", "application/json");
        QNetworkReply *reply = network.sendCustomRequest(request, verb, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(20000))
            qFatal("no HTTP answer within 20 s for %s %s", verb.constData(), qPrintable(path));
        Response response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        response.json = QJsonDocument::fromJson(response.body).object();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            response.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return response;
    }

    Response post(const QString &path, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return send("POST", path, body, headers);
    }
};

QList<QPair<QByteArray, QByteArray>> bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}

} // namespace

class TestHttpGateway : public QObject
{
    Q_OBJECT

private slots:
    void aDeliveryRequestIsAcceptedWith202AndLocation()
    {
        Fixture f;
        const Response r = f.post("/api/deliveryrequests", validBody());
        QCOMPARE(r.status, 202);
        const QString id = r.json.value("deliveryId").toString();
        QVERIFY2(id.startsWith("d-") && id.size() == 14, qPrintable(id));
        QCOMPARE(r.headers.value("location"), ("/api/deliveries/" + id).toUtf8());
        QVERIFY(r.headers.value("content-type").startsWith("application/json"));
        QCOMPARE(r.json.value("ownerId").toString(), QString("owner-7"));
        QCOMPARE(r.json.value("dropOffLocation").toString(), QString("47.62,-122.30"));
        QCOMPARE(r.json.value("confirmationRequired").toString(), QString("FingerPrint"));
        QCOMPARE(r.json.value("packageInfo").toObject().value("size").toString(), QString("Large"));
        QCOMPARE(r.json.value("pickupTime").toString(), QString("2026-03-20T12:00:00Z"));

        // What travels to the Scheduler is what was posted.
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(1), 20000);
        const DeliveryRequest sent = f.scheduler->requests().front();
        QCOMPARE(QString::fromStdString(sent.delivery_id()), id);
        QCOMPARE(int(sent.operation()), int(SCHEDULE));
        QCOMPARE(sent.owner_id(), std::string("owner-7"));
        QCOMPARE(sent.pickup_location(), std::string("47.60,-122.33"));
        QCOMPARE(sent.dropoff_location(), std::string("47.62,-122.30"));
        QVERIFY(sent.expedited());
        QCOMPARE(int(sent.confirmation_required()), int(FINGERPRINT));
        QCOMPARE(sent.package_info().package_id(), std::string("pkg-9"));
        QCOMPARE(int(sent.package_info().size()), int(LARGE));
        QCOMPARE(sent.package_info().weight(), 4.5);
        QCOMPARE(sent.package_info().tag(), std::string("fragile"));
        QCOMPARE(sent.requested_by(), std::string("admin/local"));
    }

    void anIdempotencyKeyReplaysTheFirstAnswer()
    {
        Fixture f;
        const Response first = f.post("/api/deliveryrequests", validBody(), {{"Idempotency-Key", "order-1"}});
        const Response again = f.post("/api/deliveryrequests", validBody(), {{"Idempotency-Key", "order-1"}});
        const Response other = f.post("/api/deliveryrequests", validBody(), {{"Idempotency-Key", "order-2"}});
        QCOMPARE(first.status, 202);
        QCOMPARE(again.status, 202);
        QCOMPARE(again.json.value("deliveryId"), first.json.value("deliveryId"));
        QCOMPARE(again.headers.value("location"), first.headers.value("location"));
        QCOMPARE(again.headers.value("idempotent-replayed"), QByteArray("true"));
        QVERIFY(!first.headers.contains("idempotent-replayed"));
        QVERIFY(other.json.value("deliveryId") != first.json.value("deliveryId"));
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(2));
        QCOMPARE(f.ingestion->stats().replayed, std::uint64_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(2), 20000);
    }

    void theBindingIsAsLenientAsJackson()
    {
        Fixture f;
        // Unknown fields, "dropoffLocation", a numeric owner, string booleans and numbers, nothing optional.
        const QByteArray body = QJsonDocument(QJsonObject{
                                                  {"ownerId", 42},
                                                  {"dropoffLocation", "Space Needle"},
                                                  {"expedited", "TRUE"},
                                                  {"packageInfo", QJsonObject{{"weight", "2.5"}, {"size", "small"}}},
                                                  {"somethingNew", QJsonObject{{"x", 1}}},
                                              })
                                    .toJson();
        const Response r = f.post("/api/deliveryrequests", body, {{"Content-Type", "application/json; charset=utf-8"}});
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json.value("ownerId").toString(), QString("42"));
        QCOMPARE(r.json.value("dropoffLocation").toString(), QString("Space Needle"));
        QCOMPARE(r.json.value("expedited").toBool(), true);
        QCOMPARE(r.json.value("confirmationRequired").toString(), QString("None"));
        QCOMPARE(r.json.value("packageInfo").toObject().value("weight").toDouble(), 2.5);
        QCOMPARE(r.json.value("packageInfo").toObject().value("size").toString(), QString("Small"));
        QVERIFY(r.json.value("pickupTime").isNull());
    }

    void badInputIsRefusedPrecisely_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        const QByteArray json = "application/json";
        QTest::newRow("malformed JSON") << QByteArray("{\"ownerId\": ") << json << 400 << "BAD_REQUEST" << "";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << json << 400 << "BAD_REQUEST" << "";
        QTest::newRow("a bare string") << QByteArray("\"hello\"") << json << 400 << "BAD_REQUEST" << "";
        QTest::newRow("empty body") << QByteArray(" ") << json << 400 << "BAD_REQUEST" << "";
        QTest::newRow("no owner") << QByteArray("{\"pickupLocation\": \"a\"}") << json << 400 << "BAD_REQUEST"
                                  << "ownerId";
        QTest::newRow("owner is an object") << QByteArray("{\"ownerId\": {\"id\": 1}}") << json << 400 << "BAD_REQUEST"
                                            << "ownerId";
        QTest::newRow("pickup is an array") << QByteArray("{\"ownerId\": \"o\", \"pickupLocation\": [1]}") << json
                                            << 400 << "BAD_REQUEST" << "pickupLocation";
        QTest::newRow("expedited is not a boolean") << QByteArray("{\"ownerId\": \"o\", \"expedited\": \"yes\"}") << json
                                                    << 400 << "BAD_REQUEST" << "expedited";
        QTest::newRow("unknown confirmation") << QByteArray("{\"ownerId\": \"o\", \"confirmationRequired\": \"Retina\"}")
                                              << json << 400 << "BAD_REQUEST" << "confirmationRequired";
        QTest::newRow("packageInfo is a number") << QByteArray("{\"ownerId\": \"o\", \"packageInfo\": 5}") << json << 400
                                                 << "BAD_REQUEST" << "packageInfo";
        QTest::newRow("weight is text") << QByteArray("{\"ownerId\": \"o\", \"packageInfo\": {\"weight\": \"heavy\"}}")
                                        << json << 400 << "BAD_REQUEST" << "packageInfo.weight";
        QTest::newRow("negative weight") << QByteArray("{\"ownerId\": \"o\", \"packageInfo\": {\"weight\": -1}}") << json
                                         << 400 << "BAD_REQUEST" << "packageInfo.weight";
        QTest::newRow("unknown size") << QByteArray("{\"ownerId\": \"o\", \"packageInfo\": {\"size\": \"Huge\"}}") << json
                                      << 400 << "BAD_REQUEST" << "packageInfo.size";
        QTest::newRow("bad pickupTime") << QByteArray("{\"ownerId\": \"o\", \"pickupTime\": \"next tuesday\"}") << json
                                        << 400 << "BAD_REQUEST" << "pickupTime";
        QTest::newRow("text/plain") << validBody() << QByteArray("text/plain") << 415 << "UNSUPPORTED_MEDIA_TYPE" << "";
        QTest::newRow("form encoded") << validBody() << QByteArray("application/x-www-form-urlencoded") << 415
                                      << "UNSUPPORTED_MEDIA_TYPE" << "";
        QByteArray huge = "{\"ownerId\": \"o\", \"deadline\": \"" + QByteArray(1024 * 1024, 'x') + "\"}";
        QTest::newRow("over 1 MiB") << huge << json << 413 << "PAYLOAD_TOO_LARGE" << "";
    }

    void badInputIsRefusedPrecisely()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        Fixture f;
        const Response r = f.post("/api/deliveryrequests", body, {{"Content-Type", contentType}});
        QCOMPARE(r.status, status);
        QCOMPARE(r.json.value("error").toString(), code);
        QVERIFY(!r.json.value("message").toString().isEmpty());
        QCOMPARE(r.json.value("field").toString(), field);
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(0)); // nothing of it was stored
    }

    void theWireFormatIsPlainHttp11WithKeepAlive()
    {
        Fixture f;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, f.port);
        QVERIFY(socket.waitForConnected(20000));
        QByteArray received;
        const auto exchange = [&](const QByteArray &request, const QByteArray &until) {
            socket.write(request);
            QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains(until), 20000);
        };
        const QByteArray body = validBody();
        exchange("POST /api/deliveryrequests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body,
                 "\"deliveryId\"");
        QVERIFY2(received.startsWith("HTTP/1.1 202 "), received.constData());
        QVERIFY(received.contains("Location: /api/deliveries/d-"));
        const qsizetype headerEnd = received.indexOf("\r\n\r\n");
        const QByteArray json = received.mid(headerEnd + 4);
        QVERIFY(received.contains("Content-Length: " + QByteArray::number(json.size()) + "\r\n"));
        QVERIFY(QJsonDocument::fromJson(json).isObject());

        // The same connection serves the next request: a 204 without a body.
        received.clear();
        exchange("DELETE /api/deliveryrequests/d-abc HTTP/1.1\r\nHost: x\r\n\r\n", "\r\n\r\n");
        QVERIFY2(received.startsWith("HTTP/1.1 204 "), received.constData());
        QVERIFY(received.endsWith("\r\n\r\n"));
        QVERIFY(!received.contains("Content-Length"));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }

    void unknownRoutesAre404Json()
    {
        Fixture f;
        for (const auto &[verb, path] : QList<QPair<QByteArray, QString>>{{"GET", "/api/nothing"},
                                                                         {"PUT", "/api/deliveryrequests"},
                                                                         {"GET", "/api/deliveryrequests"},
                                                                         {"POST", "/api/transactions/t-1/explode"},
                                                                         {"GET", "/"}}) {
            const Response r = f.send(verb, path);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.json.value("error").toString(), QString("NOT_FOUND"));
        }
    }

    void aFullBacklogIs503WithRetryAfter()
    {
        Fixture f(false, 1); // no Scheduler: nothing is ever acknowledged
        QCOMPARE(f.post("/api/deliveryrequests", validBody()).status, 202);
        const Response full = f.post("/api/deliveryrequests", validBody());
        QCOMPARE(full.status, 503);
        QCOMPARE(full.json.value("error").toString(), QString("BACKLOG_FULL"));
        QVERIFY(full.headers.value("retry-after").toInt() >= 1);
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(1));
        QCOMPARE(f.ingestion->stats().rejectedFull, std::uint64_t(1));
    }

    void rescheduleIs200AndCancelIs204()
    {
        Fixture f;
        const Response patched = f.send("PATCH", "/api/deliveryrequests/d-abc",
                                        "{\"deadline\": \"tonight\", \"dropoffLocation\": \"home\"}");
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json.value("deliveryId").toString(), QString("d-abc"));
        QCOMPARE(patched.json.value("operation").toString(), QString("Reschedule"));
        const Response cancelled = f.send("DELETE", "/api/deliveryrequests/d-abc");
        QCOMPARE(cancelled.status, 204);
        QVERIFY(cancelled.body.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(2), 20000);
        const auto sent = f.scheduler->requests();
        QCOMPARE(int(sent[0].operation()), int(RESCHEDULE));
        QCOMPARE(sent[0].delivery_id(), std::string("d-abc"));
        QCOMPARE(sent[0].deadline(), std::string("tonight"));
        QCOMPARE(sent[0].dropoff_location(), std::string("home"));
        QCOMPARE(int(sent[1].operation()), int(CANCEL));
        QCOMPARE(sent[1].delivery_id(), std::string("d-abc"));

        const Response badType = f.send("PATCH", "/api/deliveryrequests/d-abc", "{\"deadline\": []}");
        QCOMPARE(badType.status, 400);
        QCOMPARE(badType.json.value("field").toString(), QString("deadline"));
        const Response badId = f.send("DELETE", "/api/deliveryrequests/bad%20id");
        QCOMPARE(badId.status, 400);
        QCOMPARE(badId.json.value("field").toString(), QString("id"));
    }

    void anAbsentServiceIs503NotAHang()
    {
        Fixture f;
        for (const QString &path : {QString("/api/deliveries/d-1"), QString("/api/deliveries/d-1/status"),
                                    QString("/api/deliveries/d-1/history"), QString("/api/deliveries?stage=created"),
                                    QString("/api/drones"), QString("/api/transactions")}) {
            const Response r = f.send("GET", path);
            QCOMPARE(r.status, 503);
            QVERIFY2(!r.json.value("error").toString().isEmpty(), r.body.constData());
            QVERIFY(r.headers.value("retry-after").toInt() >= 1);
        }
        // Bad query parameters never reach the mesh.
        const Response stage = f.send("GET", "/api/deliveries?stage=Lost");
        QCOMPARE(stage.status, 400);
        QCOMPARE(stage.json.value("field").toString(), QString("stage"));
        const Response limit = f.send("GET", "/api/deliveries?limit=0");
        QCOMPARE(limit.status, 400);
        QCOMPARE(limit.json.value("field").toString(), QString("limit"));
        const Response state = f.send("GET", "/api/transactions?state=Sideways");
        QCOMPARE(state.json.value("field").toString(), QString("state"));
    }

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

QTEST_MAIN(TestHttpGateway)
#include "tst_http_gateway.moc"
