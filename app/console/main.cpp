// drone-console: the operations console, with the whole backend embedded (default) or attached to a remote one.
#include "BackendRuntime.h"
#include "HeapPolicy.h"
#include "LogSink.h"
#include "QuitOnSignals.h"
#include "Console.h"
#include "ConsoleOptions.h"
#include "DemoSeeder.h"
#include "DemoUsers.h"
#include "WindowProbe.h"

#include "net/security/CurveKeys.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

Q_LOGGING_CATEGORY(lcConsoleMain, "dd.app.console")

using namespace dd;
using namespace dd::console;

namespace {

/// The endpoint table of a remote backend, with this console's CURVE identity. The console
/// never admits itself: an administrator runs `drone-backend --endpoints FILE
/// --authorize-client console` once (the servers' ZAP handler rereads the allow-list).
std::optional<BridgeConfig> remoteBridge(const std::string &file, const std::string &clientName, std::string *error)
{
    auto table = net::EndpointTable::loadFile(file, error);
    if (!table)
        return std::nullopt;
    BridgeConfig config;
    if (!table->keysDir().empty()) {
        if (QDir::isRelativePath(QString::fromStdString(table->keysDir())))
            table->setKeysDir(QFileInfo(QString::fromStdString(file))
                                  .absoluteDir()
                                  .filePath(QString::fromStdString(table->keysDir()))
                                  .toStdString());
        net::CurveKeyStore keys(table->keysDir());
        if (!keys.loadKeyPair(clientName, error)) {
            *error += "; an administrator creates and admits it with: drone-backend --endpoints " + file
                + " --authorize-client " + clientName;
            return std::nullopt;
        }
        for (const char *service : {"ingestion", "delivery", "deliveryhistory", "supervisor", "drone"})
            if (table->contains(service) && table->instances(service).front().isTcp() && !keys.publicKey(service)) {
                *error = std::string("no key for ") + service + " in " + table->keysDir()
                    + ": run drone-backend --endpoints " + file + " --keys-init first";
                return std::nullopt;
            }
        config.security = net::SecurityConfig::fromKeysDir(table->keysDir(), clientName);
        // The secret the backend's Supervisor and Account verify with: without it nobody can
        // sign in here (reading and dispatching still work).
        QString why;
        const QString identityKey = QDir(QString::fromStdString(table->keysDir())).filePath(QStringLiteral("identity.key"));
        config.credentials = identity::CredentialSigner::loadKeyFile(identityKey, &why);
        if (!config.credentials)
            qCWarning(lcConsoleMain).noquote() << "nobody can sign in:" << why;
    }
    config.endpoints = std::move(*table);
    return config;
}

constexpr int kStartupHeapTrims = 8;
constexpr auto kHeapTrimInterval = std::chrono::seconds(20);

QString defaultDataDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return base.isEmpty() ? QStringLiteral("drone-data") : QDir(base).filePath(QStringLiteral("drone-data"));
}

} // namespace

