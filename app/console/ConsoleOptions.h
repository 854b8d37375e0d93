// drone-console's command line: the embedded backend's flags (BackendOptions) plus the console's own.
#pragma once

#include "BackendOptions.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <string>

namespace dd::console {

struct ConsoleOptions
{
    app::BackendOptions backend;  ///< embedded mode; demo defaults: 200 drones, time scale 10
    bool dataDirGiven = false;    ///< false: a directory under the user's app data
    std::string connectFile;      ///< --connect: attach to a remote backend through this endpoint table
    QString usersFile;            ///< --users FILE: who may sign in; empty embedded: the demo users
    QString screenshotFile;       ///< --screenshot FILE.png
    double screenshotAfter = 3.0; ///< --after SECONDS
    double measureFpsSeconds = 0; ///< --measure-fps SECONDS; 0 = off

    bool embedded() const { return connectFile.empty(); }

    /// Parses argv (without the program name), --config FILE included. On a bad command
    /// line returns nullopt and puts a message for the user in `error`.
    static std::optional<ConsoleOptions> parse(const QStringList &arguments, std::string *error);
    static const char *usage();
};

} // namespace dd::console
