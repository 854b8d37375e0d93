// One drone-backend process under chaos: started, read back (its HTTP address), SIGKILLed, restarted on its data.
#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace dd::chaos {

/// Runs `binary ARGS [--http PORT]`, with stderr appended to a log file (kept for a
/// reproduction) and stdout read for the `listening http://HOST:PORT` line that
/// drone-backend prints once it serves. A restart asks for the port it had, so clients
/// find it where it was; if that port is taken meanwhile it takes any free one.
class BackendProcess : public QObject
{
    Q_OBJECT
public:
    /// `http` false: no gateway (split mode's service processes); ready is then the `ready` line.
    BackendProcess(QString name, QString binary, QStringList arguments, QString logFile, bool http,
                   QObject *parent = nullptr);
    /// Arguments drawn anew at every start (split mode's --fault rules).
    void setExtraArguments(std::function<QStringList()> extra) { m_extra = std::move(extra); }
    ~BackendProcess() override;

    const QString &name() const { return m_name; }
    bool up() const { return m_up; }
    QUrl url() const { return m_up ? m_url : QUrl(); }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

    void start();
    /// SIGKILL: no shutdown code runs, as in a power cut or an OOM kill. `exited` follows.
    void kill();
    /// SIGTERM and wait (bounded), SIGKILL if it does not end.
    void stop(int graceMs = 15000);

signals:
    void listening(const QUrl &url);
    void startFailed(const QString &why);
    void exited();

private:
    void onStdout();
    void onFinished();

    QString m_name, m_binary, m_logFile;
    QStringList m_arguments;
    bool m_http = true;
    std::function<QStringList()> m_extra;
    QProcess *m_process = nullptr;
    QByteArray m_stdout;
    QUrl m_url;
    int m_port = 0;        ///< 0 until the first start has read it back
    bool m_up = false;
    bool m_starting = false;
    int m_failedStarts = 0;
};

} // namespace dd::chaos
