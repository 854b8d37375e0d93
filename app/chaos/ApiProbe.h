// Reads what the backend's HTTP API says: every delivery (paged), every failed transaction, single lookups.
#pragma once

#include "ChaosClient.h"
#include "InvariantCheck.h"

#include <QList>
#include <QObject>
#include <QQueue>
#include <QStringList>

#include <functional>

namespace dd::chaos {

/// Asynchronous reads through a small pool of retrying clients (a read that meets a
/// restart or an injected fault is retried until its deadline, like any client's).
class ApiProbe : public QObject
{
    Q_OBJECT
public:
    ApiProbe(ChaosClient::BaseUrl baseUrl, int attemptTimeoutMs, std::uint64_t seed, QObject *parent = nullptr);

    using Deliveries = std::function<void(bool ok, const QList<DeliveryRecord> &)>;
    using Transactions = std::function<void(bool ok, const QList<TransactionRecord> &)>;

    /// Every delivery, page by page (1,000 a page).
    void deliveries(int deadlineMs, Deliveries done);
    /// The failed transactions, newest first; ok is false when they were not all listed.
    void transactions(int deadlineMs, Transactions done);
    /// How many transactions are in `state` now.
    void transactionCount(const QString &state, int deadlineMs, std::function<void(bool ok, int total)> done);
    /// The whole snapshot the invariants read: the listing, the transactions, and a lookup
    /// of each accepted id the listing lacks (a 404 there means lost), and of each of
    /// `transactionIds` (the supervisor's decisions) the transactions' listing lacks.
    void snapshot(const QStringList &acceptedIds, int deadlineMs, std::function<void(const ApiSnapshot &)> done,
                  const QStringList &transactionIds = {});

    /// Every probe client reads with this token (the backend runs with --tokens).
    void setBearerToken(const QByteArray &token);

    static DeliveryRecord deliveryRecord(const QJsonObject &json);
    static TransactionRecord transactionRecord(const QJsonObject &json);

private:
    void get(const QString &pathAndQuery, int deadlineMs, std::function<void(const ClientResult &)> done);
    void pump();
    void page(const QString &after, int deadlineMs, QList<DeliveryRecord> sofar, Deliveries done);

    struct Pending
    {
        QString path;
        int deadlineMs;
        std::function<void(const ClientResult &)> done;
    };
    QList<ChaosClient *> m_clients;
    QQueue<Pending> m_queue;
};

} // namespace dd::chaos
