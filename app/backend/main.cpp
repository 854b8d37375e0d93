// drone-backend: runs any subset of the services (all by default), optionally with the HTTP gateway.
#include "BackendOptions.h"
#include "BackendRuntime.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &byte, 1);
}
} // namespace

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

    // SIGTERM/SIGINT → a byte on a socket → a clean quit from the event loop
    // (the Qt-documented way: nothing but write() runs in the handler).
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        char byte;
        [[maybe_unused]] auto n = ::read(g_signalPipe[0], &byte, 1);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    dd::app::BackendRuntime runtime(*options);
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "drone-backend: %s\n", error.c_str());
        return 1;
    }
    if (runtime.httpPort() >= 0)
        std::printf("listening http://%s:%d\n", options->httpAddress.c_str(), runtime.httpPort());
    else
        std::printf("ready\n");
    std::fflush(stdout);

    const int rc = app.exec();
    runtime.stop();
    std::fprintf(stderr, "drone-backend: stopped cleanly\n");
    return rc;
}
