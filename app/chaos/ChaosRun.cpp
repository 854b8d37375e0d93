// The chaos run's phases and its report.
#include "ChaosRun.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dd::chaos {

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "drone-chaos: %s\n", qPrintable(line));
    std::fflush(stderr);
}

constexpr int kSampleMs = 3000;  ///< between the sampler's listings (a conflict must last one to count)
constexpr int kReadDeadlineMs = 60000;
constexpr int kDecideMs = 1000;  ///< between the supervisor's looks at what awaits approval

} // namespace

ChaosRun::ChaosRun(const ChaosOptions &options, QString backendBinary, QString dataDir, QObject *parent)
    : QObject(parent), m_options(options), m_dataDir(dataDir),
      m_backend(options, std::move(backendBinary), std::move(dataDir)),
      m_faults(m_backend, options.faultIntervalMs, options.seed * 31 + 7),
      m_probe([this] { return m_backend.frontUrl(); }, options.requestTimeoutMs, options.seed * 17 + 3),
      m_supervisor([this] { return m_backend.frontUrl(); }, options.requestTimeoutMs, options.approveShare,
                   options.rejectShare, options.seed * 13 + 5),
      m_random(options.seed)
{
    m_probe.setBearerToken(m_backend.dispatcherToken());
    m_supervisor.setBearerToken(m_backend.supervisorToken());
    for (int i = 0; i < m_options.concurrency; ++i) {
        auto *client = new ChaosClient([this] { return m_backend.frontUrl(); }, options.requestTimeoutMs,
                                       options.seed * 1000 + i, this);
        client->setBearerToken(m_backend.dispatcherToken());
        m_clients.append(client);
    }
    // Kill points: counts of finished requests, spread over the middle of the load.
    std::uniform_int_distribution<int> point(std::max(1, m_options.deliveries / 10),
                                             std::max(1, m_options.deliveries * 9 / 10));
    for (int i = 0; i < m_options.kills; ++i)
        m_killAt.append(point(m_random));
    std::sort(m_killAt.begin(), m_killAt.end());

    connect(&m_backend, &BackendUnderChaos::failed, this, &ChaosRun::abort);
    connect(&m_backend, &BackendUnderChaos::killed, this, [this](const QString &name, qint64 pid) {
        m_events.append(QStringLiteral("%1 s: SIGKILL %2 (pid %3)").arg(seconds(), 0, 'f', 1).arg(name).arg(pid));
        say(QStringLiteral("SIGKILL %1 (pid %2) after %3 finished requests").arg(name).arg(pid).arg(m_finished));
    });
    connect(&m_backend, &BackendUnderChaos::restarted, this, [this](const QString &name, qint64 downMs) {
        m_killPending = false;
        m_events.append(QStringLiteral("%1 s: %2 back after %3 ms").arg(seconds(), 0, 'f', 1).arg(name).arg(downMs));
        say(QStringLiteral("%1 restarted on its data, down %2 ms").arg(name).arg(downMs));
        maybeKill();
    });
    connect(&m_backend, &BackendUnderChaos::crashed, this, [this](const QString &name, const QString &log) {
        m_events.append(QStringLiteral("%1 s: %2 CRASHED (see %3)").arg(seconds(), 0, 'f', 1).arg(name, log));
        say(QStringLiteral("%1 exited without being killed; its log: %2").arg(name, log));
    });
    connect(&m_backend, &BackendUnderChaos::ready, this, [this] {
        say(QStringLiteral("backend up (%1) at %2 after %3 s")
                .arg(m_backend.processNames(), m_backend.frontUrl().toString())
                .arg(seconds(), 0, 'f', 1));
        m_phase = Phase::Sending;
        if (m_options.faults)
            m_faults.start();
        m_supervisor.start(kDecideMs);
        m_sampler.start(kSampleMs);
        for (ChaosClient *client : m_clients)
            sendNext(client);
    });
    for (ChaosClient *client : m_clients)
        connect(client, &ChaosClient::finished, this, [this, client](const ClientResult &result) {
            if (m_phase == Phase::Replaying)
                onReplayed(client, result);
            else
                onSent(client, result);
        });
    connect(&m_sampler, &QTimer::timeout, this, &ChaosRun::sample);
    connect(&m_progress, &QTimer::timeout, this, &ChaosRun::progress);
    connect(&m_quietPoll, &QTimer::timeout, this, &ChaosRun::pollQuiet);
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this,
            [this] { abort(QStringLiteral("--max-seconds %1 passed").arg(m_options.maxSeconds)); });
}

