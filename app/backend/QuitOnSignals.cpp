// Signal-to-event-loop bridge through a socket pair: the byte written is the signal's number.
#include "QuitOnSignals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace dd::app {

namespace {
int g_signalPipe[2] = {-1, -1};
std::function<void()> g_onHangup; // set before SIGHUP is routed here, used on the loop only

void onSignal(int signal)
{
    const char byte = static_cast<char>(signal); // async-signal-safe: write() only
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &byte, 1);
}

/// The socket pair and its notifier, made once for all the signals routed through it.
bool ensurePipe(QCoreApplication &app)
{
    if (g_signalPipe[0] >= 0)
        return true;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return false;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char byte = 0;
        if (::read(g_signalPipe[0], &byte, 1) != 1)
            return;
        if (byte == SIGHUP) {
            if (g_onHangup)
                g_onHangup();
            return;
        }
        app.quit();
    });
    return true;
}

void route(int signal)
{
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signal, &action, nullptr);
}
} // namespace

void quitOnTerminationSignals(QCoreApplication &app)
{
    if (!ensurePipe(app))
        return;
    route(SIGTERM);
    route(SIGINT);
}

void onHangupSignal(QCoreApplication &app, std::function<void()> action)
{
    if (!ensurePipe(app))
        return;
    g_onHangup = std::move(action);
    route(SIGHUP);
}

} // namespace dd::app
