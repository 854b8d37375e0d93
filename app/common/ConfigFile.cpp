// ConfigFile: the line syntax, and the merge of a file's flags with the command line's.
#include "ConfigFile.h"

#include <QFile>
#include <QSet>
#include <QStringDecoder>

namespace dd::app {

namespace {

QString where(const QString &fileName, int line)
{
    return fileName + ':' + QString::number(line) + ": ";
}

/// `"text"` with \" and \\ unescaped; nullopt when the quote is not closed or text follows it.
std::optional<QString> unquote(const QString &quoted)
{
    QString out;
    for (qsizetype i = 1; i < quoted.size(); ++i) {
        const QChar c = quoted[i];
        if (c == '\\' && i + 1 < quoted.size() && (quoted[i + 1] == '"' || quoted[i + 1] == '\\')) {
            out += quoted[++i];
        } else if (c == '"') {
            if (i + 1 != quoted.size())
                return std::nullopt;
            return out;
        } else {
            out += c;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::vector<ConfigEntry>> ConfigFile::parse(const QByteArray &text, const QString &fileName,
                                                          std::string *error)
{
    auto fail = [&](int line, const QString &message) -> std::optional<std::vector<ConfigEntry>> {
        if (error)
            *error = (where(fileName, line) + message).toStdString();
        return std::nullopt;
    };
    std::vector<ConfigEntry> entries;
    const QList<QByteArray> lines = text.split('\n');
    for (int n = 0; n < lines.size(); ++n) {
        const int lineNumber = n + 1;
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString raw = utf8.decode(lines[n]);
        if (utf8.hasError())
            return fail(lineNumber, QStringLiteral("not UTF-8 text"));
        const QString line = raw.trimmed(); // also drops a CRLF file's '\r'
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype equals = line.indexOf('=');
        if (equals < 0)
            return fail(lineNumber, "expected key = value, not \"" + line + "\"");
        ConfigEntry entry;
        entry.line = lineNumber;
        entry.key = line.left(equals).trimmed();
        entry.value = line.mid(equals + 1).trimmed();
        if (entry.key.isEmpty())
            return fail(lineNumber, "no key before \"=\"");
        if (entry.key.startsWith('-'))
            return fail(lineNumber, "write the key \"" + entry.key + "\" without the leading \"--\"");
        if (entry.value.startsWith('"')) {
            auto unquoted = unquote(entry.value);
            if (!unquoted)
                return fail(lineNumber, entry.key + ": the value's quote is not closed at the end of the line");
            entry.value = *unquoted;
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::optional<std::vector<ConfigEntry>> ConfigFile::read(const QString &fileName, std::string *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = (fileName + ": cannot read the config file: " + file.errorString()).toStdString();
        return std::nullopt;
    }
    return parse(file.readAll(), fileName, error);
}

QString unknownOptionError(const QString &flag)
{
    return "unknown option \"" + flag + "\"";
}

bool hasConfigFile(const QStringList &arguments)
{
    return arguments.contains(QStringLiteral("--config"));
}

std::optional<QStringList> expandConfigFile(const QStringList &arguments, const FlagCheck &check,
                                            std::string *error)
{
    auto fail = [&](const QString &message) -> std::optional<QStringList> {
        if (error)
            *error = message.toStdString();
        return std::nullopt;
    };
    QString fileName;
    QStringList commandLine;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (arguments[i] != QLatin1String("--config")) {
            commandLine << arguments[i];
            continue;
        }
        if (i + 1 >= arguments.size())
            return fail(QStringLiteral("--config needs a file"));
        if (!fileName.isEmpty())
            return fail(QStringLiteral("--config is given twice; one file holds the whole configuration"));
        fileName = arguments[++i];
    }
    std::string why;
    const auto entries = ConfigFile::read(fileName, &why);
    if (!entries)
        return fail(QString::fromStdString(why));

    QSet<QString> givenOnCommandLine;
    for (const QString &argument : commandLine)
        if (argument.startsWith(QLatin1String("--")))
            givenOnCommandLine.insert(argument);

    QStringList merged;
    for (const ConfigEntry &entry : *entries) {
        const QString flag = "--" + entry.key;
        if (entry.key == QLatin1String("config"))
            return fail(where(fileName, entry.line) + "config: a config file cannot name another one");
        const QStringList flags{flag, entry.value};
        if (!check(flags, &why)) {
            const QString message = QString::fromStdString(why);
            if (message == unknownOptionError(flag))
                return fail(where(fileName, entry.line) + "unknown key \"" + entry.key + "\"");
            return fail(where(fileName, entry.line) + entry.key + ": " + message);
        }
        if (!givenOnCommandLine.contains(flag))
            merged << flags;
    }
    return merged + commandLine;
}

} // namespace dd::app
