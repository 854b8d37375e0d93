// Tests FleetMapItem through QML: projection math, picking, click/drag/wheel, fitAll and what the scene graph holds.
#include "FleetMapItem.h"
#include "FleetStateSource.h"
#include "GeoProjection.h"

#include <QQmlEngine>
#include <QQuickView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include <cmath>

Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

using namespace dd::fleetmap;

namespace {

constexpr double kOriginLat = GeoProjection::OriginLatitude;
constexpr double kOriginLon = GeoProjection::OriginLongitude;

const char *const kScene = R"(
import QtQuick
import DroneConsole.FleetMap

Item {
    width: 800
    height: 600

    FleetStateSource { id: source; objectName: "source"; interval: 0 }
    FleetMapItem { id: map; objectName: "map"; anchors.fill: parent; fleetState: source }
    FleetMapPlaceLabels { map: map }
    FleetMapLegend { objectName: "legend"; map: map; x: 600; y: 400 }
}
)";

} // namespace

class TestFleetMap : public QObject
{
    Q_OBJECT

private:
    /// A drone placed at an item pixel position of the current view.
    DroneView droneAtPixel(const QString &id, QPointF pixel, int state = DroneIdle)
    {
        const QVariantMap at = m_map->coordinateAt(pixel.x(), pixel.y());
        DroneView d;
        d.id = id;
        d.latitude = at.value(QStringLiteral("latitude")).toDouble();
        d.longitude = at.value(QStringLiteral("longitude")).toDouble();
        d.state = state;
        return d;
    }

    void publish(std::vector<DroneView> drones, std::vector<DeliveryMarker> deliveries = {})
    {
        m_state->apply({std::move(drones), std::move(deliveries), {}, {}});
        m_source->flush();
    }

    QPointF centerPixel() const { return {m_map->width() / 2, m_map->height() / 2}; }

    QQuickView m_view;
    QTemporaryDir m_dir;
    FleetMapItem *m_map = nullptr;
    FleetStateSource *m_source = nullptr;
    std::shared_ptr<FleetState> m_state;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile file(m_dir.filePath(QStringLiteral("Scene.qml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kScene);
        file.close();
        m_view.engine()->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_view.setSource(QUrl::fromLocalFile(file.fileName()));
        QCOMPARE(m_view.status(), QQuickView::Ready);
        m_map = m_view.rootObject()->findChild<FleetMapItem *>(QStringLiteral("map"));
        m_source = m_view.rootObject()->findChild<FleetStateSource *>(QStringLiteral("source"));
        QVERIFY(m_map && m_source);
        QVERIFY(m_view.rootObject()->findChild<QQuickItem *>(QStringLiteral("legend")));
        QCOMPARE(m_map->fleetState(), m_source);
        m_state = m_source->state();
        m_view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&m_view));
        QCOMPARE(m_map->size(), QSizeF(800, 600));
    }

    void init()
    {
        m_state->clear();
        m_source->flush();
        m_map->setSelectedDroneId({});
        m_map->setSelectedDeliveryId({});
        m_map->setShowRoutes(true);
        m_map->centerOn(kOriginLat, kOriginLon);
        m_map->setZoom(10.0);
    }

    void projectPutsTheCentreMidItemAndScalesByZoom()
    {
        QCOMPARE(m_map->project(kOriginLat, kOriginLon), QPointF(400, 300));
        const double north = kOriginLat + 1000.0 / GeoProjection::MetersPerDegreeLatitude;
        const double east = kOriginLon + 1000.0 / GeoProjection::metersPerDegreeLongitude();
        const QPointF p = m_map->project(north, east); // 1 km north-east at 10 m/px
        QVERIFY(qAbs(p.x() - 500) < 1e-6);
        QVERIFY(qAbs(p.y() - 200) < 1e-6);
        const QVariantMap back = m_map->coordinateAt(p.x(), p.y());
        QVERIFY(qAbs(back.value(QStringLiteral("latitude")).toDouble() - north) < 1e-9);
        QVERIFY(qAbs(back.value(QStringLiteral("longitude")).toDouble() - east) < 1e-9);
        m_map->setZoom(20.0);
        QVERIFY(qAbs(m_map->project(north, east).x() - 450) < 1e-6);
    }