QString ChaosRun::keyOf(int index) const
{
    return QStringLiteral("chaos-%1-%2").arg(m_options.seed).arg(index);
}

QString ChaosRun::packageOf(int index) const
{
    return QStringLiteral("chaos-pkg-%1-%2").arg(m_options.seed).arg(index);
}

QByteArray ChaosRun::requestBody(int index) const
{
    // Drawn from the seed and the index alone: the same run sends the same requests in any order.
    std::mt19937_64 random(m_options.seed * 1000003 + std::uint64_t(index));
    auto uniform = [&](double low, double high) { return std::uniform_real_distribution<double>(low, high)(random); };
    // Within 4 km of downtown Seattle, well inside the 12 km service area.
    auto point = [&] {
        return QStringLiteral("%1,%2").arg(47.6062 + uniform(-0.036, 0.036), 0, 'f', 5).arg(-122.3321 + uniform(-0.053, 0.053), 0, 'f', 5);
    };
    // Mostly parcels a drone carries; some too heavy for one, which go to a paid carrier.
    const bool heavy = uniform(0, 1) < 0.15;
    const double weight = heavy ? uniform(20, 200) : uniform(0.5, 4);
    const char *sizes[] = {"Small", "Medium", "Large"};
    const QJsonObject body{
        {"ownerId", QStringLiteral("chaos-owner-%1").arg(index % 40)},
        {"pickupLocation", point()},
        {"dropOffLocation", point()},
        {"pickupTime", "2026-01-01T00:00:00Z"}, // past: as soon as possible
        {"deadline", "chaos"},
        {"expedited", index % 3 == 0},
        {"confirmationRequired", "None"},
        {"packageInfo", QJsonObject{{"packageId", packageOf(index)},
                                    {"size", sizes[std::uniform_int_distribution<int>(0, heavy ? 2 : 1)(random)]},
                                    {"weight", std::round(weight * 100) / 100}}},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void ChaosRun::start()
{
    m_clock.start();
    say(QStringLiteral("seed %1, %2 deliveries at concurrency %3, %4 kills, %5 mode, data in %6")
            .arg(m_options.seed)
            .arg(m_options.deliveries)
            .arg(m_options.concurrency)
            .arg(m_options.kills)
            .arg(m_options.split ? "split" : "embedded", m_dataDir));
    m_progress.start(2000);
    m_watchdog.start(m_options.maxSeconds * 1000);
    if (m_options.faults && m_options.split) // each service process draws its rules when it starts
        m_backend.setFaultSource([this] { return m_faults.drawForLifetime(); });
    m_backend.start();
}

void ChaosRun::sendNext(ChaosClient *client)
{
    if (m_next >= m_options.deliveries)
        return;
    const int index = m_next++;
    m_clientIndex.insert(client, index);
    client->send("POST", "/api/deliveryrequests", requestBody(index), keyOf(index), m_options.requestDeadlineS * 1000);
}

void ChaosRun::onSent(ChaosClient *client, const ClientResult &result)
{
    const int index = m_clientIndex.take(client);
    ++m_finished;
    if (result.status == 202) {
        m_accepted.append({keyOf(index), packageOf(index), result.body.value("deliveryId").toString()});
        if (result.replayed)
            ++m_replayedOnFirstAnswer;
    } else if (result.gaveUp) {
        ++m_gaveUp;
    } else {
        ++m_refusedByStatus[result.status];
        if (m_refusedExamples.size() < 5)
            m_refusedExamples.append(QStringLiteral("%1: %2 %3").arg(keyOf(index)).arg(result.status).arg(
                QString::fromUtf8(QJsonDocument(result.body).toJson(QJsonDocument::Compact)).left(200)));
    }
    maybeKill();
    sendNext(client);
    if (m_finished == m_options.deliveries)
        enterClearing();
}

void ChaosRun::maybeKill()
{
    if (m_killPending || m_killAt.isEmpty() || (m_phase != Phase::Sending && m_phase != Phase::Clearing))
        return;
    const bool loadDone = m_finished >= m_options.deliveries;
    if (m_finished < m_killAt.first() && !loadDone)
        return;
    m_killPending = true;
    // A random moment, not the instant a reply came back.
    const int pauseMs = int(std::uniform_int_distribution<int>(0, 400)(m_random));
    QTimer::singleShot(pauseMs, this, [this] {
        if (!m_backend.killOne(m_random)) { // a process still down: try again shortly
            QTimer::singleShot(200, this, [this] {
                m_killPending = false;
                maybeKill();
            });
            return;
        }
        m_killAt.removeFirst();
    });
}

void ChaosRun::sample()
{
    if (m_sampling || m_phase == Phase::Finished)
        return;
    m_sampling = true;
    m_probe.deliveries(kSampleMs * 2, [this](bool ok, const QList<DeliveryRecord> &all) {
        m_sampling = false;
        if (!ok) // a restart or an injected fault: the next sample tries again
            return;
        ++m_samples;
        const QSet<QString> conflicts = InvariantCheck::bookingConflicts(all);
        const QSet<QString> confirmed = InvariantCheck::confirmedConflicts(m_lastConflicts, conflicts);
        for (const QString &c : confirmed)
            if (!m_confirmedConflicts.contains(c)) {
                m_confirmedConflicts.insert(c);
                say(QStringLiteral("DOUBLE BOOKED in two samples: ") + c);
            }
        m_lastConflicts = conflicts;
    });
}

void ChaosRun::progress()
{
    if (m_phase == Phase::Finished)
        return;
    int retries = 0;
    for (ChaosClient *client : m_clients)
        retries += client->retries();
    const char *phase = m_phase == Phase::Starting ? "starting"
        : m_phase == Phase::Sending               ? "sending"
        : m_phase == Phase::Clearing              ? "clearing faults"
        : m_phase == Phase::Quiet                 ? "waiting for quiet"
        : m_phase == Phase::Replaying             ? "replaying keys"
                                                  : "checking";
    say(QStringLiteral("%1 s %2: %3/%4 answered, %5 accepted, %6 retries, kills %7/%8, %9 fault rules, "
                       "%10 decisions, [%11]")
            .arg(seconds(), 0, 'f', 1)
            .arg(phase)
            .arg(m_finished)
            .arg(m_options.deliveries)
            .arg(m_accepted.size())
            .arg(retries)
            .arg(m_backend.kills())
            .arg(m_options.kills)
            .arg(m_faults.current().size())
            .arg(m_supervisor.activity())
            .arg(m_backend.processNames()));
}

void ChaosRun::enterClearing()
{
    if (m_phase == Phase::Sending) {
        m_phase = Phase::Clearing;
        m_sendSeconds = seconds();
        say(QStringLiteral("all %1 requests answered after %2 s").arg(m_options.deliveries).arg(m_sendSeconds, 0, 'f', 1));
    }
    // Kills still due (the load ended first) land now; quiet waits for their restarts.
    if (!m_killAt.isEmpty() || m_killPending) {
        maybeKill();
        QTimer::singleShot(300, this, &ChaosRun::enterClearing);
        return;
    }
    m_backend.setFaultSource({}); // a split process restarted from now on comes back without faults
    m_faults.clear([this] {
        m_phase = Phase::Quiet;
        m_quietClock.start();
        say(QStringLiteral("faults cleared; waiting for quiet (at most %1 s)").arg(m_options.quietTimeoutS));
        m_quietPoll.start(1000);
    });
}

void ChaosRun::pollQuiet()
{
    if (m_polling)
        return;
    if (m_quietClock.elapsed() > m_options.quietTimeoutS * 1000) {
        m_quietPoll.stop();
        say(QStringLiteral("no quiet within %1 s: checking what is there").arg(m_options.quietTimeoutS));
        return m_supervisor.stop([this] { finalSnapshot(); });
    }
    if (!m_backend.allUp() || !m_supervisor.idle()) {
        m_quietStreak = 0;
        return;
    }
    // A decision sent while this poll looks may move a transaction back to Compensating.
    const int decisionsBefore = m_supervisor.activity();
    m_polling = true;
    m_probe.deliveries(kReadDeadlineMs, [this, decisionsBefore](bool listed, const QList<DeliveryRecord> &all) {
        m_probe.transactionCount("Compensating", kReadDeadlineMs, [this, listed, all, decisionsBefore](bool ok, int compensating) {
            m_polling = false;
            if (m_phase != Phase::Quiet)
                return;
            QSet<QString> ours;
            for (const AcceptedRequest &a : m_accepted)
                ours.insert(a.deliveryId);
            int requested = 0, known = 0;
            for (const DeliveryRecord &d : all) {
                if (!ours.contains(d.deliveryId))
                    continue;
                ++known;
                requested += d.stage == QLatin1String("Requested");
            }
            const bool quiet = listed && ok && known == m_accepted.size() && requested == 0 && compensating == 0
                && m_supervisor.idle() && m_supervisor.activity() == decisionsBefore;
            m_quietStreak = quiet ? m_quietStreak + 1 : 0;
            if (m_quietStreak < 2) // twice in a row: not a moment between two steps
                return;
            quietReached();
        });
    });
}

void ChaosRun::quietReached()
{
    m_quietPoll.stop();
    m_quietSeconds = m_quietClock.elapsed() / 1000.0;
    // Nothing is being decided now (idle), so this stops at once: no decision lands after the check's look.
    m_supervisor.stop([this] {
        say(QStringLiteral("quiet after %1 s").arg(m_quietSeconds, 0, 'f', 1));
        finalSnapshot();
    });
}

void ChaosRun::finalSnapshot()
{
    m_phase = Phase::Checking;
    if (m_quietSeconds == 0)
        m_quietSeconds = m_quietClock.elapsed() / 1000.0;
    m_sampler.stop();
    QStringList ids;
    for (const AcceptedRequest &a : m_accepted)
        ids.append(a.deliveryId);
    const Decisions &decided = m_supervisor.decisions();
    const QStringList decidedIds(decided.keyBegin(), decided.keyEnd());
    m_probe.snapshot(ids, kReadDeadlineMs, [this, ids](const ApiSnapshot &first) {
        m_final = first;
        // The second look, a sample interval later: a drone conflict must be in both.
        QTimer::singleShot(kSampleMs, this, [this, ids] {
            m_probe.deliveries(kReadDeadlineMs, [this](bool ok, const QList<DeliveryRecord> &later) {
                if (!ok)
                    m_final.complete = false;
                const QSet<QString> confirmed = InvariantCheck::confirmedConflicts(
                    InvariantCheck::bookingConflicts(m_final.deliveries), InvariantCheck::bookingConflicts(later));
                m_confirmedConflicts.unite(confirmed);
                replay();
            });
        });
    }, decidedIds);
}

void ChaosRun::replay()
{
    // Every accepted key once more: the same delivery must come back, and no new one.
    m_phase = Phase::Replaying;
    say(QStringLiteral("replaying %1 accepted keys").arg(m_accepted.size()));
    m_replayNext = m_replayDone = 0;
    m_clientIndex.clear();
    if (m_accepted.isEmpty())
        return finish(InvariantCheck::evaluate(m_accepted, m_final, m_confirmedConflicts, m_replayMismatches,
                                                m_supervisor.decisions()));
    for (ChaosClient *client : m_clients) {
        if (m_replayNext >= m_accepted.size())
            break;
        const int index = m_replayNext++;
        m_clientIndex.insert(client, index);
        client->send("POST", "/api/deliveryrequests", requestBody(m_accepted[index].key.section('-', 2).toInt()),
                     m_accepted[index].key, kReadDeadlineMs);
    }
}

void ChaosRun::onReplayed(ChaosClient *client, const ClientResult &result)
{
    const int index = m_clientIndex.take(client);
    const AcceptedRequest &a = m_accepted[index];
    const QString id = result.body.value("deliveryId").toString();
    if (result.status != 202 || id != a.deliveryId)
        m_replayMismatches.append(QStringLiteral("key %1 first got %2, now %3 %4%5")
                                      .arg(a.key, a.deliveryId)
                                      .arg(result.status)
                                      .arg(id.isEmpty() ? result.lastError : id, result.replayed ? " (replayed)" : ""));
    if (++m_replayDone == m_accepted.size())
        return finish(InvariantCheck::evaluate(m_accepted, m_final, m_confirmedConflicts, m_replayMismatches,
                                                m_supervisor.decisions()));
    if (m_replayNext < m_accepted.size()) {
        const int next = m_replayNext++;
        m_clientIndex.insert(client, next);
        client->send("POST", "/api/deliveryrequests", requestBody(m_accepted[next].key.section('-', 2).toInt()),
                     m_accepted[next].key, kReadDeadlineMs);
    }
}

void ChaosRun::finish(const Verdict &given)
{
    Verdict verdict = given;
    if (m_backend.crashes() > 0)
        verdict.violations.append(QStringLiteral("crashed: %1 exits nobody asked for").arg(m_backend.crashes()));
    for (const QString &refused : m_supervisor.refused().mid(0, 10)) // a decision the API would not take
        verdict.violations.append(QStringLiteral("decision refused: ") + refused);
    m_phase = Phase::Finished;
    m_progress.stop();
    m_watchdog.stop();
    int retries = 0;
    for (ChaosClient *client : m_clients)
        retries += client->retries();
    QJsonObject refused;
    for (auto it = m_refusedByStatus.cbegin(); it != m_refusedByStatus.cend(); ++it)
        refused.insert(QString::number(it.key()), it.value());
    m_report = verdict.toJson();
    m_report.insert("ok", verdict.ok());
    m_report.insert("mode", m_options.split ? "split" : "embedded");
    m_report.insert("seed", QString::number(m_options.seed));
    m_report.insert("deliveries", m_options.deliveries);
    m_report.insert("concurrency", m_options.concurrency);
    m_report.insert("kills", m_backend.kills());
    m_report.insert("restarts", m_backend.restarts());
    m_report.insert("crashes", m_backend.crashes());
    m_report.insert("gave_up", m_gaveUp);
    m_report.insert("refused", refused);
    m_report.insert("refused_examples", QJsonArray::fromStringList(m_refusedExamples));
    m_report.insert("first_answer_replayed", m_replayedOnFirstAnswer);
    m_report.insert("client_retries", retries);
    m_report.insert("fault_rules_applied", m_faults.rulesApplied() + m_backend.faultFlags());
    m_report.insert("samples", m_samples);
    m_report.insert("supervisor", m_supervisor.report());
    m_report.insert("events", QJsonArray::fromStringList(m_events));
    m_report.insert("send_seconds", std::round(m_sendSeconds * 10) / 10);
    m_report.insert("quiet_seconds", std::round(m_quietSeconds * 10) / 10);
    m_report.insert("seconds", std::round(seconds() * 10) / 10);
    m_exitCode = verdict.ok() ? 0 : 1;
    say(verdict.ok() ? QStringLiteral("every invariant held") : QStringLiteral("INVARIANTS BROKEN:\n  ") + verdict.violations.join("\n  "));
    m_backend.stop();
    emit done();
}

void ChaosRun::abort(const QString &why)
{
    if (m_phase == Phase::Finished)
        return;
    say(QStringLiteral("aborted: ") + why);
    m_phase = Phase::Finished;
    m_supervisor.stop({});
    m_report = QJsonObject{{"ok", false},
                           {"aborted", why},
                           {"mode", m_options.split ? "split" : "embedded"},
                           {"seed", QString::number(m_options.seed)},
                           {"accepted", int(m_accepted.size())},
                           {"kills", m_backend.kills()},
                           {"events", QJsonArray::fromStringList(m_events)},
                           {"seconds", std::round(seconds() * 10) / 10}};
    m_exitCode = 3;
    m_backend.stop();
    emit done();
}

} // namespace dd::chaos
