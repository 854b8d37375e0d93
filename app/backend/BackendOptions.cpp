// drone-backend's flags, as DESIGN §7 lists them.
#include "BackendOptions.h"

#include "ConfigFile.h"
#include "LogSink.h"

#include "backend/common/Duration.h"
#include "backend/common/ServiceHost.h"
#include "backend/identity/IdentityRoles.h"
#include "net/resilience/FaultInjector.h"
#include "net/telemetry/otlp/OtlpHttpPost.h"

#include <QRegularExpression>

#include <algorithm>

namespace dd::app {

const char *BackendOptions::usage()
{
    return "usage: drone-backend [--data-dir D] [--services LIST] [--endpoints FILE] [--http PORT]\n"
           "                     [--bind ADDRESS] [--fleet N] [--time-scale X] [--fault SPEC]... [--tokens FILE]\n"
           "                     [--accounts open|strict] [--places lenient|strict]\n"
           "                     [--retry-window DURATION] [--retention DURATION]\n"
           "                     [--log-format text|json] [--log-file FILE]\n"
           "                     [--config FILE] [--otlp-endpoint URL] [--metrics-port PORT] [--client-name NAME]\n"
           "                     [--http-max-url-bytes N] [--http-max-header-bytes N] [--http-header-timeout DURATION]\n"
           "                     [--http-body-timeout DURATION] [--http-idle-timeout DURATION]\n"
           "                     [--http-max-connections N] [--ws-max-clients N]\n"
           "       drone-backend --endpoints FILE [--keys-init] [--authorize-client NAME]...\n"
           "       drone-backend --add-user NAME --role dispatcher|supervisor|admin [--users FILE] [--iterations N]\n"
           "  --services   comma-separated subset of: account,package,thirdparty,drone,deliveryhistory,\n"
           "               delivery,supervisor,scheduler,ingestion (default: all)\n"
           "  --endpoints  JSON endpoint table for split mode (tcp + CURVE); default: embedded inproc\n"
           "  --http PORT  start the HTTP gateway (0 = any free port); prints 'listening http://HOST:PORT'\n"
           "  --fault SPEC SERVICE[.METHOD]=KIND:PERCENT[:MS], KIND = transient|fatal|delay|crash\n"
           "  --accounts   open (default: an unknown owner is registered on first use) or strict (it fails)\n"
           "  --places     lenient (default: free text no gazetteer knows gets a stand-in point) or strict (400)\n"
           "  --retry-window DURATION  how long a workflow retries transient errors before failing\n"
           "               (default 15m; units s, m, h, d)\n"
           "  --retention DURATION  finished deliveries, events, checkpoints, resolved transactions and\n"
           "               Idempotency-Keys older than this are pruned (default 7d; units s, m, h, d)\n"
           "  --otlp-endpoint URL  also send spans as OTLP/HTTP JSON, e.g. http://127.0.0.1:4318/v1/traces\n"
           "  --log-format text (default) or json: one JSON object per line (time, level, category, ...)\n"
           "  --log-file FILE  append the log there instead of stderr; SIGHUP reopens it (logrotate)\n"
           "  --config FILE    `key = value` lines, keys = these flags without \"--\"; the command line wins\n"
           "  --metrics-port PORT  serve /metrics (Prometheus) on PORT at the --bind address, with or without --http\n"
           "  --client-name NAME   this process's CURVE client identity (default client-SERVICE+SERVICE...)\n"
           "  --keys-init      admin step: create the endpoint table's keysDir (0700) and every service's key pair\n"
           "  --authorize-client NAME  admin step: create client NAME's key pair and admit it (authorized_clients)\n"
           "  --add-user NAME  admin step: add NAME (or set a new role and password) in the console's users file\n"
           "               (--users FILE, default DATA_DIR/users, mode 0600); the password is the first line of\n"
           "               stdin, or $DD_USER_PASSWORD; --iterations N PBKDF2 rounds (default 600000)\n"
           "  --http-max-url-bytes / --http-max-header-bytes  request line (default 8192: 414) and header\n"
           "               block (default 32768: 431) limits; --http-header-timeout (10s), --http-body-timeout\n"
           "               (30s): 408; --http-idle-timeout (60s) closes idle keep-alive connections;\n"
           "               --http-max-connections (4096), --ws-max-clients (64): 503 beyond (docs/http-edge.md)\n";
}

namespace {
/// A key file name: no path separators, nothing a shell or the allow-list would misread.
bool validKeyName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$"));
    return pattern.match(name).hasMatch();
}
} // namespace

