// End to end over real HTTP with every service: a 202's Location always leads to the true outcome.
#include "BackendUnderTest.h"
#include "GatewayTestSupport.h"

#include <QJsonArray>
#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
/// The reference implementation's README payload, unchanged: any owner, free-text places, a 2019 date.
QByteArray referencePayload(const QString &packageId)
{
    return QJsonDocument(QJsonObject{{"confirmationRequired", "None"},
                                     {"deadline", ""},
                                     {"dropOffLocation", "drop off"},
                                     {"expedited", true},
                                     {"ownerId", "myowner"},
                                     {"packageInfo", QJsonObject{{"packageId", packageId},
                                                                 {"size", "Small"},
                                                                 {"tag", "mytag"},
                                                                 {"weight", 10}}},
                                     {"pickupLocation", "my pickup"},
                                     {"pickupTime", "2019-04-05T12:00:00.000Z"}})
        .toJson(QJsonDocument::Compact);
}

QByteArray namedPlacesPayload(const QString &owner, const QString &packageId, double weight = 1.5)
{
    return QJsonDocument(QJsonObject{{"ownerId", owner},
                                     {"pickupLocation", "47.6097,-122.3422"},
                                     {"dropOffLocation", "47.6205,-122.3493"},
                                     {"packageInfo", QJsonObject{{"packageId", packageId}, {"size", "Small"},
                                                                 {"weight", weight}}}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestHttpOutcomes : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    dd::net::FaultInjector m_faults;
    std::unique_ptr<BackendUnderTest> m_backend;
    std::unique_ptr<HttpGateway> m_gateway;
    QNetworkAccessManager m_network;

    /// As a supervisor (a bearer token): anonymous callers may not change accounts.
    Response send(const QByteArray &verb, const QString &path, const QByteArray &body = {})
    {
        return sendHttp(m_network, gatewayUrl(m_gateway->port(), path), verb, body, bearer("tok-sam"));
    }
    QString stage(const QString &location) { return send("GET", location).json.value("stage").toString(); }

    void startBackend(int fleet, double timeScale)
    {
        m_backend = std::make_unique<BackendUnderTest>(m_dir->path(), fleet, timeScale, &m_faults);
        GatewayOptions options;
        options.port = 0;
        m_gateway = std::make_unique<HttpGateway>(m_backend->host().context(), &m_backend->ingestion(), options);
        m_gateway->access().addToken(QStringLiteral("tok-sam"), Role::Supervisor, QStringLiteral("sam"));
        std::string error;
        if (!m_gateway->start(&error))
            qFatal("gateway did not start: %s", error.c_str());
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_faults.clear();
    }
    void cleanup()
    {
        if (m_gateway)
            m_gateway->stop();
        m_gateway.reset();
        m_backend.reset();
    }

    void referenceClientIsScheduledAndFollowedToCompleted()
    {
        startBackend(10, 400);
        const Response accepted = send("POST", "/api/deliveryrequests", referencePayload("mypackage"));
        QCOMPARE(accepted.status, 202);
        const QString location = QString::fromUtf8(accepted.headers.value("location"));
        QVERIFY(location.startsWith("/api/deliveries/"));
        // Known at its Location at once: never a 404 for an accepted request.
        const Response first = send("GET", location);
        QCOMPARE(first.status, 200);
        QVERIFY2(!first.json.value("stage").toString().isEmpty(), qPrintable(first.json.value("stage").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(stage(location), QStringLiteral("Completed"), 30000);
        const Response done = send("GET", location);
        QVERIFY(!done.json.value("droneId").toString().isEmpty());
        QVERIFY(done.json.value("failure").isNull());
        // The history starts at the acceptance.
        const Response history = send("GET", location + "/history");
        QCOMPARE(history.json.value("events").toArray().first().toObject().value("stage").toString(),
                 QStringLiteral("Requested"));
        // The reference's owner was registered on first use.
        const Response owner = send("GET", "/api/accounts/myowner");
        QCOMPARE(owner.status, 200);
        QVERIFY(owner.json.value("registeredOnFirstUse").toBool());
    }

    void aFailedScheduleIsFailedAtItsLocationWithTheReason()
    {
        startBackend(10, 1);
        m_faults.add(*dd::net::parseFaultSpec("package.Create=fatal:100"));
        const Response accepted = send("POST", "/api/deliveryrequests", namedPlacesPayload("owner-001", "pkg-f"));
        QCOMPARE(accepted.status, 202);
        const QString location = QString::fromUtf8(accepted.headers.value("location"));
        QTRY_COMPARE_WITH_TIMEOUT(stage(location), QStringLiteral("Failed"), 20000);
        const QJsonObject failure = send("GET", location).json.value("failure").toObject();
        QCOMPARE(failure.value("step").toString(), QStringLiteral("package"));
        QVERIFY(!failure.value("error").toString().isEmpty());
        const QString tx = failure.value("transactionId").toString();
        const Response transaction = send("GET", "/api/transactions/" + tx);
        QCOMPARE(transaction.status, 200);
        QCOMPARE(transaction.json.value("deliveryId").toString(), location.section('/', -1));
        QCOMPARE(send("GET", "/api/transactions/no-such-tx").status, 404);
        const Response failedList = send("GET", "/api/deliveries?stage=Failed");
        QCOMPARE(failedList.json.value("total").toInt(), 1);
        const Response transactions = send("GET", "/api/transactions");
        QVERIFY(transactions.json.contains("total"));
        QCOMPARE(transactions.json.value("total").toInt(), 1);
        // The status view says it too.
        QCOMPARE(send("GET", location + "/status").json.value("stage").toString(), QStringLiteral("Failed"));
    }

    void cancelAndRescheduleFollowTheStageContract()
    {
        startBackend(10, 400);
        QCOMPARE(send("DELETE", "/api/deliveryrequests/d-typo12345").status, 404);
        QCOMPARE(send("PATCH", "/api/deliveryrequests/d-typo12345", R"({"dropOffLocation":"47.62,-122.35"})").status, 404);
        const Response accepted = send("POST", "/api/deliveryrequests", namedPlacesPayload("owner-002", "pkg-c"));
        const QString location = QString::fromUtf8(accepted.headers.value("location"));
        const QString id = location.section('/', -1);
        QTRY_COMPARE_WITH_TIMEOUT(stage(location), QStringLiteral("Completed"), 30000);
        const Response cancel = send("DELETE", "/api/deliveryrequests/" + id);
        QCOMPARE(cancel.status, 409);
        QVERIFY(cancel.json.value("message").toString().contains("completed"));
        QCOMPARE(send("PATCH", "/api/deliveryrequests/" + id, R"({"dropOffLocation":"47.62,-122.35"})").status, 409);
        QCOMPARE(send("GET", "/api/transactions").json.value("total").toInt(), 0); // nothing failed
        QCOMPARE(send("GET", "/api/deliveries/never-accepted").status, 404);
    }

    void aSupervisorSuspendsAndReinstatesAnAccount()
    {
        startBackend(0, 1);
        QCOMPARE(send("POST", "/api/accounts/owner-001/suspend", "{}").status, 400); // a reason is required
        const Response suspended = send("POST", "/api/accounts/owner-001/suspend", R"({"reason":"chargeback"})");
        QCOMPARE(suspended.status, 200);
        QVERIFY(!suspended.json.value("active").toBool());
        QCOMPARE(send("GET", "/api/accounts?suspended=true").json.value("accounts").toArray().size(),
                 send("GET", "/api/accounts?suspended=true").json.value("total").toInt());
        const Response reinstated = send("POST", "/api/accounts/owner-001/reinstate", "{}");
        QCOMPARE(reinstated.status, 200);
        QVERIFY(reinstated.json.value("active").toBool());
        const QJsonArray changes = send("GET", "/api/accounts/owner-001").json.value("changes").toArray();
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(1).toObject().value("action").toString(), QStringLiteral("suspend"));
        QCOMPARE(changes.at(1).toObject().value("reason").toString(), QStringLiteral("chargeback"));
        QCOMPARE(changes.at(1).toObject().value("user").toString(), QStringLiteral("sam")); // the token's, verified
        QCOMPARE(send("GET", "/api/accounts/nobody").status, 404);
        QCOMPARE(send("POST", "/api/accounts/owner-001/delete", "{}").status, 404);
    }
};

QTEST_MAIN(TestHttpOutcomes)
#include "tst_http_outcomes.moc"
