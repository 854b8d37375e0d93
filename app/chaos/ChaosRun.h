// One chaos run from start to verdict: load with retrying clients, faults, kills, quiet, the invariants, one JSON line.
#pragma once

#include "ApiProbe.h"
#include "BackendUnderChaos.h"
#include "ChaosClient.h"
#include "ChaosOptions.h"
#include "FaultSchedule.h"
#include "InvariantCheck.h"
#include "SupervisorActor.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <random>

namespace dd::chaos {

/// Phases: start the backend; send N logical requests at concurrency C while faults are
/// redrawn and K kills land at random points of the load (drawn from the seed as a count
/// of finished requests, each after a random pause); clear the faults; wait for quiet
/// (nothing Requested, nothing Compensating, every process up; bounded); read the final
/// snapshot twice (a drone conflict must show in both); replay every accepted key; check.
/// While it sends and waits, a sampler lists the deliveries every few seconds, so a drone
/// held by two live deliveries is caught while it happens, not only at the end. A
/// supervisor approves or rejects a share of the transactions awaiting approval during
/// the load and the quiet wait; quiet also waits for its decisions to be answered.
class ChaosRun : public QObject
{
    Q_OBJECT
public:
    ChaosRun(const ChaosOptions &options, QString backendBinary, QString dataDir, QObject *parent = nullptr);

    void start();
    /// The exit status once `done` was emitted: 0 every invariant held, 1 one broke, 3 the run failed.
    int exitCode() const { return m_exitCode; }
    QJsonObject report() const { return m_report; }

signals:
    void done();

private:
    enum class Phase { Starting, Sending, Clearing, Quiet, Checking, Replaying, Finished };

    QByteArray requestBody(int index) const;
    QString keyOf(int index) const;
    QString packageOf(int index) const;
    void sendNext(ChaosClient *client);
    void onSent(ChaosClient *client, const ClientResult &result);
    void maybeKill();
    void sample();
    void progress();
    void enterClearing();
    void pollQuiet();
    void quietReached();
    void finalSnapshot();
    void replay();
    void onReplayed(ChaosClient *client, const ClientResult &result);
    void finish(const Verdict &verdict);
    void abort(const QString &why);
    double seconds() const { return m_clock.elapsed() / 1000.0; }

    ChaosOptions m_options;
    QString m_dataDir;
    BackendUnderChaos m_backend;
    FaultSchedule m_faults;
    ApiProbe m_probe;
    SupervisorActor m_supervisor;
    QList<ChaosClient *> m_clients;
    QHash<ChaosClient *, int> m_clientIndex; ///< the logical request each client carries
    Phase m_phase = Phase::Starting;
    QElapsedTimer m_clock;
    double m_sendSeconds = 0, m_quietSeconds = 0;
    std::mt19937_64 m_random;

    // Sending.
    int m_next = 0, m_finished = 0, m_gaveUp = 0;
    QList<AcceptedRequest> m_accepted;
    QHash<int, int> m_refusedByStatus;
    QStringList m_refusedExamples;
    int m_replayedOnFirstAnswer = 0; ///< 202s that were already replays: an earlier attempt landed
    QList<int> m_killAt;             ///< finished-request counts that trigger a kill
    bool m_killPending = false;
    QStringList m_events;            ///< kills, restarts, crashes, for the report

    // Sampling and quiet.
    QTimer m_sampler, m_progress, m_quietPoll, m_watchdog;
    bool m_sampling = false;
    QSet<QString> m_lastConflicts, m_confirmedConflicts;
    int m_samples = 0, m_quietStreak = 0;
    QElapsedTimer m_quietClock;
    bool m_polling = false;

    // The end.
    ApiSnapshot m_final;
    int m_replayNext = 0, m_replayDone = 0;
    QStringList m_replayMismatches;
    int m_exitCode = 3;
    QJsonObject m_report;
};

} // namespace dd::chaos
