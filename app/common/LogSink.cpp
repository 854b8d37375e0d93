// LogSink: the message handler, its file descriptor and the reopen on SIGHUP.
#include "LogSink.h"

#include "LogLine.h"

#include "net/telemetry/LogContext.h"

#include <QDateTime>
#include <QFile>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace dd::app {

namespace {

struct SinkState
{
    std::mutex mutex;
    int fd = STDERR_FILENO;
    bool ownsFd = false;
    std::atomic<LogFormat> format{LogFormat::Text}; // read by every message outside the lock
    QString path;
    bool installed = false;
};

SinkState &state()
{
    static SinkState s;
    return s;
}

int openLogFile(const QString &path, std::string *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 && error)
        *error = (path + ": cannot open the log file: ").toStdString() + std::strerror(errno);
    return fd;
}

void writeAll(int fd, const QByteArray &line)
{
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) { // one write() in practice; the loop only covers a partial write or EINTR
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // nowhere left to report a failing log
        data += n;
        left -= n;
    }
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    SinkState &s = state();
    QByteArray line;
    if (s.format == LogFormat::Json) {
        LogRecord record;
        record.type = type;
        record.category = context.category;
        record.message = message;
        record.msecsSinceEpoch = QDateTime::currentMSecsSinceEpoch();
        record.service = net::LogContext::threadService();
        record.trace = net::LogContext::currentTrace();
        line = jsonLogLine(record);
    } else {
        line = qFormatLogMessage(type, context, message).toUtf8();
        line += '\n';
    }
    std::lock_guard lock(s.mutex);
    writeAll(s.fd, line);
}

} // namespace

std::optional<LogFormat> parseLogFormat(const QString &name)
{
    if (name == QLatin1String("text"))
        return LogFormat::Text;
    if (name == QLatin1String("json"))
        return LogFormat::Json;
    return std::nullopt;
}

bool LogSink::install(LogFormat format, const QString &file, std::string *error)
{
    SinkState &s = state();
    int fd = STDERR_FILENO;
    if (!file.isEmpty() && (fd = openLogFile(file, error)) < 0)
        return false;
    {
        std::lock_guard lock(s.mutex);
        if (s.ownsFd)
            ::close(s.fd);
        s.fd = fd;
        s.ownsFd = !file.isEmpty();
        s.format = format;
        s.path = file;
    }
    if (format == LogFormat::Text && file.isEmpty()) {
        uninstall();
        return true;
    }
    if (!s.installed)
        qInstallMessageHandler(handleMessage);
    s.installed = true;
    return true;
}

bool LogSink::reopen(std::string *error)
{
    SinkState &s = state();
    QString path;
    {
        std::lock_guard lock(s.mutex);
        path = s.path;
    }
    if (path.isEmpty())
        return true; // stderr: nothing to reopen
    const int fd = openLogFile(path, error);
    if (fd < 0)
        return false; // keep writing to the old file rather than nowhere
    int old;
    {
        std::lock_guard lock(s.mutex);
        old = s.fd;
        s.fd = fd;
    }
    ::close(old);
    return true;
}

void LogSink::uninstall()
{
    SinkState &s = state();
    if (s.installed)
        qInstallMessageHandler(nullptr);
    s.installed = false;
    std::lock_guard lock(s.mutex);
    if (s.ownsFd)
        ::close(s.fd);
    s.fd = STDERR_FILENO;
    s.ownsFd = false;
    s.path.clear();
}

QString LogSink::file()
{
    SinkState &s = state();
    std::lock_guard lock(s.mutex);
    return s.path;
}

} // namespace dd::app
