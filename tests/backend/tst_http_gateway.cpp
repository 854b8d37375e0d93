// Tests the HTTP gateway's writes: 202/200/204, Idempotency-Key, Jackson-style binding, every bad input, the wire format.
#include "GatewayTestSupport.h"
#include "backend/common/Geo.h"
#include "net/pubsub/Publisher.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

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
        // Without tokens nobody is authenticated: the open demo dispatches as an anonymous dispatcher.
        QCOMPARE(sent.requested_by(), std::string("dispatcher/anonymous"));
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
                                                  {"pickupLocation", "pike place market"},
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

    // The request rules (domain::RequestRules, applied by Ingestion): a request that can only
    // fail is a 400 naming the field, and nothing of it is stored.
    void requestsThatCanOnlyFailAre400_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QJsonObject heavy{{"packageId", "p"}, {"size", "Small"}, {"weight", 1000.5}};
        QTest::newRow("a near miss of a place") << "dropOffLocation" << QJsonValue("Fremnt") << "dropOffLocation"
                                                << "unknown place \"Fremnt\"; did you mean Fremont?";
        QTest::newRow("the Gulf of Guinea") << "pickupLocation" << QJsonValue("0,0") << "pickupLocation"
                                            << "outside the service area (12 km around downtown Seattle)";
        QTest::newRow("no pickup") << "pickupLocation" << QJsonValue("") << "pickupLocation" << "is required";
        QTest::newRow("no packageInfo") << "packageInfo" << QJsonValue() << "packageInfo" << "packageInfo is required";
        QTest::newRow("weight 0") << "packageInfo" << QJsonValue(QJsonObject{{"size", "Small"}, {"weight", 0}})
                                  << "packageInfo.weight" << "more than 0 kg";
        QTest::newRow("heavier than any carrier") << "packageInfo" << QJsonValue(heavy) << "packageInfo.weight"
                                                  << "at most 1000 kg";
        QTest::newRow("pickupTime next year") << "pickupTime" << QJsonValue("2099-01-01T00:00:00Z") << "pickupTime"
                                              << "more than 7 days ahead";
    }

    void requestsThatCanOnlyFailAre400()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, field);
        QFETCH(QString, says);
        Fixture f;
        QJsonObject body = QJsonDocument::fromJson(validBody()).object();
        if (value.isNull())
            body.remove(key);
        else
            body.insert(key, value);
        const Response r = f.post("/api/deliveryrequests", QJsonDocument(body).toJson());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value("error").toString(), QString("BAD_REQUEST"));
        QCOMPARE(r.json.value("field").toString(), field);
        QVERIFY2(r.json.value("message").toString().contains(says), r.body.constData());
        QCOMPARE(f.ingestion->stats().accepted, std::uint64_t(0));
    }

    void theReferenceReadmePayloadIsScheduledOnStandInPoints()
    {
        Fixture f;
        const QByteArray readme =
            R"({"confirmationRequired":"None","deadline":"","dropOffLocation":"drop off","expedited":true,)"
            R"("ownerId":"myowner","packageInfo":{"packageId":"mypackage","size":"Small","tag":"mytag","weight":10},)"
            R"("pickupLocation":"my pickup","pickupTime":"2019-04-05T12:00:00.000Z"})";
        const Response r = f.post("/api/deliveryrequests", readme);
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json.value("pickupLocation").toString(), QString("my pickup")); // the text as given
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(1), 20000);
        const DeliveryRequest sent = f.scheduler->requests().front();
        // Free text the gazetteer does not know: stable stand-in points inside the area, flagged.
        for (const Location &point : {sent.pickup(), sent.dropoff()}) {
            QVERIFY(point.stand_in());
            QVERIFY(geo::insideServiceArea(point));
        }
        QVERIFY(sent.pickup().latitude() != sent.dropoff().latitude());
        QCOMPARE(sent.pickup_time_us(), std::int64_t(0)); // 2019: as soon as possible
        QCOMPARE(sent.package_info().weight(), 10.0);

        // A named place lands on the place, with its name.
        QJsonObject named = QJsonDocument::fromJson(readme).object();
        named.insert("dropOffLocation", "  west SEATTLE ");
        QCOMPARE(f.post("/api/deliveryrequests", QJsonDocument(named).toJson()).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(f.scheduler->processedCount(), std::size_t(2), 20000);
        const DeliveryRequest second = f.scheduler->requests().back();
        QCOMPARE(second.dropoff().place(), std::string("West Seattle"));
        QCOMPARE(second.dropoff().latitude(), 47.5612);
        QCOMPARE(second.dropoff().longitude(), -122.3868);
        QCOMPARE(second.pickup().SerializeAsString(), sent.pickup().SerializeAsString()); // stable
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
                                                                         {"POST", "/api/transactions/t-1/explode"},
                                                                         {"GET", "/"}}) {
            const Response r = f.send(verb, path);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.json.value("error").toString(), QString("NOT_FOUND"));
        }
        // A path that exists with other methods is 405 with Allow (tst_http_edge has more).
        for (const QByteArray verb : {"PUT", "GET"}) {
            const Response r = f.send(verb, "/api/deliveryrequests");
            QCOMPARE(r.status, 405);
            QCOMPARE(r.headers.value("allow"), QByteArray("POST"));
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

};

QTEST_MAIN(TestHttpGateway)
#include "tst_http_gateway.moc"
