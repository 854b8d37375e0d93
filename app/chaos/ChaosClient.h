// One retrying HTTP client: a logical request is retried on connection errors, 503 and timeouts with the same key.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <random>

namespace dd::chaos {

/// How a logical request ended.
struct ClientResult
{
    int status = 0;        ///< the last HTTP status; 0: never answered
    QJsonObject body;      ///< the last answer's JSON object
    bool replayed = false; ///< Idempotent-Replayed: true
    bool gaveUp = false;   ///< the deadline passed while retrying
    int attempts = 0;
    QString lastError;     ///< the last retried failure, for the report
};

/// Owns its own connection (a QNetworkAccessManager), so C clients are C connections. A
/// logical request is retried, with the same body and Idempotency-Key, after a connection
/// error, a 503 (honouring Retry-After) or a timeout, with full-jitter backoff, until its
/// deadline; any other answer ends it. The base URL is asked for on every attempt: a
/// restarted backend may listen elsewhere, and none (empty) means it is down for now.
class ChaosClient : public QObject
{
    Q_OBJECT
public:
    using BaseUrl = std::function<QUrl()>;
    ChaosClient(BaseUrl baseUrl, int attemptTimeoutMs, std::uint64_t seed, QObject *parent = nullptr);

    /// Starts one logical request; `finished` reports its end. One at a time per client.
    void send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body, const QString &key,
              int deadlineMs);
    bool busy() const { return m_busy; }
    /// Sent as `Authorization: Bearer TOKEN` on every attempt (the backend runs with --tokens).
    void setBearerToken(QByteArray token) { m_bearer = std::move(token); }

    /// Retried attempts of every request so far (connection errors, 503s and timeouts).
    int retries() const { return m_retries; }

signals:
    void finished(const dd::chaos::ClientResult &result);

private:
    void attempt();
    void onReply(QNetworkReply *reply);
    void retryLater(const QString &why, int retryAfterMs = 0);
    void finish();

    BaseUrl m_baseUrl;
    int m_attemptTimeoutMs;
    std::mt19937_64 m_random;
    QNetworkAccessManager m_network;
    QTimer m_retryTimer;
    QElapsedTimer m_started;
    QPointer<QNetworkReply> m_reply;

    bool m_busy = false;
    QByteArray m_verb, m_body;
    QString m_path, m_key;
    QByteArray m_bearer;
    int m_deadlineMs = 0;
    int m_retries = 0;
    ClientResult m_result;
};

} // namespace dd::chaos
