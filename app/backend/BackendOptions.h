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
    std::string clientName = "mesh-client";
    bool strictAccounts = false;         ///< --accounts strict|open
    bool strictPlaces = false;           ///< --places strict|lenient
    std::int64_t retryWindowUs = 15LL * 60 * 1000000; ///< --retry-window DURATION
    std::string otlpEndpoint;            ///< --otlp-endpoint URL (OTLP/HTTP JSON); empty: no export
    std::string logFormat = "text";      ///< --log-format text|json
    std::string logFile;                 ///< --log-file FILE; empty: stderr

    /// Parses argv (without the program name), --config FILE included. On a bad command
    /// line returns nullopt and puts a message for the user in `error`.
    static std::optional<BackendOptions> parse(const QStringList &arguments, std::string *error);
    static const char *usage();
};

} // namespace dd::app