int main(int argc, char **argv)
{
    applyCompactHeapPolicy();
    // The command line is checked before the GUI starts: --help and mistakes need no display.
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        std::fputs(ConsoleOptions::usage(), stdout);
        return 0;
    }
    std::string error;
    auto options = ConsoleOptions::parse(arguments, &error);
    if (!options) {
        std::fprintf(stderr, "drone-console: %s\n%s", error.c_str(), ConsoleOptions::usage());
        return 2;
    }
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("drone-console"));
    QGuiApplication::setOrganizationName(QStringLiteral("DroneDelivery"));
    if (!app::LogSink::install(*app::parseLogFormat(QString::fromStdString(options->backend.logFormat)),
                               QString::fromStdString(options->backend.logFile), &error)) {
        std::fprintf(stderr, "drone-console: %s\n", error.c_str());
        return 1;
    }
    app::quitOnTerminationSignals(app);
    if (!options->backend.logFile.empty())
        app::onHangupSignal(app, [] { // logrotate renamed the file: go on in a new one
            std::string why;
            if (app::LogSink::reopen(&why))
                qCInfo(lcConsoleMain) << "log file reopened";
            else
                qCWarning(lcConsoleMain) << why.c_str();
        });

    Console::Options consoleOptions;
    consoleOptions.embedded = options->embedded();
    std::unique_ptr<app::BackendRuntime> backend;
    bool seed = false;
    if (options->embedded()) {
        if (!options->dataDirGiven)
            options->backend.dataDir = defaultDataDir().toStdString();
        seed = DemoSeeder::isFreshDataDir(QString::fromStdString(options->backend.dataDir));
        backend = std::make_unique<app::BackendRuntime>(options->backend);
        if (!backend->start(&error)) {
            std::fprintf(stderr, "drone-console: %s\n", error.c_str());
            return 1;
        }
        consoleOptions.bridge.credentials = backend->credentials();
        std::fprintf(stderr, "drone-console: embedded backend in %s, %d drones, time x%g\n",
                     options->backend.dataDir.c_str(), options->backend.fleet, options->backend.timeScale);
        if (backend->httpPort() >= 0)
            std::fprintf(stderr, "drone-console: listening http://%s:%d\n", options->backend.httpAddress.c_str(),
                         backend->httpPort());
    } else {
        auto remote = remoteBridge(options->connectFile, options->backend.clientName, &error);
        if (!remote) {
            std::fprintf(stderr, "drone-console: --connect %s: %s\n", options->connectFile.c_str(), error.c_str());
            return 1;
        }
        consoleOptions.bridge = std::move(*remote);
    }
    // The laptop demo (embedded, no --users): demo users with known passwords, signed in as the
    // dispatcher; a real team names its users file (drone-backend --add-user writes it).
    const bool demoUsers = options->embedded() && options->usersFile.isEmpty();
    if (demoUsers) {
        const auto file = DemoUsers::ensure(QString::fromStdString(options->backend.dataDir), &error);
        if (!file) {
            std::fprintf(stderr, "drone-console: %s\n", error.c_str());
            return 1;
        }
        consoleOptions.bridge.usersFile = *file;
    } else {
        consoleOptions.bridge.usersFile = options->usersFile;
    }

    auto console = std::make_unique<Console>(std::move(consoleOptions));
    Console::setInstance(console.get()); // before QML asks for the singleton
    console->start();
    if (demoUsers && !console->signIn(DemoUsers::kDispatcher, DemoUsers::kDispatcherPassword))
        std::fprintf(stderr, "drone-console: demo sign-in failed: %s\n", qPrintable(console->signInError()));
    if (seed)
        DemoSeeder::seed(*console);
    // Loading and the fleet's first minutes leave freed pages behind in the heaps.
    // Every second while loading, then now and then.
    QTimer heapTrim;
    int startupTrims = kStartupHeapTrims;
    QObject::connect(&heapTrim, &QTimer::timeout, &heapTrim, [&heapTrim, &startupTrims] {
        trimHeap();
        if (--startupTrims == 0)
            heapTrim.setInterval(kHeapTrimInterval);
    });
    heapTrim.start(std::chrono::seconds(1));

    int rc = 0;
    {
        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml")); // Qt 6.4 does not search it by default
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/DroneConsole/Main.qml")));
        auto *window = engine.rootObjects().isEmpty() ? nullptr
                                                      : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        if (!window) {
            std::fprintf(stderr, "drone-console: the QML did not load a window\n");
            rc = 1;
        } else {
            WindowProbe probe(window, [&app](int code) { app.exit(code); });
            if (!options->screenshotFile.isEmpty())
                probe.screenshotAfter(options->screenshotAfter, options->screenshotFile);
            else if (options->measureFpsSeconds > 0)
                probe.measureFps(options->measureFpsSeconds,
                                 [&console] { return console->fleetState()->droneCount(); });
            rc = app.exec();
        }
    } // the QML goes first: nothing may read the models while they stop changing

    // Then the bridge (the console's sockets), then the services it talked to.
    console->stop();
    Console::setInstance(nullptr);
    console.reset();
    if (backend)
        backend->stop();
    std::fprintf(stderr, "drone-console: stopped cleanly\n");
    return rc;
}
