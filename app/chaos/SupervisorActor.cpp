// The supervisor's scans, draws and decisions, and what it reports.
#include "SupervisorActor.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd::chaos {

namespace {

constexpr int kDecisionDeadlineMs = 60000; ///< a decision retried through restarts for at most this long

// splitmix64: a well-spread 64-bit mix, so neighbouring ids draw unrelated decisions.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

SupervisorActor::SupervisorActor(ChaosClient::BaseUrl baseUrl, int attemptTimeoutMs, double approveShare,
                                 double rejectShare, std::uint64_t seed, QObject *parent)
    : QObject(parent), m_reader(baseUrl, attemptTimeoutMs, seed), m_decider(baseUrl, attemptTimeoutMs, seed + 1),
      m_approveShare(approveShare), m_rejectShare(rejectShare), m_seed(seed)
{
    connect(&m_timer, &QTimer::timeout, this, &SupervisorActor::scan);
    connect(&m_reader, &ChaosClient::finished, this, [this](const ClientResult &result) {
        m_scanning = false;
        if (m_stopping)
            return settle(); // too late to act on what it found
        if (result.status != 200) // a restart or a fault: the next scan looks again
            return;
        ++m_scans;
        for (const QJsonValue &item : result.body.value("transactions").toArray()) {
            const QString id = item.toObject().value("transactionId").toString();
            if (id.isEmpty() || m_seen.contains(id))
                continue;
            m_seen.insert(id);
            const Decision decision = choose(id, m_approveShare, m_rejectShare, m_seed);
            if (decision == Decision::Leave)
                m_decisions.insert(id, decision); // nothing to send: it must simply stay awaiting
            else
                m_queue.enqueue({id, decision});
        }
        decideNext();
    });
    connect(&m_decider, &ChaosClient::finished, this, [this](const ClientResult &result) {
        const QString id = std::exchange(m_deciding, QString());
        if (result.status == 200 || result.status == 409) {
            // 409: nothing awaits a decision any more, and nobody else decides, so ours landed earlier.
            m_conflicts += result.status == 409;
            m_decisions.insert(id, m_decision);
        } else if (result.gaveUp) {
            ++m_unanswered;
            m_decisions.insert(id, Decision::Unanswered);
        } else {
            m_refused.append(QStringLiteral("%1: %2 %3").arg(id).arg(result.status).arg(
                QString::fromUtf8(QJsonDocument(result.body).toJson(QJsonDocument::Compact)).left(200)));
            m_decisions.insert(id, Decision::Unanswered); // what it did is unknown: hold it to nothing
        }
        if (m_stopping)
            return settle();
        decideNext();
    });
}

Decision SupervisorActor::choose(const QString &transactionId, double approveShare, double rejectShare,
                                 std::uint64_t seed)
{
    std::uint64_t h = mix(seed);
    for (const QChar c : transactionId)
        h = mix(h ^ c.unicode());
    const double u = double(h >> 11) / double(1ULL << 53); // uniform in [0, 1)
    if (u < approveShare)
        return Decision::Approve;
    if (u < approveShare + rejectShare)
        return Decision::Reject;
    return Decision::Leave;
}

void SupervisorActor::start(int intervalMs)
{
    if (!enabled())
        return;
    m_timer.start(intervalMs);
    scan();
}

void SupervisorActor::scan()
{
    if (m_scanning || m_stopping)
        return;
    m_scanning = true;
    // At most 1,000 a page; what a scan misses a later one finds.
    m_reader.send("GET", "/api/transactions?state=AwaitingApproval&limit=1000", {}, {}, m_timer.interval() * 5);
}

void SupervisorActor::decideNext()
{
    if (!m_deciding.isEmpty() || m_queue.isEmpty() || m_stopping)
        return;
    const auto [id, decision] = m_queue.dequeue();
    m_deciding = id;
    m_decision = decision;
    ++m_sent;
    const char *action = decision == Decision::Approve ? "approve" : "reject";
    m_decider.send("POST", QStringLiteral("/api/transactions/%1/%2").arg(id, QLatin1String(action)),
                   QJsonDocument(QJsonObject{{"comment", "drone-chaos supervisor"}}).toJson(QJsonDocument::Compact),
                   QStringLiteral("chaos-%1-%2-%3").arg(m_seed).arg(QLatin1String(action), id), kDecisionDeadlineMs);
}

void SupervisorActor::stop(std::function<void()> done)
{
    m_timer.stop();
    m_stopping = true;
    m_queue.clear(); // never sent: those transactions simply stay awaiting
    m_stopped = std::move(done);
    settle();
}

void SupervisorActor::settle()
{
    if (m_scanning || !m_deciding.isEmpty() || !m_stopped)
        return;
    auto done = std::move(m_stopped);
    m_stopped = {};
    done();
}

QJsonObject SupervisorActor::report() const
{
    int approve = 0, reject = 0, leave = 0;
    for (const Decision d : m_decisions) {
        approve += d == Decision::Approve;
        reject += d == Decision::Reject;
        leave += d == Decision::Leave;
    }
    return {{"approve_share", m_approveShare},
            {"reject_share", m_rejectShare},
            {"scans", m_scans},
            {"seen", int(m_seen.size())},
            {"approved", approve},
            {"rejected", reject},
            {"left_alone", leave},
            {"answered_409", m_conflicts},
            {"unanswered", m_unanswered},
            {"refused", QJsonArray::fromStringList(m_refused)}};
}

} // namespace dd::chaos
