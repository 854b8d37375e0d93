// SIGTERM and SIGINT end the application's event loop cleanly (drone-backend, drone-console).
#pragma once

class QCoreApplication;

namespace dd::app {

/// The Qt-documented way: the handler only write()s a byte to a socket pair; a
/// QSocketNotifier on the other end quits the event loop, so shutdown runs in
/// ordinary code (gateway first, then the services, nothing accepted lost).
void quitOnTerminationSignals(QCoreApplication &app);

} // namespace dd::app
