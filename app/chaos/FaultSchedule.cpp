// Which faults a chaos run injects, and how they reach each process.
#include "FaultSchedule.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace dd::chaos {

namespace {

// Retryable everywhere, the compensations' methods included.
const char *const kTransient[] = {"account",         "package",          "drone.Schedule",   "thirdparty",
                                  "delivery.Register", "delivery.Create", "deliveryhistory", "supervisor.Report",
                                  "scheduler.Submit", "drone.Cancel",     "package.Delete"};
// Forward steps only: each fails its workflow for good, which the Supervisor then undoes.
// Each with its chance per draw. The late step weighs most: delivery.Create fails after the
// drone took off or the paid carrier booked, so its undo waits for a person (AwaitingApproval),
// the one path of the Supervisor a short run would otherwise hardly ever draw.
struct FatalTarget
{
    const char *target;
    double chance;
};
const char kLateStep[] = "delivery.Create";
const FatalTarget kFatal[] = {{"account.Check", 0.15}, {"package.Create", 0.15}, {"drone.Schedule", 0.2},
                              {"thirdparty.Schedule", 0.2}, {kLateStep, 0.6}};
const char *const kDelay[] = {"account", "package", "drone", "delivery", "supervisor", "scheduler", "deliveryhistory"};

} // namespace

FaultSchedule::FaultSchedule(BackendUnderChaos &backend, int intervalMs, std::uint64_t seed, QObject *parent)
    : QObject(parent), m_backend(backend), m_random(seed)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { apply(draw()); });
}

QStringList FaultSchedule::draw()
{
    auto chance = [this](double p) { return std::uniform_real_distribution<double>(0, 1)(m_random) < p; };
    auto between = [this](int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); };
    QStringList rules;
    for (const char *target : kTransient)
        if (chance(0.35))
            rules.append(QStringLiteral("%1=transient:%2").arg(QLatin1String(target)).arg(between(5, 30)));
    for (const FatalTarget &fatal : kFatal)
        if (chance(fatal.chance))
            rules.append(QStringLiteral("%1=fatal:%2").arg(QLatin1String(fatal.target)).arg(between(1, 5)));
    for (const char *target : kDelay)
        if (chance(0.25))
            rules.append(QStringLiteral("%1=delay:%2:%3").arg(QLatin1String(target)).arg(between(10, 40)).arg(between(50, 800)));
    return rules;
}

QStringList FaultSchedule::drawForLifetime()
{
    QStringList rules = draw();
    const QString late = QLatin1String(kLateStep) + QLatin1String("=fatal:");
    for (const QString &rule : rules)
        if (rule.startsWith(late))
            return rules;
    rules.append(late + QString::number(std::uniform_int_distribution<int>(1, 5)(m_random)));
    return rules;
}

void FaultSchedule::start()
{
    apply(draw());
    m_timer.start();
}

void FaultSchedule::apply(const QStringList &rules)
{
    m_current = rules;
    for (const FaultTarget &target : m_backend.faultTargets()) {
        QStringList mine;
        for (const QString &rule : rules) {
            const QString service = rule.section('=', 0, 0).section('.', 0, 0);
            if (target.services.isEmpty() || target.services.contains(service))
                mine.append(rule);
        }
        const QUrl url = target.url.resolved(QUrl("/api/faults"));
        // Replace, not add: the old rules go first, then the new ones.
        send(url, "DELETE", {}, [this, url, mine] {
            for (const QString &rule : mine) {
                ++m_applied;
                send(url, "POST", QJsonDocument(QJsonObject{{"spec", rule}}).toJson(QJsonDocument::Compact));
            }
        });
    }
}

void FaultSchedule::send(const QUrl &url, const QByteArray &verb, const QByteArray &body, std::function<void()> then)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(5000);
    request.setRawHeader("Authorization", "Bearer " + m_backend.adminToken()); // fault injection is an admin's
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    ++m_inFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply, then = std::move(then)] {
        reply->deleteLater();
        // A process killed meanwhile comes back without rules: nothing to follow up.
        if (reply->error() == QNetworkReply::NoError && then)
            then();
        --m_inFlight;
        settled();
    });
}

void FaultSchedule::settled()
{
    if (m_inFlight > 0 || !m_whenSettled)
        return;
    auto done = std::move(m_whenSettled);
    m_whenSettled = {};
    done();
}

void FaultSchedule::clear(std::function<void()> done)
{
    m_timer.stop();
    m_current.clear();
    // Once nothing is in flight no POST can land after the DELETEs.
    m_whenSettled = [this, done = std::move(done)]() mutable {
        m_whenSettled = std::move(done);
        const QList<FaultTarget> targets = m_backend.faultTargets();
        for (const FaultTarget &target : targets)
            send(target.url.resolved(QUrl("/api/faults")), "DELETE", {});
        if (targets.isEmpty())
            settled();
    };
    if (m_inFlight == 0)
        settled();
}

} // namespace dd::chaos