    void theCentreReadsAndWritesAsLatitudeLongitude()
    {
        QSignalSpy moved(m_map, &FleetMapItem::centerChanged);
        QVERIFY(m_map->setProperty("center", QVariantMap{{QStringLiteral("latitude"), 47.65},
                                                          {QStringLiteral("longitude"), -122.30}}));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(m_map->centerLatitude(), 47.65);
        QCOMPARE(m_map->centerLongitude(), -122.30);
        QCOMPARE(m_map->property("center").toMap().value(QStringLiteral("latitude")).toDouble(), 47.65);
        m_map->setCenter({{QStringLiteral("latitude"), QStringLiteral("north")}}); // ignored, not half-applied
        QCOMPARE(moved.count(), 1);
        QCOMPARE(m_map->project(47.65, -122.30), QPointF(400, 300));
    }

    void zoomIsClampedAndNonsenseIgnored()
    {
        m_map->setZoom(0.0);
        QCOMPARE(m_map->zoom(), FleetMapItem::MinimumZoom);
        m_map->setZoom(1e9);
        QCOMPARE(m_map->zoom(), FleetMapItem::MaximumZoom);
        m_map->setZoom(std::nan(""));
        QCOMPARE(m_map->zoom(), FleetMapItem::MaximumZoom);
    }

    void droneAtFindsTheNearestDroneWithinAFewPixels()
    {
        publish({droneAtPixel(QStringLiteral("a"), {400, 300}), droneAtPixel(QStringLiteral("b"), {500, 300}),
                 droneAtPixel(QStringLiteral("c"), {506, 300})});
        QCOMPARE(m_map->droneAt(400, 300), QStringLiteral("a"));
        QCOMPARE(m_map->droneAt(405, 304), QStringLiteral("a"));
        QCOMPARE(m_map->droneAt(450, 300), QString());
        QCOMPARE(m_map->droneAt(501, 300), QStringLiteral("b"));
        QCOMPARE(m_map->droneAt(505, 300), QStringLiteral("c"));
        QCOMPARE(m_map->droneAt(400, 300 + FleetMapItem::PickRadius + 1), QString());
    }

    void clickingADroneSelectsItAndEmitsDroneClicked()
    {
        publish({droneAtPixel(QStringLiteral("a"), {300, 300}), droneAtPixel(QStringLiteral("b"), {500, 300})});
        QSignalSpy clicked(m_map, &FleetMapItem::droneClicked);
        QSignalSpy selected(m_map, &FleetMapItem::selectedDroneIdChanged);
        QTest::mouseClick(&m_view, Qt::LeftButton, Qt::NoModifier, QPoint(503, 302));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toString(), QStringLiteral("b"));
        QCOMPARE(m_map->selectedDroneId(), QStringLiteral("b"));
        QCOMPARE(selected.count(), 1);

