// The fleet map as a Qt Quick item: every drone in one scene-graph node, plus pan, zoom and picking.
#pragma once

#include "FleetMapNode.h"
#include "FleetState.h"
#include "FleetStateSource.h"
#include "GeoProjection.h"

#include <QPointer>
#include <QQuickItem>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <array>
#include <atomic>

namespace dd::fleetmap {

/// Draws a FleetStateSource's fleet: drones coloured by state (FleetPalette), routes to
/// their targets, pickup/dropoff markers and a schematic backdrop of the service area.
/// Vertex data is rebuilt only when the snapshot generation, the view or the selection
/// changed; the source rate-limits generations (~10 Hz by default).
///
/// Input: a drag pans; the wheel zooms about the cursor (√2 per notch); a click selects
/// the nearest drone within PickRadius, else the nearest pickup/dropoff marker, and emits
/// droneClicked / deliveryClicked; a click on empty map clears both selections.
/// Thousands of routes or markers in view are decluttered (FleetLayerBuilder budgets);
/// the selected drone and delivery always keep theirs.
///
/// The centre is `center` ({latitude, longitude}, as QtPositioning's coordinate reads)
/// or the two reals behind it; no QtPositioning dependency, and no QPointF that would
/// leave "is x the latitude?" to guesswork.
class FleetMapItem : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(dd::fleetmap::FleetStateSource *fleetState READ fleetState WRITE setFleetState NOTIFY fleetStateChanged)
    /// {latitude, longitude}; assign e.g. `{latitude: 47.61, longitude: -122.33}`.
    Q_PROPERTY(QVariantMap center READ center WRITE setCenter NOTIFY centerChanged)
    Q_PROPERTY(double centerLatitude READ centerLatitude WRITE setCenterLatitude NOTIFY centerChanged)
    Q_PROPERTY(double centerLongitude READ centerLongitude WRITE setCenterLongitude NOTIFY centerChanged)
    /// Metres per pixel: smaller is closer. Clamped to [minimumZoom, maximumZoom].
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY zoomChanged)
    Q_PROPERTY(double minimumZoom READ minimumZoom CONSTANT)
    Q_PROPERTY(double maximumZoom READ maximumZoom CONSTANT)
    Q_PROPERTY(QString selectedDroneId READ selectedDroneId WRITE setSelectedDroneId NOTIFY selectedDroneIdChanged)
    Q_PROPERTY(QString selectedDeliveryId READ selectedDeliveryId WRITE setSelectedDeliveryId NOTIFY selectedDeliveryIdChanged)
    Q_PROPERTY(int droneCount READ droneCount NOTIFY droneCountChanged)
    /// Lines from flying drones to their targets (the selection's line is always drawn).
    Q_PROPERTY(bool showRoutes READ showRoutes WRITE setShowRoutes NOTIFY showRoutesChanged)
    /// Drones per state, indexed by the DroneState value (0..6), for legends.
    Q_PROPERTY(QList<int> stateCounts READ stateCounts NOTIFY stateCountsChanged)

public:
    static constexpr double MinimumZoom = 0.25;  // m/px: a drone's wingspan is a few pixels
    static constexpr double MaximumZoom = 400.0; // m/px: the whole region on a small window
    static constexpr double PickRadius = 10.0;   // px: about one drone shape

    explicit FleetMapItem(QQuickItem *parent = nullptr);

    FleetStateSource *fleetState() const { return m_source; }
    void setFleetState(FleetStateSource *source);
    QVariantMap center() const;
    void setCenter(const QVariantMap &center);
    double centerLatitude() const { return m_projection.center().latitude; }
    void setCenterLatitude(double latitude);
    double centerLongitude() const { return m_projection.center().longitude; }
    void setCenterLongitude(double longitude);
    double zoom() const { return m_projection.metersPerPixel(); }
    void setZoom(double metersPerPixel);
    double minimumZoom() const { return MinimumZoom; }
    double maximumZoom() const { return MaximumZoom; }
    QString selectedDroneId() const { return m_selectedDroneId; }
    void setSelectedDroneId(const QString &id);
    QString selectedDeliveryId() const { return m_selectedDeliveryId; }
    void setSelectedDeliveryId(const QString &id);
    int droneCount() const { return m_snapshot ? int(m_snapshot->drones.size()) : 0; }
    bool showRoutes() const { return m_showRoutes; }
    void setShowRoutes(bool show);
    QList<int> stateCounts() const { return m_stateCounts; }

    /// Frames every drone and delivery marker (the service area when there are none).
    Q_INVOKABLE void fitAll();
    Q_INVOKABLE void centerOn(double latitude, double longitude);
    /// Item pixel position of a coordinate.
    Q_INVOKABLE QPointF project(double latitude, double longitude) const;
    /// {latitude, longitude} under an item pixel position.
    Q_INVOKABLE QVariantMap coordinateAt(qreal x, qreal y) const;
    /// Id of the nearest drone within PickRadius pixels, or an empty string.
    Q_INVOKABLE QString droneAt(qreal x, qreal y) const;
    /// Id of the delivery whose pickup or dropoff marker is nearest within PickRadius, or "".
    Q_INVOKABLE QString deliveryAt(qreal x, qreal y) const;
    /// Vertices the render side last committed for a layer: "ground", "serviceArea", "water",
    /// "lines", "routes", "markers", "drones" or "selection"; -1 for another name.
    /// For tests: proves what the scene graph holds.
    Q_INVOKABLE int vertexCountForTest(const QString &layer = QStringLiteral("drones")) const;

signals:
    void fleetStateChanged();
    void centerChanged();
    void zoomChanged();
    void selectedDroneIdChanged();
    void selectedDeliveryIdChanged();
    void droneCountChanged();
    void showRoutesChanged();
    void stateCountsChanged();
    void droneClicked(const QString &id);
    void deliveryClicked(const QString &id);

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    void takeSnapshot();
    void resolveSelection();
    void moveCenter(GeoPoint center);
    void viewChanged();
    int nearestDrone(QPointF at) const;
    int nearestDelivery(QPointF at) const;

    QPointer<FleetStateSource> m_source;
    FleetState::Snapshot m_snapshot;
    GeoProjection m_projection;
    QString m_selectedDroneId;
    QString m_selectedDeliveryId;
    int m_selectedDrone = -1;
    int m_selectedDelivery = -1;
    int m_deliveryDrone = -1;
    bool m_showRoutes = true;
    QList<int> m_stateCounts = QList<int>(7, 0);

    bool m_viewDirty = true;
    bool m_dataDirty = true;
    bool m_selectionDirty = true;

    QPointF m_lastMouse;
    QPointF m_pressMouse;
    bool m_dragging = false;

    // Written in updatePaintNode (GUI thread blocked), read by tests on the GUI thread.
    std::array<std::atomic<int>, FleetMapNode::LayerCount> m_vertexCounts{};
};

} // namespace dd::fleetmap
