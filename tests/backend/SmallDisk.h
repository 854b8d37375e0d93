// A real small file system for hostile-environment tests: a tmpfs the test mounts, fills, frees and makes read-only.
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace dd::backend::test {

/// Mounted on construction (needs root or CAP_SYS_ADMIN; available() says whether it worked,
/// why() why not), detached when destroyed, so a failed test leaves no mount behind for long.
class SmallDisk
{
public:
    explicit SmallDisk(qint64 bytes)
    {
        const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
        if (::mount("tmpfs", path().toLocal8Bit().constData(), "tmpfs", 0, options.c_str()) == 0)
            m_mounted = true;
        else
            m_why = QString("mount tmpfs: %1").arg(std::strerror(errno));
    }
    ~SmallDisk()
    {
        if (m_mounted)
            ::umount2(path().toLocal8Bit().constData(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    bool available() const { return m_mounted; }
    QString why() const { return m_why; }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    /// Writes a filler file until the file system refuses another byte; returns the bytes written.
    qint64 fill()
    {
        QFile filler(fillerPath());
        if (!filler.open(QIODevice::Append))
            return 0;
        const QByteArray chunk(4096, 'x');
        qint64 written = 0;
        for (qint64 n = 0; (n = filler.write(chunk)) > 0 && filler.flush();)
            written += n;
        for (qint64 n = 0; (n = filler.write("x", 1)) > 0 && filler.flush();) // the last partial page
            written += n;
        return written;
    }
    void freeSpace() { QFile::remove(fillerPath()); }

    /// Remounts read-only (EROFS for every write, root included) or writable again.
    bool setReadOnly(bool readOnly)
    {
        const unsigned long flags = MS_REMOUNT | (readOnly ? MS_RDONLY : 0);
        if (::mount("tmpfs", path().toLocal8Bit().constData(), "tmpfs", flags, nullptr) == 0)
            return true;
        m_why = QString("remount: %1").arg(std::strerror(errno));
        return false;
    }

private:
    QString fillerPath() const { return m_dir.filePath("filler"); }

    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_why;
};

} // namespace dd::backend::test
