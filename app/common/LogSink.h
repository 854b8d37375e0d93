// Where Qt's log messages go: --log-format text|json and --log-file FILE, installed once per process.
#pragma once

#include <QString>

#include <optional>
#include <string>

namespace dd::app {

enum class LogFormat { Text, Json };

/// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> parseLogFormat(const QString &name);

/// The process's qInstallMessageHandler. Every line is formatted first, then written with one
/// write() under a mutex (O_APPEND), so lines from service threads never interleave.
class LogSink
{
public:
    /// Text to stderr installs nothing (Qt's own handler stays). A file is opened for append
    /// (created 0644 if missing); on failure nothing changes and `error` says why.
    static bool install(LogFormat format, const QString &file, std::string *error);
    /// Opens the file again by its name, for logrotate after it renamed the old one; any thread.
    static bool reopen(std::string *error);
    /// Back to Qt's handler, closing the file (tests, and the end of main).
    static void uninstall();
    /// The file being written; empty when logging to stderr.
    static QString file();
};

} // namespace dd::app
