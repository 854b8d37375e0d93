// The command line of drone-backend (and the backend half of drone-console), parsed and checked.
#pragma once

#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace dd::app {

struct BackendOptions
{
    std::string dataDir = "drone-data";
    std::vector<std::string> services;   ///< empty: all
    std::string endpointsFile;           ///< empty: embedded (inproc)
    int httpPort = -1;                   ///< -1: no HTTP gateway; 0: any free port
    std::string httpAddress = "127.0.0.1";
    int fleet = 50;
    double timeScale = 1.0;
    std::vector<std::string> faults;
    std::string tokensFile;
    std::string clientName;              ///< --client-name: this process's CURVE client identity; empty: defaultClientName()
    bool keysInit = false;               ///< --keys-init: create the key directory and every service's key pair, then exit
    std::vector<std::string> authorizeClients; ///< --authorize-client NAME: create NAME's pair, admit it, then exit
    std::string addUser;                 ///< --add-user NAME: add (or reset) a console user in the users file, then exit
    std::string addUserRole;             ///< --role dispatcher|supervisor|admin (with --add-user)
    std::string usersFile;               ///< --users FILE; empty: "users" in --data-dir
    int passwordIterations = 600000;     ///< --iterations N: PBKDF2 rounds of the new hash
    int metricsPort = -1;                ///< --metrics-port PORT: /metrics on its own port (0 = any); -1: none
    bool strictAccounts = false;         ///< --accounts strict|open
    bool strictPlaces = false;           ///< --places strict|lenient
    std::int64_t retryWindowUs = 15LL * 60 * 1000000; ///< --retry-window DURATION
    std::int64_t retentionUs = 7LL * 86400 * 1000000;  ///< --retention DURATION: finished rows older are pruned
    std::string otlpEndpoint;            ///< --otlp-endpoint URL (OTLP/HTTP JSON); empty: no export
    std::string logFormat = "text";      ///< --log-format text|json
    std::string logFile;                 ///< --log-file FILE; empty: stderr
    // The HTTP edge (docs/http-edge.md): limits and timeouts checked before QHttpServer reads a request.
    int httpMaxUrlBytes = 8 * 1024;      ///< --http-max-url-bytes N: the request line; longer: 414
    int httpMaxHeaderBytes = 32 * 1024;  ///< --http-max-header-bytes N: the header block; larger: 431
    std::int64_t httpHeaderTimeoutUs = 10LL * 1000000; ///< --http-header-timeout DURATION: 408
    std::int64_t httpBodyTimeoutUs = 30LL * 1000000;   ///< --http-body-timeout DURATION: 408
    std::int64_t httpIdleTimeoutUs = 60LL * 1000000;   ///< --http-idle-timeout DURATION: idle keep-alive closed
    int httpMaxConnections = 4096;       ///< --http-max-connections N: more at once get 503
    int wsMaxClients = 64;               ///< --ws-max-clients N: more /api/events clients get 503

    /// Parses argv (without the program name), --config FILE included. On a bad command
    /// line returns nullopt and puts a message for the user in `error`.
    static std::optional<BackendOptions> parse(const QStringList &arguments, std::string *error);
    static const char *usage();
    /// The client identity of a process running `services` (all when empty): "client-" and
    /// the services joined by '+', so every process of a split deployment has its own.
    static std::string defaultClientName(const std::vector<std::string> &services);
    /// --keys-init or --authorize-client: an administrator's step, not a backend run.
    bool administersKeys() const { return keysInit || !authorizeClients.empty(); }
    /// The users file: --users, else "users" in the data directory.
    std::string usersPath() const { return usersFile.empty() ? dataDir + "/users" : usersFile; }
};

} // namespace dd::app