        QTest::mouseClick(&m_view, Qt::LeftButton, Qt::NoModifier, QPoint(400, 450)); // empty map
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(m_map->selectedDroneId(), QString());
    }

    void clickingADeliveryMarkerEmitsDeliveryClicked()
    {
        const DroneView pickup = droneAtPixel({}, {350, 250}), dropoff = droneAtPixel({}, {450, 350});
        publish({droneAtPixel(QStringLiteral("a"), {600, 300})},
                {{QStringLiteral("dlv-1"), pickup.latitude, pickup.longitude, dropoff.latitude, dropoff.longitude,
                  StageHeadedToPickup}});
        QCOMPARE(m_map->deliveryAt(451, 349), QStringLiteral("dlv-1"));
        QSignalSpy drones(m_map, &FleetMapItem::droneClicked);
        QSignalSpy deliveries(m_map, &FleetMapItem::deliveryClicked);
        m_map->setSelectedDroneId(QStringLiteral("a"));
        QTest::mouseClick(&m_view, Qt::LeftButton, Qt::NoModifier, QPoint(350, 251));
        QCOMPARE(deliveries.count(), 1);
        QCOMPARE(deliveries.at(0).at(0).toString(), QStringLiteral("dlv-1"));
        QCOMPARE(drones.count(), 0);
        QCOMPARE(m_map->selectedDeliveryId(), QStringLiteral("dlv-1"));
        QCOMPARE(m_map->selectedDroneId(), QString()); // a click picks one thing
    }

    void theWheelZoomsAboutTheCursor()
    {
        const QPointF cursor(200, 150);
        const QVariantMap before = m_map->coordinateAt(cursor.x(), cursor.y());
        QSignalSpy zoomed(m_map, &FleetMapItem::zoomChanged);
        QWheelEvent in(cursor, m_view.mapToGlobal(cursor), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(&m_view, &in);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(qAbs(m_map->zoom() - 10.0 / std::sqrt(2.0)) < 1e-9); // one notch: √2 closer
        const QVariantMap after = m_map->coordinateAt(cursor.x(), cursor.y());
        QVERIFY(qAbs(after.value(QStringLiteral("latitude")).toDouble() - before.value(QStringLiteral("latitude")).toDouble()) < 1e-9);
        QVERIFY(qAbs(after.value(QStringLiteral("longitude")).toDouble() - before.value(QStringLiteral("longitude")).toDouble()) < 1e-9);
        QVERIFY(m_map->centerLatitude() != kOriginLat); // the centre moved to keep the cursor's spot

        QWheelEvent out(cursor, m_view.mapToGlobal(cursor), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                        Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(&m_view, &out);
        QVERIFY(qAbs(m_map->zoom() - 10.0 * std::sqrt(2.0)) < 1e-9);
    }

    void draggingPansTheMapWithoutSelecting()
    {
        publish({droneAtPixel(QStringLiteral("a"), {400, 300})});
        const QVariantMap grabbed = m_map->coordinateAt(400, 300);
        QSignalSpy clicked(m_map, &FleetMapItem::droneClicked);
        QSignalSpy moved(m_map, &FleetMapItem::centerChanged);
        QTest::mousePress(&m_view, Qt::LeftButton, Qt::NoModifier, QPoint(400, 300));
        for (int step = 1; step <= 10; ++step)
            QTest::mouseMove(&m_view, QPoint(400 + step * 10, 300 + step * 5));
        QTest::mouseRelease(&m_view, Qt::LeftButton, Qt::NoModifier, QPoint(500, 350));
        QVERIFY(moved.count() > 0);
        QCOMPARE(clicked.count(), 0);
        QCOMPARE(m_map->selectedDroneId(), QString());
        // What was under the pointer at the press is under it at the release.
        const QPointF now = m_map->project(grabbed.value(QStringLiteral("latitude")).toDouble(),
                                           grabbed.value(QStringLiteral("longitude")).toDouble());
        QVERIFY2(qAbs(now.x() - 500) < 1e-6 && qAbs(now.y() - 350) < 1e-6,
                 qPrintable(QStringLiteral("at %1,%2").arg(now.x()).arg(now.y())));
        QCOMPARE(m_map->droneAt(500, 350), QStringLiteral("a"));
    }

    void fitAllFramesEveryDrone()
    {
        std::vector<DroneView> drones;
        for (int i = 0; i < 40; ++i) {
            DroneView d;
            d.id = QStringLiteral("d%1").arg(i);
            d.latitude = 47.55 + 0.003 * i;
            d.longitude = -122.40 + 0.0045 * ((i * 7) % 40);
            drones.push_back(d);
        }
        publish(drones);
        m_map->setZoom(2.0); // far too close to see them all
        m_map->fitAll();
        double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
        for (const DroneView &d : drones) {
            const QPointF p = m_map->project(d.latitude, d.longitude);
            minX = qMin(minX, p.x()), maxX = qMax(maxX, p.x());
            minY = qMin(minY, p.y()), maxY = qMax(maxY, p.y());
        }
        QVERIFY(minX >= 0 && maxX <= m_map->width() && minY >= 0 && maxY <= m_map->height());
        // ...and tightly: the fleet spans the usable width or height, less the margins.
        QVERIFY((maxX - minX) > m_map->width() - 80 || (maxY - minY) > m_map->height() - 80);

        // A delivery at 0,0 (a request from before the place rules) does not frame the ocean.
        const double fleetZoom = m_map->zoom();
        DeliveryMarker gulfOfGuinea;
        gulfOfGuinea.deliveryId = QStringLiteral("dlv-0-0");
        gulfOfGuinea.pickupLatitude = drones.front().latitude;
        gulfOfGuinea.pickupLongitude = drones.front().longitude;
        publish(drones, {gulfOfGuinea});
        m_map->fitAll();
        QCOMPARE(m_map->zoom(), fleetZoom);

        m_state->clear(); // nothing at all: the service area is framed
        m_source->flush();
        m_map->fitAll();
        const QPointF centre = m_map->project(kOriginLat, kOriginLon);
        QVERIFY(qAbs(centre.x() - 400) < 1e-6 && qAbs(centre.y() - 300) < 1e-6);
        QVERIFY(qAbs(m_map->zoom() - 2 * GeoProjection::ServiceRadiusMeters / (600 - 64)) < 1e-6);
    }

    void theSceneGraphHoldsEveryDroneInOneNode()
    {
        constexpr int count = 1000, flying = 300, deliveries = 10;
        std::vector<DroneView> drones;
        for (int i = 0; i < count; ++i) {
            DroneView d = droneAtPixel(QStringLiteral("d%1").arg(i), {100.0 + (i % 40) * 15, 100.0 + (i / 40) * 15},
                                       i < flying ? DroneFlyingToDropoff : DroneCharging);
            if (i < flying) {
                d.targetLatitude = kOriginLat;
                d.targetLongitude = kOriginLon;
                d.deliveryId = QStringLiteral("dlv-%1").arg(i);
            }
            drones.push_back(d);
        }
        std::vector<DeliveryMarker> markers;
        for (int i = 0; i < deliveries; ++i) {
            const DroneView p = droneAtPixel({}, {200.0 + i * 20, 450}), q = droneAtPixel({}, {200.0 + i * 20, 500});
            markers.push_back({QStringLiteral("dlv-%1").arg(i), p.latitude, p.longitude, q.latitude, q.longitude,
                               StageHeadedToPickup});
        }
        QSignalSpy counted(m_map, &FleetMapItem::droneCountChanged);
        publish(drones, markers);
        QCOMPARE(m_map->droneCount(), count);
        QCOMPARE(counted.count(), 1);
        QCOMPARE(m_map->stateCounts().value(DroneFlyingToDropoff), flying);
        QCOMPARE(m_map->stateCounts().value(DroneCharging), count - flying);

        QTRY_COMPARE(m_map->vertexCountForTest(QStringLiteral("drones")), count * 3); // one triangle each
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("routes")), flying * 2);   // one line each
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("markers")), deliveries * 24);
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("selection")), 0);
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("ground")), 6);
        QVERIFY(m_map->vertexCountForTest(QStringLiteral("water")) > 0);
        QVERIFY(m_map->vertexCountForTest(QStringLiteral("lines")) > 0);
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("nonsense")), -1);

        m_map->setShowRoutes(false);
        QTRY_COMPARE(m_map->vertexCountForTest(QStringLiteral("routes")), 0);
        m_map->setSelectedDroneId(QStringLiteral("d0")); // the selection keeps its route
        QTRY_VERIFY(m_map->vertexCountForTest(QStringLiteral("selection")) > 0);
        QCOMPARE(m_map->vertexCountForTest(QStringLiteral("routes")), 2);

        // Zoomed into one corner, drones out of view are culled.
        m_map->setZoom(2.0);
        m_map->centerOn(drones.front().latitude, drones.front().longitude);
        QTRY_VERIFY(m_map->vertexCountForTest(QStringLiteral("drones")) < count * 3);
        QVERIFY(m_map->vertexCountForTest(QStringLiteral("drones")) > 0);
    }

    void aRemovedSelectedDroneLeavesNoHighlight()
    {
        publish({droneAtPixel(QStringLiteral("a"), {400, 300}), droneAtPixel(QStringLiteral("b"), {450, 300})});
        m_map->setSelectedDroneId(QStringLiteral("a"));
        QTRY_VERIFY(m_map->vertexCountForTest(QStringLiteral("selection")) > 0);
        m_state->removeDrones({QStringLiteral("a")});
        m_source->flush();
        QCOMPARE(m_map->droneCount(), 1);
        QCOMPARE(m_map->selectedDroneId(), QStringLiteral("a")); // it may come back
        QTRY_COMPARE(m_map->vertexCountForTest(QStringLiteral("selection")), 0);
        publish({droneAtPixel(QStringLiteral("a"), {400, 300})});
        QTRY_VERIFY(m_map->vertexCountForTest(QStringLiteral("selection")) > 0);
    }

    void grabbingTheWindowRenders()
    {
        std::vector<DroneView> drones;
        for (int i = 0; i < 200; ++i)
            drones.push_back(droneAtPixel(QStringLiteral("d%1").arg(i), {50.0 + (i % 20) * 35, 80.0 + (i / 20) * 45},
                                          1 + i % 6));
        publish(drones);
        m_map->setSelectedDroneId(QStringLiteral("d7"));
        const QImage image = m_view.grabWindow();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_view.size() * m_view.devicePixelRatio());
        // The software scene graph of offscreen tests skips geometry nodes; fleetmap-fps
        // under Xvfb is where the drawing itself is looked at.
        if (const QByteArray path = qgetenv("FLEETMAP_TEST_SCREENSHOT"); !path.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(path)));
    }
};

QTEST_MAIN(TestFleetMap)
#include "tst_fleet_map.moc"
