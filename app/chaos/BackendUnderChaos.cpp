// Laying out, starting, killing and restarting the backend's processes.
#include "BackendUnderChaos.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTimer>

#include <memory>
#include <vector>

namespace dd::chaos {

namespace {

// The order the split test and the README start them in: the services, then the front.
const QStringList kServices = {"account",    "package",    "thirdparty", "drone",    "deliveryhistory",
                               "delivery",   "supervisor", "scheduler",  "ingestion"};
const QStringList kPublishers = {"drone.telemetry", "delivery.events", "supervisor.events"};

} // namespace

BackendUnderChaos::BackendUnderChaos(const ChaosOptions &options, QString binary, QString dataDir, QObject *parent)
    : QObject(parent), m_options(options), m_binary(std::move(binary)), m_dataDir(std::move(dataDir)),
      m_pauses(options.seed ^ 0x9e3779b97f4a7c15ULL)
{
    // Random per run: the tokens file is the only place that has them.
    const auto token = [] { return QByteArray::number(QRandomGenerator::system()->generate64(), 36)
                                 + QByteArray::number(QRandomGenerator::system()->generate64(), 36); };
    m_dispatcherToken = "chaos-d-" + token();
    m_supervisorToken = "chaos-s-" + token();
    m_adminToken = "chaos-a-" + token();
}

QStringList BackendUnderChaos::writeTokensFile(QString *error)
{
    const QString path = m_dataDir + "/tokens";
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return {};
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(m_dispatcherToken + " dispatcher chaos-dispatcher\n" + m_supervisorToken + " supervisor chaos-supervisor\n"
               + m_adminToken + " admin chaos-admin\n");
    return {"--tokens", path};
}

BackendProcess *BackendUnderChaos::add(const QString &name, const QStringList &arguments, bool http)
{
    auto *process = new BackendProcess(name, m_binary, arguments, m_dataDir + "/logs/" + name + ".log", http, this);
    if (m_options.split && !http) // no gateway of its own: its faults come as flags, drawn at each start
        process->setExtraArguments([this, name] {
            QStringList flags;
            for (const QString &rule : m_faultSource ? m_faultSource() : QStringList{})
                if (rule.section('=', 0, 0).section('.', 0, 0) == name)
                    flags << "--fault" << rule;
            m_faultFlags += int(flags.size()) / 2;
            return flags;
        });
    m_processes.append(process);
    m_killedAt.append(0);
    connect(process, &BackendProcess::listening, this, [this, process] { onListening(process); });
    connect(process, &BackendProcess::startFailed, this, &BackendUnderChaos::failed);
    connect(process, &BackendProcess::exited, this, [this, process] {
        const int index = int(m_processes.indexOf(process));
        if (m_killedAt[index] == 0) { // not our SIGKILL
            ++m_crashes;
            m_killedAt[index] = QDateTime::currentMSecsSinceEpoch();
            emit crashed(process->name(), m_dataDir + "/logs/" + process->name() + ".log");
        }
        // A crash-looping service restarts after a pause, as systemd's RestartSec= has it.
        const int pauseMs = int(std::uniform_int_distribution<int>(0, 1000)(m_pauses));
        QTimer::singleShot(pauseMs, process, &BackendProcess::start);
    });
    return process;
}

bool BackendUnderChaos::writeEndpointTable(const QString &path, QString *error)
{
    // Distinct free ports: every probe stays bound until all are chosen.
    std::vector<std::unique_ptr<QTcpServer>> probes;
    QJsonObject services;
    for (const QString &name : kServices + kPublishers) {
        probes.push_back(std::make_unique<QTcpServer>());
        if (!probes.back()->listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("no free loopback port: ") + probes.back()->errorString();
            return false;
        }
        services.insert(name, QStringLiteral("tcp://127.0.0.1:%1").arg(probes.back()->serverPort()));
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(QJsonObject{{"keysDir", "keys"}, {"services", services}}).toJson());
    return true;
}

void BackendUnderChaos::start()
{
    QDir().mkpath(m_dataDir + "/logs");
    const QStringList common{"--fleet", QString::number(m_options.fleet), "--time-scale",
                             QString::number(m_options.timeScale)};
    QString tokensError;
    const QStringList tokens = writeTokensFile(&tokensError);
    if (tokens.isEmpty()) {
        QTimer::singleShot(0, this, [this, tokensError] { emit failed(tokensError); });
        return;
    }
    if (!m_options.split) {
        m_front = add("backend", QStringList{"--data-dir", m_dataDir + "/backend"} + common + tokens, true);
        m_front->start();
        return;
    }
    const QString endpoints = m_dataDir + "/endpoints.json";
    QString error;
    if (!writeEndpointTable(endpoints, &error)) {
        QTimer::singleShot(0, this, [this, error] { emit failed(error); });
        return;
    }
    // The admin step of a split deployment: every service's key pair, and each process's client admitted.
    QStringList keyArguments{"--endpoints", endpoints, "--keys-init"};
    for (const QString &service : kServices)
        keyArguments << "--authorize-client" << "client-" + service; // drone-backend's default client name
    QProcess keys;
    keys.setProcessChannelMode(QProcess::MergedChannels);
    keys.start(m_binary, keyArguments);
    if (!keys.waitForFinished(30000) || keys.exitStatus() != QProcess::NormalExit || keys.exitCode() != 0) {
        const QString why = QStringLiteral("%1 %2 failed: %3")
                                .arg(m_binary, keyArguments.join(' '), QString::fromUtf8(keys.readAll()).trimmed());
        QTimer::singleShot(0, this, [this, why] { emit failed(why); });
        return;
    }
    for (const QString &service : kServices) {
        BackendProcess *process = add(service, QStringList{"--data-dir", m_dataDir + "/" + service, "--endpoints",
                                                           endpoints, "--services", service}
                                          + common + (service == QLatin1String("ingestion") ? tokens : QStringList{}),
                                      service == QLatin1String("ingestion"));
        if (service == QLatin1String("ingestion"))
            m_front = process;
    }
    // One first, then the rest together (as the README starts the services before the front).
    m_processes.first()->start();
}

void BackendUnderChaos::onListening(BackendProcess *process)
{
    const int index = int(m_processes.indexOf(process));
    if (m_killedAt[index] != 0) {
        ++m_restarts;
        const qint64 downMs = QDateTime::currentMSecsSinceEpoch() - m_killedAt[index];
        m_killedAt[index] = 0;
        emit restarted(process->name(), downMs);
        return;
    }
    if (m_ready)
        return;
    if (index == 0)
        for (BackendProcess *other : m_processes.mid(1))
            other->start();
    if (allUp()) {
        m_ready = true;
        emit ready();
    }
}

void BackendUnderChaos::stop()
{
    // The front first, so nothing new is accepted while the services stop.
    if (m_front)
        m_front->stop();
    for (BackendProcess *process : m_processes)
        process->stop();
}

QUrl BackendUnderChaos::frontUrl() const
{
    return m_front ? m_front->url() : QUrl();
}

QList<FaultTarget> BackendUnderChaos::faultTargets() const
{
    QList<FaultTarget> targets;
    // Split mode: only Ingestion's process serves HTTP; the others take their faults as flags.
    for (BackendProcess *process : m_processes) {
        if (!process->up() || process->url().isEmpty())
            continue;
        targets.append({process->url(), m_options.split ? QStringList{process->name()} : QStringList{}});
    }
    return targets;
}

bool BackendUnderChaos::allUp() const
{
    for (BackendProcess *process : m_processes)
        if (!process->up())
            return false;
    return !m_processes.isEmpty();
}

bool BackendUnderChaos::killOne(std::mt19937_64 &random)
{
    if (!allUp())
        return false;
    const int index = int(std::uniform_int_distribution<int>(0, int(m_processes.size()) - 1)(random));
    BackendProcess *victim = m_processes[index];
    const qint64 pid = victim->pid();
    m_killedAt[index] = QDateTime::currentMSecsSinceEpoch();
    victim->kill();
    ++m_kills;
    emit killed(victim->name(), pid);
    return true;
}

QString BackendUnderChaos::processNames() const
{
    QStringList names;
    for (BackendProcess *process : m_processes)
        names.append(process->up() ? process->name() : process->name() + "(down)");
    return names.join(',');
}

} // namespace dd::chaos
