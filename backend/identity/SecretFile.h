// Files only their owner may read (identity.key, the users file): written 0600, refused when looser, as ssh and the CURVE .key files do.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dd::identity {

class SecretFile
{
public:
    /// The whole file; nullopt with `error` when it cannot be read or group/others may read it.
    static std::optional<QByteArray> read(const QString &path, QString *error);
    /// Replaces the file atomically with mode 0600 (the directory's other files untouched).
    static bool write(const QString &path, const QByteArray &content, QString *error);
    /// "" when the mode is 0600 or tighter, else why not ("... (mode 0644): chmod 600 it").
    static QString looseModeProblem(const QString &path);
};

} // namespace dd::identity
