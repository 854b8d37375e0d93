// The retrying client: what counts as retryable, the backoff, and the deadline.
#include "ChaosClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace dd::chaos {

ChaosClient::ChaosClient(BaseUrl baseUrl, int attemptTimeoutMs, std::uint64_t seed, QObject *parent)
    : QObject(parent), m_baseUrl(std::move(baseUrl)), m_attemptTimeoutMs(attemptTimeoutMs), m_random(seed)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ChaosClient::attempt);
}

void ChaosClient::send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body, const QString &key,
                       int deadlineMs)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_verb = verb;
    m_path = pathAndQuery;
    m_body = body;
    m_key = key;
    m_deadlineMs = deadlineMs;
    m_result = {};
    m_started.start();
    attempt();
}

void ChaosClient::attempt()
{
    const QUrl base = m_baseUrl();
    if (base.isEmpty())
        return retryLater(QStringLiteral("backend down"));
    ++m_result.attempts;
    QNetworkRequest request(base.resolved(QUrl(m_path)));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(m_attemptTimeoutMs);
    if (!m_body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_key.isEmpty())
        request.setRawHeader("Idempotency-Key", m_key.toUtf8());
    if (!m_bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_bearer);
    QNetworkReply *reply = m_network.sendCustomRequest(request, m_verb, m_body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
}

void ChaosClient::onReply(QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) { // refused, reset, closed mid-answer or timed out: the request may or may not have landed
        // A connection the killed backend left behind fails at once; a fresh one reconnects.
        if (reply->error() == QNetworkReply::RemoteHostClosedError || reply->error() == QNetworkReply::ConnectionRefusedError)
            m_network.clearConnectionCache();
        return retryLater(reply->errorString());
    }
    m_result.status = status;
    const QByteArray text = reply->readAll();
    m_result.body = QJsonDocument::fromJson(text).object();
    m_result.replayed = reply->rawHeader("Idempotent-Replayed") == "true";
    if (status == 503) {
        bool ok = false;
        const int retryAfterS = reply->rawHeader("Retry-After").toInt(&ok);
        return retryLater(QStringLiteral("503 %1").arg(m_result.body.value("error").toString()),
                          ok ? std::min(retryAfterS, 5) * 1000 : 0);
    }
    finish();
}

void ChaosClient::retryLater(const QString &why, int retryAfterMs)
{
    m_result.lastError = why;
    const qint64 left = m_deadlineMs - m_started.elapsed();
    if (left <= 0) {
        m_result.gaveUp = true;
        return finish();
    }
    ++m_retries;
    // Full jitter over a doubling cap (25 ms .. 2 s), as the mesh's own retries do; Retry-After is a floor.
    const int exponent = std::min(m_result.attempts, 7);
    const int cap = std::min(2000, 25 << exponent);
    const int jitter = int(std::uniform_int_distribution<int>(0, cap)(m_random));
    const int waitMs = int(std::min<qint64>(left, std::max(jitter, retryAfterMs)));
    m_retryTimer.start(waitMs);
}

void ChaosClient::finish()
{
    m_busy = false;
    emit finished(m_result);
}

} // namespace dd::chaos
