// drone-chaos's flags, each checked with a message naming it.
#include "ChaosOptions.h"

namespace dd::chaos {

const char *ChaosOptions::usage()
{
    return "usage: drone-chaos [--deliveries N] [--concurrency C] [--kills K] [--seed S] [--split]\n"
           "                   [--no-faults] [--backend PATH] [--data-dir DIR] [--keep-data] [--fleet N]\n"
           "                   [--time-scale X] [--fault-interval MS] [--request-timeout MS]\n"
           "                   [--request-deadline S] [--quiet-timeout S] [--max-seconds S]\n"
           "                   [--approve-share P] [--reject-share P]\n"
           "  Drives a real drone-backend with N deliveries at concurrency C through the HTTP API\n"
           "  (retrying clients, one Idempotency-Key per delivery), random faults and K SIGKILLs with\n"
           "  restarts on the same data, then checks the invariants (docs/chaos.md). Progress goes to\n"
           "  stderr, one JSON line to stdout; the exit status is 0 when every invariant holds, 1 when\n"
           "  one breaks, 2 for a bad command line, 3 when the run could not be carried out.\n"
           "  --split      every service in its own drone-backend process over tcp + CURVE; a kill\n"
           "               hits one service's process\n"
           "  --backend    the drone-backend to run (default: next to drone-chaos)\n"
           "  --data-dir   where the backend keeps its data (default: a temporary directory, removed\n"
           "               unless an invariant broke or --keep-data)\n"
           "  --approve-share, --reject-share  the supervisor's shares of the transactions awaiting\n"
           "               approval it approves and rejects through the API (default 0.4 and 0.3; the\n"
           "               rest are left waiting; both 0: no supervisor)\n";
}

std::optional<ChaosOptions> ChaosOptions::parse(const QStringList &arguments, QString *error)
{
    ChaosOptions options;
    auto fail = [&](const QString &message) -> std::optional<ChaosOptions> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    for (int i = 0; i < arguments.size(); ++i) {
        const QString flag = arguments[i];
        QString value;
        auto take = [&] {
            if (i + 1 >= arguments.size())
                return false;
            value = arguments[++i];
            return true;
        };
        // An integer flag within [low, high]; false (and the message) otherwise.
        auto integer = [&](int *out, int low, int high) {
            bool ok = false;
            const int parsed = take() ? value.toInt(&ok) : 0;
            if (!ok || parsed < low || parsed > high) {
                if (error)
                    *error = QStringLiteral("%1 needs a whole number between %2 and %3").arg(flag).arg(low).arg(high);
                return false;
            }
            *out = parsed;
            return true;
        };
        if (flag == "--deliveries") {
            if (!integer(&options.deliveries, 1, 1000000)) return std::nullopt;
        } else if (flag == "--concurrency") {
            if (!integer(&options.concurrency, 1, 256)) return std::nullopt;
        } else if (flag == "--kills") {
            if (!integer(&options.kills, 0, 1000)) return std::nullopt;
        } else if (flag == "--seed") {
            bool ok = false;
            options.seed = take() ? value.toULongLong(&ok) : 0;
            if (!ok || options.seed == 0)
                return fail("--seed needs a positive whole number");
        } else if (flag == "--split") {
            options.split = true;
        } else if (flag == "--no-faults") {
            options.faults = false;
        } else if (flag == "--backend") {
            if (!take() || value.isEmpty()) return fail("--backend needs the path of drone-backend");
            options.backend = value;
        } else if (flag == "--data-dir") {
            if (!take() || value.isEmpty()) return fail("--data-dir needs a directory");
            options.dataDir = value;
        } else if (flag == "--keep-data") {
            options.keepData = true;
        } else if (flag == "--fleet") {
            if (!integer(&options.fleet, 1, 100000)) return std::nullopt;
        } else if (flag == "--time-scale") {
            bool ok = false;
            options.timeScale = take() ? value.toDouble(&ok) : 0;
            if (!ok || options.timeScale <= 0 || options.timeScale > 10000)
                return fail("--time-scale needs a factor between 0 and 10000");
        } else if (flag == "--fault-interval") {
            if (!integer(&options.faultIntervalMs, 100, 600000)) return std::nullopt;
        } else if (flag == "--request-timeout") {
            if (!integer(&options.requestTimeoutMs, 100, 600000)) return std::nullopt;
        } else if (flag == "--request-deadline") {
            if (!integer(&options.requestDeadlineS, 1, 86400)) return std::nullopt;
        } else if (flag == "--quiet-timeout") {
            if (!integer(&options.quietTimeoutS, 1, 86400)) return std::nullopt;
        } else if (flag == "--max-seconds") {
            if (!integer(&options.maxSeconds, 1, 7 * 86400)) return std::nullopt;
        } else if (flag == "--approve-share" || flag == "--reject-share") {
            bool ok = false;
            const double share = take() ? value.toDouble(&ok) : -1;
            if (!ok || share < 0 || share > 1)
                return fail(flag + " needs a share between 0 and 1");
            (flag == "--approve-share" ? options.approveShare : options.rejectShare) = share;
        } else {
            return fail(QStringLiteral("unknown option \"%1\"").arg(flag));
        }
    }
    if (options.approveShare + options.rejectShare > 1.0 + 1e-9)
        return fail("--approve-share and --reject-share add up to more than 1");
    return options;
}

} // namespace dd::chaos
