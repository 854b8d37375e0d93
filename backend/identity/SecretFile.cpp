// SecretFile: owner-only files, checked by fstat of the open descriptor (no race between check and read).
#include "backend/identity/SecretFile.h"

#include <QFile>
#include <QSaveFile>

#include <sys/stat.h>

namespace dd::identity {

namespace {
QString octal(unsigned mode)
{
    return QStringLiteral("%1").arg(mode & 07777, 4, 8, QLatin1Char('0'));
}

QString problemOf(const QString &path, const struct stat &st)
{
    if ((st.st_mode & 077) == 0)
        return {};
    return QStringLiteral("%1 is readable by group or others (mode %2): chmod 600 it").arg(path, octal(st.st_mode));
}
} // namespace

std::optional<QByteArray> SecretFile::read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    struct stat st{};
    if (::fstat(file.handle(), &st) != 0) {
        if (error)
            *error = QStringLiteral("cannot stat %1").arg(path);
        return std::nullopt;
    }
    if (const QString problem = problemOf(path, st); !problem.isEmpty()) {
        // A secret others can read is no longer this deployment's alone.
        if (error)
            *error = problem;
        return std::nullopt;
    }
    return file.readAll();
}

bool SecretFile::write(const QString &path, const QByteArray &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // Before the content: the temporary file is never readable by others, not even briefly.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(content);
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString SecretFile::looseModeProblem(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return QStringLiteral("cannot stat %1").arg(path);
    return problemOf(path, st);
}

} // namespace dd::identity
