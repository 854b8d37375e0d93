// Starting, reading back and killing one drone-backend process.
#include "BackendProcess.h"

#include <QFile>
#include <QTimer>

#include <algorithm>
#include <csignal>

#include <sys/prctl.h>

namespace dd::chaos {

BackendProcess::BackendProcess(QString name, QString binary, QStringList arguments, QString logFile, bool http,
                               QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_binary(std::move(binary)), m_logFile(std::move(logFile)),
      m_arguments(std::move(arguments)), m_http(http)
{
}

BackendProcess::~BackendProcess()
{
    stop(2000);
}

void BackendProcess::start()
{
    Q_ASSERT(!m_process);
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardErrorFile(m_logFile, QIODevice::Append);
    // If drone-chaos itself dies (a CTest timeout, ^C), its backends die with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_stdout.clear();
    m_starting = true;
    connect(m_process, &QProcess::readyReadStandardOutput, this, &BackendProcess::onStdout);
    connect(m_process, &QProcess::finished, this, &BackendProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_starting = false;
            emit startFailed(QStringLiteral("%1: cannot run %2: %3").arg(m_name, m_binary, m_process->errorString()));
        }
    });
    QStringList arguments = m_arguments + (m_extra ? m_extra() : QStringList{});
    if (m_http)
        arguments << "--http" << QString::number(m_port);
    m_process->start(m_binary, arguments);
}

void BackendProcess::onStdout()
{
    m_stdout += m_process->readAllStandardOutput();
    if (!m_starting)
        return m_stdout.clear();
    if (!m_http) {
        if (!m_stdout.startsWith("ready\n") && !m_stdout.contains("\nready\n"))
            return;
    } else {
        const int at = m_stdout.indexOf("listening http://");
        const int end = at < 0 ? -1 : m_stdout.indexOf('\n', at);
        if (end < 0)
            return;
        m_url = QUrl(QString::fromUtf8(m_stdout.mid(at + 10, end - at - 10)).trimmed());
        m_port = m_url.port();
    }
    m_up = true;
    m_starting = false;
    m_failedStarts = 0;
    m_stdout.clear();
    emit listening(m_url);
}

void BackendProcess::kill()
{
    if (!m_process)
        return;
    m_up = false; // clients stop using it now, not when the kernel has reaped it
    ::kill(pid_t(m_process->processId()), SIGKILL);
}

void BackendProcess::onFinished()
{
    const bool wasStarting = m_starting;
    m_up = false;
    m_starting = false;
    m_process->deleteLater();
    m_process = nullptr;
    if (!wasStarting)
        return emit exited();
    // It ended before listening: its log says why. A taken port is tried again on any port.
    QFile log(m_logFile);
    QByteArray tail;
    if (log.open(QIODevice::ReadOnly)) {
        const qint64 size = log.size();
        log.seek(std::max<qint64>(0, size - 2000));
        tail = log.readAll();
    }
    if (++m_failedStarts <= 3) {
        if (tail.contains("Address already in use") || tail.contains("address already in use"))
            m_port = 0;
        QTimer::singleShot(500 * m_failedStarts, this, &BackendProcess::start);
        return;
    }
    emit startFailed(QStringLiteral("%1 did not start (%2 tries); the end of %3:\n%4")
                         .arg(m_name)
                         .arg(m_failedStarts)
                         .arg(m_logFile, QString::fromUtf8(tail)));
}

void BackendProcess::stop(int graceMs)
{
    if (!m_process)
        return;
    QProcess *process = m_process;
    disconnect(process, nullptr, this, nullptr);
    m_process = nullptr;
    m_up = false;
    ::kill(pid_t(process->processId()), SIGTERM);
    if (!process->waitForFinished(graceMs)) {
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished(5000);
    }
    delete process;
}

} // namespace dd::chaos
