// fleetmap-fps: frames per second of the fleet map with N moving drones; prints one JSON line.
#include "FleetMapItem.h"
#include "FleetStateSource.h"
#include "MovingFleet.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QQuickView>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <pthread.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd::fleetmap;

namespace {

// Process CPU time (all threads, llvmpipe's rasterizers included): under a loaded
// machine CPU per frame is a steadier figure than frames per second.
double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the fleet map's frame rate with moving drones."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("drones"), QStringLiteral("number of drones (default 10000)"));
    parser.addPositionalArgument(QStringLiteral("seconds"), QStringLiteral("measured seconds (default 5)"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("save a PNG at the end"),
                                        QStringLiteral("file"));
    const QCommandLineOption rate(QStringLiteral("hz"), QStringLiteral("writes per second (default 60)"),
                                  QStringLiteral("hz"), QStringLiteral("60"));
    const QCommandLineOption interval(QStringLiteral("interval"),
                                      QStringLiteral("FleetStateSource interval in ms (default 0)"),
                                      QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption warmup(QStringLiteral("warmup"), QStringLiteral("unmeasured seconds first (default 1)"),
                                    QStringLiteral("seconds"), QStringLiteral("1"));
    const QCommandLineOption zoom(QStringLiteral("zoom"),
                                  QStringLiteral("metres per pixel, centred on the selected drone (default: fit all)"),
                                  QStringLiteral("mpp"));
    parser.addOptions({screenshot, rate, interval, warmup, zoom});
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    const int drones = args.size() > 0 ? args[0].toInt() : 10000;
    const double seconds = args.size() > 1 ? args[1].toDouble() : 5.0;
    const double hz = qMax(1.0, parser.value(rate).toDouble());

    QQuickView view;
    view.engine()->addImportPath(QStringLiteral("qrc:/qt/qml")); // Qt 6.4 does not search it by default
    view.setResizeMode(QQuickView::SizeRootObjectToView);
    view.setSource(QUrl(QStringLiteral("qrc:/fleetmapfps/FleetMapFps.qml")));
    if (view.status() != QQuickView::Ready)
        return 1;
    view.resize(1280, 800);
    auto *map = view.rootObject()->findChild<FleetMapItem *>(QStringLiteral("map"));
    auto *source = view.rootObject()->findChild<FleetStateSource *>(QStringLiteral("source"));
    if (!map || !source)
        return 1;
    source->setInterval(parser.value(interval).toInt());

    // The writer plays the telemetry bridge: its own thread, writing into FleetState only.
    const std::shared_ptr<FleetState> state = source->state();
    MovingFleet fleet(drones);
    fleet.step(0, *state);
    source->flush();
    map->fitAll();
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        pthread_setname_np(pthread_self(), "fleet-writer"); // tells it apart in perf and top
        const auto period = std::chrono::duration<double>(1.0 / hz);
        auto next = std::chrono::steady_clock::now();
        while (!stop.load()) {
            fleet.step(1.0 / hz, *state);
            next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
            std::this_thread::sleep_until(next);
        }
    });

    // frameSwapped comes from the render thread: count it there, never touch items there.
    std::atomic<int> frames{0};
    int updates = 0;
    QObject::connect(&view, &QQuickWindow::frameSwapped, &view, [&frames] { ++frames; }, Qt::DirectConnection);
    QObject::connect(source, &FleetStateSource::changed, &view, [&updates] { ++updates; });
    QElapsedTimer clock;
    double cpuAtStart = 0;
    view.show();

    const auto finish = [&] {
        const double elapsed = clock.elapsed() / 1000.0;
        const int framesSeen = frames.load();
        const double fps = framesSeen / elapsed;
        const double cpuPerFrameMs = (processCpuSeconds() - cpuAtStart) * 1000.0 / qMax(1, framesSeen);
        view.rootObject()->setProperty("measuredFps", fps);
        stop = true;
        writer.join();
        if (parser.isSet(screenshot)) {
            source->flush();
            const QImage image = view.grabWindow();
            if (!image.save(parser.value(screenshot)))
                std::fprintf(stderr, "could not save %s\n", qPrintable(parser.value(screenshot)));
        }
        std::printf("{\"fps\": %.1f, \"drones\": %d, \"updates_per_s\": %.1f, \"cpu_ms_per_frame\": %.1f, "
                    "\"seconds\": %.1f}\n",
                    fps, drones, updates / elapsed, cpuPerFrameMs, elapsed);
        std::fflush(stdout);
        app.quit();
    };
    const int warmupMs = int(parser.value(warmup).toDouble() * 1000);
    QTimer::singleShot(warmupMs, &view, [&] {
        frames = 0;
        updates = 0;
        cpuAtStart = processCpuSeconds();
        clock.start();
        // Select a drone on a delivery so the screenshot shows the highlight and route.
        const auto snapshot = state->snapshot();
        for (const DroneView &d : snapshot->drones) {
            if (d.state == DroneFlyingToDropoff) {
                map->setSelectedDroneId(d.id);
                if (parser.isSet(zoom)) {
                    map->setZoom(parser.value(zoom).toDouble());
                    map->centerOn(d.latitude, d.longitude);
                }
                break;
            }
        }
        QTimer::singleShot(int(seconds * 1000), &view, finish);
    });
    const int rc = app.exec();
    if (writer.joinable()) {
        stop = true;
        writer.join();
    }
    return rc;
}
