// H1 of the API probe over real HTTP: a supervisor decision's Idempotency-Key is scoped by user and transaction.
#include "BackendUnderTest.h"
#include "GatewayTestSupport.h"

#include <QFile>
#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
QByteArray schedulePayload(const QString &packageId)
{
    return QJsonDocument(QJsonObject{{"ownerId", "owner-002"},
                                     {"pickupLocation", "47.6097,-122.3422"},
                                     {"dropOffLocation", "47.6205,-122.3493"},
                                     {"packageInfo", QJsonObject{{"packageId", packageId}, {"size", "Small"},
                                                                 {"weight", 1.5}}}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestIdempotencyHttp : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    dd::net::FaultInjector m_faults;
    std::unique_ptr<BackendUnderTest> m_backend;
    std::unique_ptr<HttpGateway> m_gateway;
    QNetworkAccessManager m_network;

    Response send(const QByteArray &verb, const QString &path, const QByteArray &body, const QByteArray &token,
                  const QByteArray &key = {})
    {
        Headers headers = bearer(token);
        if (!key.isEmpty())
            headers.append({"Idempotency-Key", key});
        return sendHttp(m_network, gatewayUrl(m_gateway->port(), path), verb, body, headers);
    }

    QString transactionState(const QString &id)
    {
        return send("GET", "/api/transactions/" + id, {}, "tok-s").json.value("state").toString();
    }

    /// A delivery whose paid carrier booking waits for a supervisor: no drones, Delivery.Create fails.
    QString awaitingApproval(const QString &packageId)
    {
        const Response accepted = send("POST", "/api/deliveryrequests", schedulePayload(packageId), "tok-d");
        if (accepted.status != 202)
            qFatal("schedule answered %d", accepted.status);
        const std::string id = accepted.json.value("deliveryId").toString().toStdString();
        const bool awaiting = QTest::qWaitFor([&] {
            const auto tx = m_backend->transactionFor(id);
            return tx && tx->state() == TX_AWAITING_APPROVAL;
        }, 30000);
        if (!awaiting)
            qFatal("%s never awaited approval", id.c_str());
        return QString::fromStdString(m_backend->transactionFor(id)->transaction_id());
    }

private slots:
    void initTestCase()
    {
        QFile tokens(m_dir.filePath("tokens.txt"));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write("tok-d dispatcher alice\ntok-s supervisor bob\ntok-a admin root\n");
        tokens.close();
        m_backend = std::make_unique<BackendUnderTest>(m_dir.filePath("data"), 0, 1, &m_faults);
        m_faults.add(*dd::net::parseFaultSpec("delivery.Create=fatal:100"));
        GatewayOptions options;
        options.tokensFile = tokens.fileName().toStdString();
        m_gateway = std::make_unique<HttpGateway>(m_backend->host().context(), &m_backend->ingestion(), options);
        std::string error;
        QVERIFY2(m_gateway->start(&error), error.c_str());
    }
    void cleanupTestCase()
    {
        m_gateway->stop();
        m_gateway.reset();
        m_backend.reset();
    }

    void oneKeyOnTwoTransactionsDecidesBoth()
    {
        const QString x = awaitingApproval("pkg-x");
        const QString y = awaitingApproval("pkg-y");
        const Response first = send("POST", "/api/transactions/" + x + "/approve", R"({"comment":"first"})", "tok-s", "1");
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value("transactionId").toString(), x);
        const Response second = send("POST", "/api/transactions/" + y + "/approve", R"({"comment":"second"})", "tok-s", "1");
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json.value("transactionId").toString(), y); // was X's body, Y left waiting
        QTRY_VERIFY_WITH_TIMEOUT(transactionState(y) != QLatin1String("AwaitingApproval"), 20000);

        // The same decision retried with its key is still answered once, not applied twice
        // (a second real Approve of a decided transaction would be a 409).
        const Response retried = send("POST", "/api/transactions/" + x + "/approve", R"({"comment":"first"})", "tok-s", "1");
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json.value("transactionId").toString(), x);
    }

    void oneKeyFromTwoUsersDecidesBoth()
    {
        const QString x = awaitingApproval("pkg-u1");
        const QString y = awaitingApproval("pkg-u2");
        QCOMPARE(send("POST", "/api/transactions/" + x + "/reject", R"({"comment":"bob"})", "tok-s", "42").status, 200);
        const Response root = send("POST", "/api/transactions/" + y + "/reject", R"({"comment":"root"})", "tok-a", "42");
        QCOMPARE(root.status, 200);
        QCOMPARE(root.json.value("transactionId").toString(), y); // not bob's decision on X
        QTRY_VERIFY_WITH_TIMEOUT(transactionState(y) != QLatin1String("AwaitingApproval"), 20000);
        // Root reusing bob's key on bob's transaction is root's own call: it runs (and finds it decided).
        QCOMPARE(send("POST", "/api/transactions/" + x + "/reject", R"({"comment":"root"})", "tok-a", "42").status, 409);
    }
};

QTEST_MAIN(TestIdempotencyHttp)
#include "tst_idempotency_http.moc"
