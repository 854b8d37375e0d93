// WindowProbe: QQuickWindow::grabWindow for screenshots; frameSwapped counting for the frame rate.
#include "WindowProbe.h"

#include <QElapsedTimer>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace dd::console {

WindowProbe::WindowProbe(QQuickWindow *window, std::function<void(int)> finished, QObject *parent)
    : QObject(parent), m_window(window), m_finished(std::move(finished))
{
}

void WindowProbe::screenshotAfter(double seconds, const QString &file)
{
    QTimer::singleShot(int(seconds * 1000), this, [this, file] {
        const QImage image = m_window->grabWindow();
        if (image.isNull() || !image.save(file, "PNG")) {
            std::fprintf(stderr, "drone-console: could not save the screenshot to %s\n", qPrintable(file));
            return m_finished(1);
        }
        std::fprintf(stderr, "drone-console: saved %s (%dx%d)\n", qPrintable(file), image.width(), image.height());
        m_finished(0);
    });
}

void WindowProbe::measureFps(double seconds, std::function<int()> droneCount)
{
    // Counted where it happens (the render thread); only an atomic is touched there.
    connect(m_window, &QQuickWindow::frameSwapped, this, [this] { m_frames.fetch_add(1); }, Qt::DirectConnection);
    // Keep frames coming: queued, so update() runs on the GUI thread.
    connect(m_window, &QQuickWindow::frameSwapped, m_window, &QQuickWindow::update, Qt::QueuedConnection);
    m_window->update();
    auto clock = std::make_shared<QElapsedTimer>();
    QTimer::singleShot(1000, this, [this, seconds, clock, droneCount = std::move(droneCount)] {
        m_frames = 0;
        clock->start();
        QTimer::singleShot(int(seconds * 1000), this, [this, clock, droneCount] {
            const double elapsed = double(clock->nsecsElapsed()) / 1e9;
            const double fps = elapsed > 0 ? m_frames.load() / elapsed : 0.0;
            std::printf("{\"fps\": %.1f, \"drones\": %d}\n", fps, droneCount());
            std::fflush(stdout);
            m_finished(0);
        });
    });
}

} // namespace dd::console
