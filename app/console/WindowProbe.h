// drone-console's unattended modes: a screenshot of the window after a while, or its frame rate.
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

class QQuickWindow;

namespace dd::console {

/// Both call `finished(exitCode)` on the GUI thread when done and print nothing on
/// stdout except the fps line (diagnostics go to stderr).
class WindowProbe : public QObject
{
    Q_OBJECT

public:
    WindowProbe(QQuickWindow *window, std::function<void(int exitCode)> finished, QObject *parent = nullptr);

    /// Grabs the window `seconds` after now and saves it as PNG.
    void screenshotAfter(double seconds, const QString &file);
    /// After a one-second warm-up, renders continuously for `seconds` and prints
    /// {"fps": X, "drones": N}. Frames are counted on the render thread
    /// (frameSwapped, direct, into an atomic); the next frame is requested from the
    /// GUI thread, never from the render thread.
    void measureFps(double seconds, std::function<int()> droneCount);

private:
    QQuickWindow *m_window;
    std::function<void(int)> m_finished;
    std::atomic<int> m_frames{0};
};

} // namespace dd::console