std::string BackendOptions::defaultClientName(const std::vector<std::string> &services)
{
    if (services.empty())
        return "client-all";
    std::string name = "client-";
    for (std::size_t i = 0; i < services.size(); ++i)
        name += (i ? "+" : "") + services[i];
    return name;
}

std::optional<BackendOptions> BackendOptions::parse(const QStringList &arguments, std::string *error)
{
    if (hasConfigFile(arguments)) { // the file's lines become flags, checked by this same parser
        const auto merged = expandConfigFile(
            arguments, [](const QStringList &flags, std::string *why) { return parse(flags, why).has_value(); }, error);
        return merged ? parse(*merged, error) : std::nullopt;
    }
    BackendOptions options;
    auto fail = [&](const QString &message) -> std::optional<BackendOptions> {
        if (error)
            *error = message.toStdString();
        return std::nullopt;
    };
    for (int i = 0; i < arguments.size(); ++i) {
        const QString flag = arguments[i];
        auto value = [&](QString *out) {
            if (i + 1 >= arguments.size())
                return false;
            *out = arguments[++i];
            return true;
        };
        QString v;
        bool ok = true;
        if (flag == "--data-dir") {
            if (!value(&v)) return fail("--data-dir needs a directory");
            options.dataDir = v.toStdString();
        } else if (flag == "--services") {
            if (!value(&v)) return fail("--services needs a list");
            options.services.clear();
            for (const QString &name : v.split(',', Qt::SkipEmptyParts)) {
                const std::string s = name.trimmed().toLower().toStdString();
                const auto &all = backend::ServiceHost::allServices();
                if (std::find(all.begin(), all.end(), s) == all.end())
                    return fail("unknown service \"" + name + "\"");
                options.services.push_back(s);
            }
        } else if (flag == "--endpoints") {
            if (!value(&v)) return fail("--endpoints needs a file");
            options.endpointsFile = v.toStdString();
        } else if (flag == "--http") {
            if (!value(&v)) return fail("--http needs a port");
            options.httpPort = v.toInt(&ok);
            if (!ok || options.httpPort < 0 || options.httpPort > 65535)
                return fail("--http needs a port between 0 and 65535, not \"" + v + "\"");
        } else if (flag == "--bind") {
            if (!value(&v)) return fail("--bind needs an address");
            options.httpAddress = v.toStdString();
        } else if (flag == "--fleet") {
            if (!value(&v)) return fail("--fleet needs a number");
            options.fleet = v.toInt(&ok);
            if (!ok || options.fleet < 0 || options.fleet > 100000)
                return fail("--fleet needs a number of drones between 0 and 100000");
        } else if (flag == "--time-scale") {
            if (!value(&v)) return fail("--time-scale needs a factor");
            options.timeScale = v.toDouble(&ok);
            if (!ok || options.timeScale <= 0 || options.timeScale > 10000)
                return fail("--time-scale needs a factor between 0 and 10000");
        } else if (flag == "--fault") {
            if (!value(&v)) return fail("--fault needs a spec");
            std::string why;
            if (!net::parseFaultSpec(v.toStdString(), &why))
                return fail(QString::fromStdString(why));
            options.faults.push_back(v.toStdString());
        } else if (flag == "--tokens") {
            if (!value(&v)) return fail("--tokens needs a file");
            options.tokensFile = v.toStdString();
        } else if (flag == "--accounts") {
            if (!value(&v) || (v != "open" && v != "strict"))
                return fail("--accounts needs open or strict");
            options.strictAccounts = v == "strict";
        } else if (flag == "--places") {
            if (!value(&v) || (v != "lenient" && v != "strict"))
                return fail("--places needs lenient or strict");
            options.strictPlaces = v == "strict";
        } else if (flag == "--retry-window") {
            if (!value(&v)) return fail("--retry-window needs a duration");
            const auto window = backend::parseDuration(v.toStdString());
            if (!window)
                return fail("--retry-window needs a duration such as 90s, 15m, 2h or 1d, not \"" + v + "\"");
            options.retryWindowUs = *window;
        } else if (flag == "--retention") {
            if (!value(&v)) return fail("--retention needs a duration");
            const auto age = backend::parseDuration(v.toStdString());
            if (!age)
                return fail("--retention needs a duration such as 30s, 15m, 12h or 7d, not \"" + v + "\"");
            options.retentionUs = *age;
        } else if (flag == "--otlp-endpoint") {
            QString why;
            if (!value(&v) || !net::HttpEndpoint::parse(v, &why))
                return fail(why.isEmpty() ? QStringLiteral("--otlp-endpoint needs a URL") : "--otlp-endpoint: " + why);
            options.otlpEndpoint = v.toStdString();
        } else if (flag == "--client-name") {
            if (!value(&v) || !validKeyName(v)) return fail("--client-name needs a name of letters, digits and . _ + -");
            options.clientName = v.toStdString();
        } else if (flag == "--keys-init") {
            options.keysInit = true;
        } else if (flag == "--authorize-client") {
            if (!value(&v)) return fail("--authorize-client needs a client name");
            for (const QString &name : v.split(',', Qt::SkipEmptyParts)) {
                if (!validKeyName(name.trimmed()))
                    return fail("--authorize-client: \"" + name + "\" is not a name of letters, digits and . _ + -");
                options.authorizeClients.push_back(name.trimmed().toStdString());
            }
        } else if (flag == "--add-user") {
            if (!value(&v) || v.isEmpty()) return fail("--add-user needs a user name");
            options.addUser = v.toStdString();
        } else if (flag == "--role") {
            if (!value(&v) || !identity::isRole(v.toStdString()))
                return fail("--role needs dispatcher, supervisor or admin");
            options.addUserRole = v.toStdString();
        } else if (flag == "--users") {
            if (!value(&v) || v.isEmpty()) return fail("--users needs a file");
            options.usersFile = v.toStdString();
        } else if (flag == "--iterations") {
            if (!value(&v)) return fail("--iterations needs a number");
            options.passwordIterations = v.toInt(&ok);
            if (!ok || options.passwordIterations < 1000 || options.passwordIterations > 100000000)
                return fail("--iterations needs a number between 1000 and 100000000, not \"" + v + "\"");
        } else if (flag == "--metrics-port") {
            if (!value(&v)) return fail("--metrics-port needs a port");
            options.metricsPort = v.toInt(&ok);
            if (!ok || options.metricsPort < 0 || options.metricsPort > 65535)
                return fail("--metrics-port needs a port between 0 and 65535, not \"" + v + "\"");
        } else if (flag == "--log-format") {
            if (!value(&v) || !parseLogFormat(v))
                return fail("--log-format needs text or json");
            options.logFormat = v.toStdString();
        } else if (flag == "--log-file") {
            if (!value(&v) || v.isEmpty()) return fail("--log-file needs a file");
            options.logFile = v.toStdString();
        } else if (flag == "--http-max-url-bytes" || flag == "--http-max-header-bytes"
                   || flag == "--http-max-connections" || flag == "--ws-max-clients") {
            if (!value(&v)) return fail(flag + " needs a number");
            const int number = v.toInt(&ok);
            const int least = flag == "--http-max-url-bytes" ? 256 : flag == "--http-max-header-bytes" ? 1024 : 1;
            if (!ok || number < least || number > 64 * 1024 * 1024)
                return fail(flag + QStringLiteral(" needs a number between %1 and 67108864, not \"").arg(least) + v + "\"");
            (flag == "--http-max-url-bytes"       ? options.httpMaxUrlBytes
             : flag == "--http-max-header-bytes"  ? options.httpMaxHeaderBytes
             : flag == "--http-max-connections"   ? options.httpMaxConnections
                                                  : options.wsMaxClients) = number;
        } else if (flag == "--http-header-timeout" || flag == "--http-body-timeout" || flag == "--http-idle-timeout") {
            if (!value(&v)) return fail(flag + " needs a duration");
            const auto timeout = backend::parseDuration(v.toStdString());
            if (!timeout)
                return fail(flag + " needs a duration such as 10s or 2m, not \"" + v + "\"");
            (flag == "--http-header-timeout" ? options.httpHeaderTimeoutUs
             : flag == "--http-body-timeout" ? options.httpBodyTimeoutUs
                                             : options.httpIdleTimeoutUs) = *timeout;
        } else {
            return fail(unknownOptionError(flag));
        }
    }
    if (!options.addUser.empty() && options.addUserRole.empty())
        return fail("--add-user needs --role dispatcher, supervisor or admin");
    return options;
}

} // namespace dd::app
