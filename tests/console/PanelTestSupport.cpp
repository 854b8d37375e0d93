// Helpers the panel Quick Tests reach as the PanelTestSupport singleton: QML warnings, a sample fleet, previews.
#include "PanelTestSupport.h"

#include "TestListModel.h"

#include "FleetStateSource.h"
#include "GeoProjection.h"

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QMutex>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtMath>

#include <cmath>

using namespace dd::fleetmap;

namespace {

QMutex warningsMutex;
QStringList collectedWarnings;

// A small LCG so the sample fleet is the same on every run.
struct SampleRandom
{
    quint32 state = 20261126;
    double next()
    {
        state = state * 1664525u + 1013904223u;
        return double(state >> 8) / double(1u << 24);
    }
};

} // namespace

PanelTestSupport::PanelTestSupport(QObject *parent) : QObject(parent) {}

void PanelTestSupport::collectWarnings(QQmlEngine *engine)
{
    QObject::connect(engine, &QQmlEngine::warnings, engine, [](const QList<QQmlError> &warnings) {
        QMutexLocker lock(&warningsMutex);
        for (const QQmlError &warning : warnings)
            collectedWarnings.append(warning.toString());
    });
}

void PanelTestSupport::registerType()
{
    qmlRegisterType<TestListModel>("DroneConsole.Tests", 1, 0, "TestListModel");
    qmlRegisterSingletonType<PanelTestSupport>("DroneConsole.Tests", 1, 0, "PanelTestSupport",
                                               [](QQmlEngine *, QJSEngine *) -> QObject * {
                                                   return new PanelTestSupport;
                                               });
}

QString PanelTestSupport::previewDir() const
{
    return qEnvironmentVariable("DD_PANEL_PREVIEW_DIR");
}

QStringList PanelTestSupport::takeWarnings()
{
    QMutexLocker lock(&warningsMutex);
    return std::exchange(collectedWarnings, {});
}

void PanelTestSupport::populateFleet(FleetStateSource *source, int drones)
{
    if (!source)
        return;
    SampleRandom random;
    FleetChanges changes;
    const double metersPerDegreeLongitude = GeoProjection::metersPerDegreeLongitude();
    for (int i = 0; i < drones; ++i) {
        // Denser downtown, thinning out towards the edge of the service area.
        const double radius = 9000.0 * std::pow(random.next(), 0.8);
        const double angle = random.next() * 2 * M_PI;
        DroneView drone;
        drone.id = QStringLiteral("drone-%1").arg(i + 1, 4, 10, QLatin1Char('0'));
        drone.latitude = GeoProjection::OriginLatitude + radius * std::sin(angle) / GeoProjection::MetersPerDegreeLatitude;
        drone.longitude = GeoProjection::OriginLongitude + radius * std::cos(angle) / metersPerDegreeLongitude;
        drone.heading = float(random.next() * 360);
        drone.battery = float(0.15 + 0.85 * random.next());
        const double pick = random.next();
        drone.state = pick < 0.18   ? DroneFlyingToPickup
                      : pick < 0.36 ? DroneFlyingToDropoff
                      : pick < 0.46 ? DroneReturning
                      : pick < 0.56 ? DroneCharging
                      : pick < 0.59 ? DroneMaintenance
                                    : DroneIdle;
        if (drone.isFlying()) {
            drone.targetLatitude = drone.latitude + (random.next() - 0.5) * 0.03;
            drone.targetLongitude = drone.longitude + (random.next() - 0.5) * 0.045;
        }
        if (drone.state == DroneFlyingToPickup || drone.state == DroneFlyingToDropoff) {
            drone.deliveryId = QStringLiteral("d-sample%1").arg(i + 1, 4, 10, QLatin1Char('0'));
            DeliveryMarker marker;
            marker.deliveryId = drone.deliveryId;
            marker.stage = drone.state == DroneFlyingToPickup ? StageHeadedToPickup : StageHeadedToDropoff;
            marker.pickupLatitude = drone.state == DroneFlyingToPickup ? drone.targetLatitude : drone.latitude + 0.004;
            marker.pickupLongitude = drone.state == DroneFlyingToPickup ? drone.targetLongitude : drone.longitude - 0.006;
            marker.dropoffLatitude = drone.state == DroneFlyingToDropoff ? drone.targetLatitude : drone.targetLatitude + 0.01;
            marker.dropoffLongitude = drone.state == DroneFlyingToDropoff ? drone.targetLongitude : drone.targetLongitude + 0.012;
            changes.deliveries.push_back(marker);
        }
        changes.drones.push_back(drone);
    }
    source->state()->apply(std::move(changes));
    source->flush();
}

void PanelTestSupport::placeDrone(FleetStateSource *source, const QString &id, double latitude, double longitude,
                                  int state, const QString &deliveryId)
{
    if (!source)
        return;
    DroneView drone;
    drone.id = id;
    drone.latitude = latitude;
    drone.longitude = longitude;
    drone.state = state;
    drone.deliveryId = deliveryId;
    source->state()->update({drone});
    source->flush();
}

bool PanelTestSupport::savePreview(QQuickItem *item, const QString &name)
{
    const QString dir = previewDir();
    if (dir.isEmpty() || !item || !item->window())
        return false;
    QDir().mkpath(dir);
    QQuickWindow *window = item->window();
    if (!window->grabWindow().save(QDir(dir).filePath(QStringLiteral("panel-%1.png").arg(name))))
        return false;
    QQuickItem *root = item;
    while (root->parentItem() && root->parentItem() != window->contentItem())
        root = root->parentItem();
    const QSize windowSize = window->size();
    const QSizeF rootSize = root->size();
    window->resize(1920, 1080);
    root->setSize({1920, 1080});
    // Let zero-interval relayout timers (the service graph's edges) run before the grab.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
    const bool saved = window->grabWindow().save(QDir(dir).filePath(QStringLiteral("panel-%1-1080p.png").arg(name)));
    root->setSize(rootSize);
    window->resize(windowSize);
    return saved;
}
