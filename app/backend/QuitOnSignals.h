// SIGTERM and SIGINT end the application's event loop cleanly; SIGHUP can run an action (drone-backend, drone-console).
#pragma once

#include <functional>

class QCoreApplication;

namespace dd::app {

/// The Qt-documented way: the handler only write()s the signal's number to a socket pair;
/// a QSocketNotifier on the other end acts on it, so everything runs in ordinary code
/// (for a quit: gateway first, then the services, nothing accepted lost).
void quitOnTerminationSignals(QCoreApplication &app);

/// SIGHUP runs `action` on the event loop (reopening the log file for logrotate). Without
/// this call SIGHUP keeps its default (the process ends, as a closed terminal expects).
void onHangupSignal(QCoreApplication &app, std::function<void()> action);

} // namespace dd::app
