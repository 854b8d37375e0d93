// The backend a chaos run drives: one embedded drone-backend, or one process per service over tcp + CURVE.
#pragma once

#include "BackendProcess.h"
#include "ChaosOptions.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <random>

namespace dd::chaos {

/// A process's HTTP gateway and the services it runs (where its fault rules take effect).
struct FaultTarget
{
    QUrl url;
    QStringList services; ///< empty: all (embedded)
};

/// Embedded: `drone-backend --data-dir DIR/backend --fleet F --time-scale X --http P`.
/// Split (--split): an endpoint table of free loopback ports with a CURVE key directory,
/// (the admin step `--keys-init --authorize-client`), and one process per service, each
/// with its own data dir; Ingestion's process serves HTTP and clients talk to it, as the
/// README's "several hosts" layout has them talk to the front. The others take their
/// fault rules as --fault flags, drawn anew at every (re)start. A kill hits one
/// process (chosen from the seed) and restarts it on its data after a short pause.
class BackendUnderChaos : public QObject
{
    Q_OBJECT
public:
    BackendUnderChaos(const ChaosOptions &options, QString binary, QString dataDir, QObject *parent = nullptr);

    void start();
    void stop();

    /// Bearer tokens of the run's tokens file (the HTTP process starts with --tokens): each
    /// actor uses the least role it needs — dispatch, decide, inject faults.
    QByteArray dispatcherToken() const { return m_dispatcherToken; }
    QByteArray supervisorToken() const { return m_supervisorToken; }
    QByteArray adminToken() const { return m_adminToken; }

    /// Where clients send requests: the process with Ingestion; empty while it is down.
    QUrl frontUrl() const;
    /// Every process that serves HTTP now, with its services.
    QList<FaultTarget> faultTargets() const;
    bool allUp() const;
    /// SIGKILLs one process (random in split mode); false when one is still down.
    bool killOne(std::mt19937_64 &random);
    int kills() const { return m_kills; }
    int restarts() const { return m_restarts; }
    /// Exits nobody asked for (a crash): each one is a finding.
    int crashes() const { return m_crashes; }
    /// Split mode: --fault rules handed to service processes at their starts.
    int faultFlags() const { return m_faultFlags; }
    QString processNames() const;
    /// Split mode: the fault rules a (re)starting service process gets as --fault flags.
    void setFaultSource(std::function<QStringList()> source) { m_faultSource = std::move(source); }

signals:
    void ready();                 ///< every process listens, the first time
    void failed(const QString &why);
    void killed(const QString &name, qint64 pid);
    void restarted(const QString &name, qint64 downMs);
    void crashed(const QString &name, const QString &logFile);

private:
    /// DATA_DIR/tokens (0600) with the three tokens; the --tokens arguments, or {} on failure.
    QStringList writeTokensFile(QString *error);
    QByteArray m_dispatcherToken, m_supervisorToken, m_adminToken;
    BackendProcess *add(const QString &name, const QStringList &arguments, bool http);
    bool writeEndpointTable(const QString &path, QString *error);
    void onListening(BackendProcess *process);

    ChaosOptions m_options;
    QString m_binary, m_dataDir;
    QList<BackendProcess *> m_processes;
    BackendProcess *m_front = nullptr;
    QList<qint64> m_killedAt; ///< per process, ms since epoch of the kill (0: none pending)
    bool m_ready = false;
    int m_kills = 0;
    int m_restarts = 0;
    int m_crashes = 0;
    int m_faultFlags = 0;
    std::mt19937_64 m_pauses; ///< restart pauses, from the seed
    std::function<QStringList()> m_faultSource;
};

} // namespace dd::chaos
