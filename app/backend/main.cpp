// drone-backend: runs any subset of the services (all by default), optionally with the HTTP gateway.
#include "BackendOptions.h"
#include "BackendRuntime.h"
#include "KeyAdmin.h"
#include "UserAdmin.h"
#include "LogSink.h"
#include "QuitOnSignals.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

Q_LOGGING_CATEGORY(lcBackendMain, "dd.app.backend")

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("drone-backend");
    const QStringList arguments = app.arguments().mid(1);
    if (arguments.contains("--help") || arguments.contains("-h")) {
        std::fputs(dd::app::BackendOptions::usage(), stdout);
        return 0;
    }
    std::string error;
    auto options = dd::app::BackendOptions::parse(arguments, &error);
    if (!options) {
        std::fprintf(stderr, "drone-backend: %s\n%s", error.c_str(), dd::app::BackendOptions::usage());
        return 2;
    }

    if (!options->addUser.empty()) { // the admin step: a console user in the users file, exit
        if (!dd::app::UserAdmin::run(*options, stdin, stdout, &error)) {
            std::fprintf(stderr, "drone-backend: %s\n", error.c_str());
            return 1;
        }
        return 0;
    }

    if (options->administersKeys()) { // the admin step: make keys, admit clients, exit
        if (!dd::app::KeyAdmin::run(*options, stdout, &error)) {
            std::fprintf(stderr, "drone-backend: %s\n", error.c_str());
            return 1;
        }
        return 0;
    }

    if (!dd::app::LogSink::install(*dd::app::parseLogFormat(QString::fromStdString(options->logFormat)),
                                   QString::fromStdString(options->logFile), &error)) {
        std::fprintf(stderr, "drone-backend: %s\n", error.c_str());
        return 1;
    }
    dd::app::quitOnTerminationSignals(app);
    if (!options->logFile.empty())
        dd::app::onHangupSignal(app, [] { // logrotate renamed the file: go on in a new one
            std::string why;
            if (dd::app::LogSink::reopen(&why))
                qCInfo(lcBackendMain) << "log file reopened";
            else
                qCWarning(lcBackendMain) << why.c_str();
        });

    dd::app::BackendRuntime runtime(*options);
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-backend: %s\n", error.c_str());
        return 1;
    }
    if (runtime.metricsPort() >= 0) // before "ready"/"listening": whoever waits for those can read it
        std::printf("metrics http://%s:%d/metrics\n", options->httpAddress.c_str(), runtime.metricsPort());
    if (runtime.httpPort() >= 0)
        std::printf("listening http://%s:%d\n", options->httpAddress.c_str(), runtime.httpPort());
    else
        std::printf("ready\n");
    std::fflush(stdout);
    qCInfo(lcBackendMain) << "started";

    const int rc = app.exec();
    qCInfo(lcBackendMain) << "stopping";
    runtime.stop();
    std::fprintf(stderr, "drone-backend: stopped cleanly\n");
    return rc;
}
