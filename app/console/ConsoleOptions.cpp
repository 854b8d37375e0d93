// ConsoleOptions: the console's flags are taken out first; the rest is drone-backend's own parser.
#include "ConsoleOptions.h"

#include "ConfigFile.h"

namespace dd::console {

const char *ConsoleOptions::usage()
{
    return "usage: drone-console [--data-dir D] [--fleet N] [--http PORT] [--connect ENDPOINTS] [--fault SPEC]...\n"
           "                     [--time-scale X] [--users FILE]\n"
           "                     [--screenshot FILE.png --after SECONDS] [--measure-fps SECONDS]\n"
           "  --data-dir D      the embedded backend's data (default: the user's app data dir)\n"
           "  --fleet N         drones to simulate (default 200)\n"
           "  --time-scale X    simulated seconds per real second (default 10, a lively demo)\n"
           "  --http PORT       also serve the HTTP API (0 = any free port)\n"
           "  --connect FILE    attach to a running drone-backend through its endpoint table (tcp + CURVE)\n"
           "  --fault SPEC      SERVICE[.METHOD]=KIND:PERCENT[:MS], KIND = transient|fatal|delay|crash\n"
           "  --users FILE      who may sign in: \"USER ROLE SALT HASH\" lines (drone-backend --add-user writes it);\n"
           "                    without it the embedded demo makes DATA_DIR/demo-users and starts signed in as\n"
           "                    dana (dispatcher, password dispatcher-demo); also sam (supervisor,\n"
           "                    supervisor-demo) and ada (admin, admin-demo). Top bar: Sign in as… / Sign out\n"
           "  --screenshot F    save the window as PNG after --after seconds (default 3), then exit\n"
           "  --measure-fps S   render continuously for S seconds, print {\"fps\": X, \"drones\": N}, exit\n"
           "  --log-format F    text (default) or json, one object per line; --log-file FILE instead of stderr\n"
           "  --config FILE     `key = value` lines, keys = these flags without \"--\"; the command line wins\n";
}

std::optional<ConsoleOptions> ConsoleOptions::parse(const QStringList &arguments, std::string *error)
{
    if (app::hasConfigFile(arguments)) { // the file's lines become flags, checked by this same parser
        const auto merged = app::expandConfigFile(
            arguments, [](const QStringList &flags, std::string *why) { return parse(flags, why).has_value(); }, error);
        return merged ? parse(*merged, error) : std::nullopt;
    }
    ConsoleOptions options;
    auto fail = [&](const QString &message) -> std::optional<ConsoleOptions> {
        if (error)
            *error = message.toStdString();
        return std::nullopt;
    };
    QStringList backendArguments;
    bool fleetGiven = false, timeScaleGiven = false, backendOnly = false;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString flag = arguments[i];
        const bool hasValue = i + 1 < arguments.size();
        bool ok = true;
        if (flag == QLatin1String("--connect")) {
            if (!hasValue) return fail("--connect needs an endpoint table file");
            options.connectFile = arguments[++i].toStdString();
        } else if (flag == QLatin1String("--role") || flag == QLatin1String("--user")) {
            // A role is no longer claimed: it is the signed-in user's, from the users file.
            return fail(flag + " is gone: sign in (top bar, \"Sign in as…\") as a user with that role; "
                               "drone-backend --add-user NAME --role ROLE adds one");
        } else if (flag == QLatin1String("--users")) {
            if (!hasValue) return fail("--users needs a file");
            options.usersFile = arguments[++i];
        } else if (flag == QLatin1String("--screenshot")) {
            if (!hasValue) return fail("--screenshot needs a file name");
            options.screenshotFile = arguments[++i];
        } else if (flag == QLatin1String("--after")) {
            if (!hasValue) return fail("--after needs a number of seconds");
            options.screenshotAfter = arguments[++i].toDouble(&ok);
            if (!ok || options.screenshotAfter < 0 || options.screenshotAfter > 3600)
                return fail("--after needs a number of seconds between 0 and 3600");
        } else if (flag == QLatin1String("--measure-fps")) {
            if (!hasValue) return fail("--measure-fps needs a number of seconds");
            options.measureFpsSeconds = arguments[++i].toDouble(&ok);
            if (!ok || options.measureFpsSeconds <= 0 || options.measureFpsSeconds > 3600)
                return fail("--measure-fps needs a number of seconds between 0 and 3600");
        } else if (flag == QLatin1String("--services") || flag == QLatin1String("--endpoints")
                   || flag == QLatin1String("--client-name")) {
            return fail(flag + " is drone-backend's; the console embeds every service or attaches with --connect");
        } else {
            // Everything else is the embedded backend's, checked by its own parser.
            fleetGiven = fleetGiven || flag == QLatin1String("--fleet");
            timeScaleGiven = timeScaleGiven || flag == QLatin1String("--time-scale");
            options.dataDirGiven = options.dataDirGiven || flag == QLatin1String("--data-dir");
            backendOnly = backendOnly
                || (flag != QLatin1String("--data-dir") && flag != QLatin1String("--log-format")
                    && flag != QLatin1String("--log-file")); // the console's own log, in either mode
            backendArguments << flag;
            if (flag.startsWith(QLatin1String("--")) && hasValue)
                backendArguments << arguments[++i];
        }
    }
    if (!options.screenshotFile.isEmpty() && options.measureFpsSeconds > 0)
        return fail("--screenshot and --measure-fps exclude each other");
    if (!options.connectFile.empty() && (backendOnly || options.dataDirGiven))
        return fail("--connect attaches to a running backend: --data-dir, --fleet, --http, --fault and "
                    "--time-scale belong to that backend (drone-backend), not to the console");
    std::string why;
    auto backend = app::BackendOptions::parse(backendArguments, &why);
    if (!backend)
        return fail(QString::fromStdString(why));
    options.backend = std::move(*backend);
    if (options.backend.clientName.empty()) // its own CURVE identity for --connect, unless named
        options.backend.clientName = "console";
    if (!fleetGiven)
        options.backend.fleet = 200;
    if (!timeScaleGiven)
        options.backend.timeScale = 10;
    return options;
}

} // namespace dd::console
