// The chaos run's reads of the API, turned into the records the invariants check.
#include "ApiProbe.h"

#include <QJsonArray>
#include <QUrlQuery>

#include <memory>

namespace dd::chaos {

ApiProbe::ApiProbe(ChaosClient::BaseUrl baseUrl, int attemptTimeoutMs, std::uint64_t seed, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < 4; ++i) {
        auto *client = new ChaosClient(baseUrl, attemptTimeoutMs, seed + i, this);
        m_clients.append(client);
    }
}

void ApiProbe::get(const QString &pathAndQuery, int deadlineMs, std::function<void(const ClientResult &)> done)
{
    m_queue.enqueue({pathAndQuery, deadlineMs, std::move(done)});
    pump();
}

void ApiProbe::pump()
{
    for (ChaosClient *client : m_clients) {
        if (m_queue.isEmpty())
            return;
        if (client->busy())
            continue;
        Pending next = m_queue.dequeue();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(client, &ChaosClient::finished, this,
                              [this, connection, done = std::move(next.done)](const ClientResult &result) {
                                  disconnect(*connection);
                                  done(result);
                                  pump();
                              });
        client->send("GET", next.path, {}, {}, next.deadlineMs);
    }
}

DeliveryRecord ApiProbe::deliveryRecord(const QJsonObject &json)
{
    return {json.value("deliveryId").toString(), json.value("packageInfo").toObject().value("packageId").toString(),
            json.value("stage").toString(), json.value("droneId").toString(),
            json.value("failure").toObject().value("transactionId").toString()};
}

void ApiProbe::deliveries(int deadlineMs, Deliveries done)
{
    page({}, deadlineMs, {}, std::move(done));
}

void ApiProbe::page(const QString &after, int deadlineMs, QList<DeliveryRecord> sofar, Deliveries done)
{
    QUrlQuery query;
    query.addQueryItem("limit", "1000");
    if (!after.isEmpty())
        query.addQueryItem("after", after);
    get("/api/deliveries?" + query.toString(QUrl::FullyEncoded), deadlineMs,
        [this, deadlineMs, sofar = std::move(sofar), done = std::move(done)](const ClientResult &result) mutable {
            if (result.status != 200)
                return done(false, sofar);
            for (const QJsonValue &item : result.body.value("deliveries").toArray())
                sofar.append(deliveryRecord(item.toObject()));
            const QString next = result.body.value("nextAfter").toString();
            if (next.isEmpty() || result.body.value("deliveries").toArray().isEmpty())
                return done(true, sofar);
            page(next, deadlineMs, std::move(sofar), std::move(done));
        });
}

TransactionRecord ApiProbe::transactionRecord(const QJsonObject &json)
{
    return {json.value("transactionId").toString(), json.value("deliveryId").toString(), json.value("state").toString()};
}

void ApiProbe::transactions(int deadlineMs, Transactions done)
{
    get("/api/transactions?limit=10000", deadlineMs, [done = std::move(done)](const ClientResult &result) {
        QList<TransactionRecord> list;
        if (result.status != 200)
            return done(false, list);
        for (const QJsonValue &item : result.body.value("transactions").toArray())
            list.append(transactionRecord(item.toObject()));
        // The Supervisor answers at most 1,000 a page and has no paging: fewer than the total
        // is not all of them (the snapshot then looks up the ones it needs one by one).
        done(list.size() >= result.body.value("total").toInt(), list);
    });
}

void ApiProbe::transactionCount(const QString &state, int deadlineMs, std::function<void(bool, int)> done)
{
    get("/api/transactions?limit=1&state=" + state, deadlineMs, [done = std::move(done)](const ClientResult &result) {
        done(result.status == 200, result.body.value("total").toInt());
    });
}

void ApiProbe::snapshot(const QStringList &acceptedIds, int deadlineMs, std::function<void(const ApiSnapshot &)> done,
                        const QStringList &transactionIds)
{
    auto snap = std::make_shared<ApiSnapshot>();
    deliveries(deadlineMs, [=, this](bool listed, const QList<DeliveryRecord> &all) {
        snap->deliveries = all;
        snap->complete = listed;
        transactions(deadlineMs, [=, this](bool, const QList<TransactionRecord> &list) {
            snap->transactions = list;
            QSet<QString> known, knownTransactions;
            for (const DeliveryRecord &d : snap->deliveries)
                known.insert(d.deliveryId);
            for (const TransactionRecord &t : list)
                knownTransactions.insert(t.transactionId);
            // One by one: accepted ids the listing lacks, and failed deliveries' transactions it lacks.
            QStringList lookups;
            for (const QString &id : acceptedIds)
                if (!known.contains(id))
                    lookups.append("/api/deliveries/" + id);
            QStringList wanted = transactionIds;
            for (const DeliveryRecord &d : snap->deliveries)
                if (!d.transactionId.isEmpty())
                    wanted.append(d.transactionId);
            for (const QString &id : wanted)
                if (!knownTransactions.contains(id)) {
                    knownTransactions.insert(id); // once each
                    lookups.append("/api/transactions/" + id);
                }
            if (lookups.isEmpty())
                return done(*snap);
            auto left = std::make_shared<int>(int(lookups.size()));
            for (const QString &path : lookups) {
                get(path, deadlineMs, [=](const ClientResult &result) {
                    const bool delivery = path.startsWith("/api/deliveries/");
                    if (result.status == 200 && delivery)
                        snap->deliveries.append(deliveryRecord(result.body));
                    else if (result.status == 200)
                        snap->transactions.append(transactionRecord(result.body));
                    else if (result.status != 404 && delivery)
                        snap->unverified.insert(path.section('/', 3));
                    else if (result.status != 404)
                        snap->complete = false;
                    if (--*left == 0)
                        done(*snap);
                });
            }
        });
    });
}

} // namespace dd::chaos

namespace dd::chaos {

void ApiProbe::setBearerToken(const QByteArray &token)
{
    for (ChaosClient *client : m_clients)
        client->setBearerToken(token);
}

} // namespace dd::chaos
