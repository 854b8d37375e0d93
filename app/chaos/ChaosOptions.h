// The command line of drone-chaos: how much load, how many kills, which backend, how long to wait.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace dd::chaos {

struct ChaosOptions
{
    int deliveries = 500;          ///< logical requests (one Idempotency-Key each)
    int concurrency = 8;           ///< logical requests in flight at once
    int kills = 1;                 ///< SIGKILLs of the backend (or of one service process with --split)
    std::uint64_t seed = 0;        ///< 0: from the clock (printed, so a run can be repeated)
    bool split = false;            ///< one process per service over tcp + CURVE
    bool faults = true;            ///< random transient / fatal / delay faults while sending
    QString backend;               ///< drone-backend to run; empty: next to drone-chaos
    QString dataDir;               ///< empty: a temporary directory (kept when an invariant breaks)
    bool keepData = false;
    int fleet = 100;
    double timeScale = 50;         ///< flights finish in seconds, so stages move during the run
    int faultIntervalMs = 1500;    ///< how often the fault set is redrawn
    int requestTimeoutMs = 10000;  ///< one HTTP attempt
    int requestDeadlineS = 180;    ///< one logical request, all its retries
    int quietTimeoutS = 120;       ///< the bound on waiting for quiet after the last request
    int maxSeconds = 3600;         ///< the whole run; past it the run is aborted (exit 3)
    double approveShare = 0.4;     ///< of the transactions awaiting approval, the supervisor approves this share
    double rejectShare = 0.3;      ///< ... rejects this one, and leaves the rest to wait (both 0: no supervisor)

    /// Parses argv without the program name. On a bad command line returns nullopt with `error` set.
    static std::optional<ChaosOptions> parse(const QStringList &arguments, QString *error);
    static const char *usage();
};

} // namespace dd::chaos
