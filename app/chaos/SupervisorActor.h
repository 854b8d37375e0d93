// The chaos run's supervisor: approves or rejects a share of the transactions awaiting approval through the HTTP API.
#pragma once

#include "ChaosClient.h"
#include "InvariantCheck.h"

#include <QJsonObject>
#include <QObject>
#include <QPair>
#include <QQueue>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace dd::chaos {

/// Every interval it lists `GET /api/transactions?state=AwaitingApproval` and draws, once
/// per transaction it has not seen, approve / reject / leave alone (from the seed and the
/// id, with the given shares). A decision is `POST /api/transactions/{id}/approve|reject`
/// with its own Idempotency-Key, retried like any client's request through restarts; a
/// 409 ("nothing awaiting a decision") means an earlier attempt landed (the Supervisor's
/// reply cache did not survive a kill), so it counts as answered too. It is the only
/// decider of the run, so the checker can hold every transaction to its decision.
/// With no tokens file the local user is an admin, who may decide.
class SupervisorActor : public QObject
{
    Q_OBJECT
public:
    /// A supervisor's token: anonymous callers may not decide.
    void setBearerToken(const QByteArray &token)
    {
        m_reader.setBearerToken(token);
        m_decider.setBearerToken(token);
    }
    SupervisorActor(ChaosClient::BaseUrl baseUrl, int attemptTimeoutMs, double approveShare, double rejectShare,
                    std::uint64_t seed, QObject *parent = nullptr);

    /// The decision for one transaction: pure, so the shares are testable (tst_fault_schedule).
    static Decision choose(const QString &transactionId, double approveShare, double rejectShare, std::uint64_t seed);

    bool enabled() const { return m_approveShare + m_rejectShare > 0; }
    /// Scans now and then every `intervalMs`.
    void start(int intervalMs);
    /// No more scans or decisions; `done` once nothing is in flight (a scan's findings are dropped then).
    void stop(std::function<void()> done);
    /// No decision queued or in flight.
    bool idle() const { return m_queue.isEmpty() && m_deciding.isEmpty(); }
    /// Decisions sent so far: the quiet check sees one sent while it looked.
    int activity() const { return m_sent; }

    const Decisions &decisions() const { return m_decisions; }
    /// Decisions refused (not 200, 409 or a deadline), each a finding: "id: status".
    const QStringList &refused() const { return m_refused; }
    QJsonObject report() const;

private:
    void scan();
    void decideNext();
    void settle();

    ChaosClient m_reader, m_decider;
    double m_approveShare, m_rejectShare;
    std::uint64_t m_seed;
    QTimer m_timer;
    bool m_scanning = false, m_stopping = false;
    std::function<void()> m_stopped;
    QSet<QString> m_seen;
    QQueue<QPair<QString, Decision>> m_queue;
    QString m_deciding; ///< the transaction whose decision is in flight
    Decision m_decision = Decision::Leave;
    Decisions m_decisions;
    QStringList m_refused;
    int m_scans = 0, m_sent = 0, m_conflicts = 0, m_unanswered = 0;
};

} // namespace dd::chaos
