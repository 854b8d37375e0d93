// --config FILE: `key = value` lines turned into command-line flags, checked by the executable's own parser.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dd::app {

/// One `key = value` line of a config file.
struct ConfigEntry
{
    int line = 0;
    QString key;   ///< a long flag name without "--"
    QString value; ///< unquoted
};

/// The file format (docs/operating.md, "Configuration file"): UTF-8, one `key = value` per
/// line, `#` at the start of a line makes it a comment, blank lines are ignored, a value
/// may be double-quoted (then \" and \\ are its only escapes), a repeatable flag repeats its key.
class ConfigFile
{
public:
    /// Syntax only: which keys exist is the parser's business. Errors read "FILE:LINE: ...".
    static std::optional<std::vector<ConfigEntry>> parse(const QByteArray &text, const QString &fileName,
                                                         std::string *error);
    static std::optional<std::vector<ConfigEntry>> read(const QString &fileName, std::string *error);
};

/// An executable's flag parser reduced to "are these flags right", with its message when not.
using FlagCheck = std::function<bool(const QStringList &flags, std::string *error)>;

/// The message every parser gives for a flag it does not know; it is how a config
/// key is told to be unknown rather than to have a bad value.
QString unknownOptionError(const QString &flag);

/// True when the command line names a config file (--config FILE).
bool hasConfigFile(const QStringList &arguments);

/// The command line with --config FILE replaced by the file's entries as flags, placed
/// first so the command line's own flags win; a key given on the command line drops all
/// of the file's entries for it (so a repeatable flag's values are replaced, not added to).
/// Each entry is checked alone by `check` so that a mistake is reported with its line:
/// "FILE:7: unknown key \"htp\"" or "FILE:7: http: --http needs a port ...".
std::optional<QStringList> expandConfigFile(const QStringList &arguments, const FlagCheck &check,
                                            std::string *error);

} // namespace dd::app
