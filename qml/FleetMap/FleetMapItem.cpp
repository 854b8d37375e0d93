// The fleet map as a Qt Quick item: every drone in one scene-graph node, plus pan, zoom and picking.
#include "FleetMapItem.h"

#include <QCursor>
#include <QGuiApplication>
#include <QStyleHints>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dd::fleetmap {

namespace {

constexpr double kFitMarginPixels = 32.0;
constexpr double kMinFitSpanMeters = 500.0; // one drone alone is framed, not zoomed into

const FleetState::Snapshot &emptySnapshot()
{
    static const FleetState::Snapshot empty = std::make_shared<const FleetSnapshot>();
    return empty;
}

} // namespace

FleetMapItem::FleetMapItem(QQuickItem *parent)
    : QQuickItem(parent)
    , m_snapshot(emptySnapshot())
{
    setFlag(ItemHasContents);
    setAcceptedMouseButtons(Qt::LeftButton);
    setCursor(Qt::OpenHandCursor);
}

void FleetMapItem::setFleetState(FleetStateSource *source)
{
    if (source == m_source)
        return;
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (m_source)
        connect(m_source, &FleetStateSource::changed, this, &FleetMapItem::takeSnapshot);
    m_viewDirty = true; // generations of another FleetState are not comparable: redraw everything
    update();
    takeSnapshot();
    emit fleetStateChanged();
}

void FleetMapItem::takeSnapshot()
{
    FleetState::Snapshot next = m_source ? m_source->state()->snapshot() : emptySnapshot();
    if (next == m_snapshot)
        return;
    const int oldCount = droneCount();
    m_snapshot = std::move(next);
    resolveSelection();
    m_dataDirty = true;
    update();
    if (droneCount() != oldCount)
        emit droneCountChanged();

    QList<int> counts(7, 0);
    for (const DroneView &d : m_snapshot->drones)
        ++counts[d.state >= 0 && d.state < 7 ? d.state : 0];
    if (counts != m_stateCounts) {
        m_stateCounts = counts;
        emit stateCountsChanged();
    }
}

void FleetMapItem::resolveSelection()
{
    // Indices can change when drones are removed, so they are looked up per snapshot,
    // here on the GUI thread. Rows rarely move, so the previous index is tried first
    // and the scan (50,000 string compares) is the exception.
    const auto &drones = m_snapshot->drones;
    const auto &deliveries = m_snapshot->deliveries;
    const auto still = [](const auto &rows, int index, auto matches) {
        return index >= 0 && size_t(index) < rows.size() && matches(rows[size_t(index)]);
    };
    const auto find = [](const auto &rows, auto matches) {
        const auto it = std::find_if(rows.begin(), rows.end(), matches);
        return it == rows.end() ? -1 : int(it - rows.begin());
    };
    const auto isSelectedDrone = [this](const DroneView &d) { return d.id == m_selectedDroneId; };
    const auto carriesDelivery = [this](const DroneView &d) { return d.deliveryId == m_selectedDeliveryId; };
    const auto isSelectedDelivery = [this](const DeliveryMarker &m) { return m.deliveryId == m_selectedDeliveryId; };

    if (m_selectedDroneId.isEmpty())
        m_selectedDrone = -1;
    else if (!still(drones, m_selectedDrone, isSelectedDrone))
        m_selectedDrone = find(drones, isSelectedDrone);
    if (m_selectedDeliveryId.isEmpty()) {
        m_deliveryDrone = m_selectedDelivery = -1;
    } else {
        if (!still(drones, m_deliveryDrone, carriesDelivery))
            m_deliveryDrone = find(drones, carriesDelivery);
        if (!still(deliveries, m_selectedDelivery, isSelectedDelivery))
            m_selectedDelivery = find(deliveries, isSelectedDelivery);
    }
    m_selectionDirty = true;
}

void FleetMapItem::viewChanged()
{
    m_viewDirty = true;
    update();
}

void FleetMapItem::moveCenter(GeoPoint center)
{
    const GeoPoint old = m_projection.center();
    if (old.latitude == center.latitude && old.longitude == center.longitude)
        return;
    m_projection.setCenter(center);
    viewChanged();
    emit centerChanged();
}

QVariantMap FleetMapItem::center() const
{
    return {{QStringLiteral("latitude"), centerLatitude()}, {QStringLiteral("longitude"), centerLongitude()}};
}

void FleetMapItem::setCenter(const QVariantMap &center)
{
    bool latitudeOk = false, longitudeOk = false;
    const double latitude = center.value(QStringLiteral("latitude")).toDouble(&latitudeOk);
    const double longitude = center.value(QStringLiteral("longitude")).toDouble(&longitudeOk);
    if (latitudeOk && longitudeOk)
        centerOn(latitude, longitude);
}

void FleetMapItem::setCenterLatitude(double latitude)
{
    moveCenter({std::clamp(latitude, -85.0, 85.0), centerLongitude()});
}

void FleetMapItem::setCenterLongitude(double longitude)
{
    moveCenter({centerLatitude(), std::clamp(longitude, -180.0, 180.0)});
}

void FleetMapItem::centerOn(double latitude, double longitude)
{
    moveCenter({std::clamp(latitude, -85.0, 85.0), std::clamp(longitude, -180.0, 180.0)});
}

void FleetMapItem::setZoom(double metersPerPixel)
{
    if (!std::isfinite(metersPerPixel))
        return;
    metersPerPixel = std::clamp(metersPerPixel, MinimumZoom, MaximumZoom);
    if (metersPerPixel == zoom())
        return;
    m_projection.setMetersPerPixel(metersPerPixel);
    viewChanged();
    emit zoomChanged();
}

void FleetMapItem::setSelectedDroneId(const QString &id)
{
    if (id == m_selectedDroneId)
        return;
    m_selectedDroneId = id;
    resolveSelection();
    update();
    emit selectedDroneIdChanged();
}

void FleetMapItem::setSelectedDeliveryId(const QString &id)
{
    if (id == m_selectedDeliveryId)
        return;
    m_selectedDeliveryId = id;
    resolveSelection();
    update();
    emit selectedDeliveryIdChanged();
}

void FleetMapItem::setShowRoutes(bool show)
{
    if (show == m_showRoutes)
        return;
    m_showRoutes = show;
    m_selectionDirty = true;
    update();
    emit showRoutesChanged();
}

void FleetMapItem::fitAll()
{
    double minX = std::numeric_limits<double>::max(), minY = minX;
    double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
    const auto include = [&](double latitude, double longitude) {
        const QPointF m = GeoProjection::toMeters(latitude, longitude);
        // A point outside the service area (a bad or old request's 0,0) must not frame the
        // map on the ocean: only what the fleet can serve is framed.
        if (!std::isfinite(m.x()) || !std::isfinite(m.y())
            || std::hypot(m.x(), m.y()) > GeoProjection::ServiceRadiusMeters)
            return;
        minX = std::min(minX, m.x()), maxX = std::max(maxX, m.x());
        minY = std::min(minY, m.y()), maxY = std::max(maxY, m.y());
    };
    for (const DroneView &d : m_snapshot->drones)
        include(d.latitude, d.longitude);
    for (const DeliveryMarker &m : m_snapshot->deliveries) {
        include(m.pickupLatitude, m.pickupLongitude);
        include(m.dropoffLatitude, m.dropoffLongitude);
    }
    if (minX > maxX) { // nothing to show: frame the service area
        const double r = GeoProjection::ServiceRadiusMeters;
        minX = minY = -r;
        maxX = maxY = r;
    }
    const double spanX = std::max(maxX - minX, kMinFitSpanMeters), spanY = std::max(maxY - minY, kMinFitSpanMeters);
    const double margin = std::min({kFitMarginPixels, width() / 4, height() / 4});
    const double usableW = std::max(1.0, width() - 2 * margin), usableH = std::max(1.0, height() - 2 * margin);
    setZoom(std::max(spanX / usableW, spanY / usableH));
    moveCenter(GeoProjection::fromMeters({(minX + maxX) / 2, (minY + maxY) / 2}));
}

QPointF FleetMapItem::project(double latitude, double longitude) const
{
    return m_projection.toPixel(latitude, longitude);
}

QVariantMap FleetMapItem::coordinateAt(qreal x, qreal y) const
{
    const GeoPoint g = m_projection.toGeo({x, y});
    return {{QStringLiteral("latitude"), g.latitude}, {QStringLiteral("longitude"), g.longitude}};
}

int FleetMapItem::nearestDrone(QPointF at) const
{
    const GeoProjection::Affine affine = m_projection.affine();
    double best = PickRadius * PickRadius;
    int found = -1;
    const auto &drones = m_snapshot->drones;
    for (size_t i = 0; i < drones.size(); ++i) {
        const double dx = drones[i].longitude * affine.ax + affine.bx - at.x();
        const double dy = drones[i].latitude * affine.ay + affine.by - at.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best) { // later drones are drawn on top, so they win ties
            best = d2;
            found = int(i);
        }
    }
    return found;
}

int FleetMapItem::nearestDelivery(QPointF at) const
{
    const GeoProjection::Affine affine = m_projection.affine();
    double best = PickRadius * PickRadius;
    int found = -1;
    const auto &deliveries = m_snapshot->deliveries;
    for (size_t i = 0; i < deliveries.size(); ++i) {
        const DeliveryMarker &m = deliveries[i];
        for (const QPointF p : {affine.map(m.pickupLatitude, m.pickupLongitude),
                                affine.map(m.dropoffLatitude, m.dropoffLongitude)}) {
            const double d2 = (p.x() - at.x()) * (p.x() - at.x()) + (p.y() - at.y()) * (p.y() - at.y());
            if (d2 <= best) {
                best = d2;
                found = int(i);
            }
        }
    }
    return found;
}

QString FleetMapItem::droneAt(qreal x, qreal y) const
{
    const int index = nearestDrone({x, y});
    return index < 0 ? QString() : m_snapshot->drones[size_t(index)].id;
}

QString FleetMapItem::deliveryAt(qreal x, qreal y) const
{
    const int index = nearestDelivery({x, y});
    return index < 0 ? QString() : m_snapshot->deliveries[size_t(index)].deliveryId;
}

int FleetMapItem::vertexCountForTest(const QString &layer) const
{
    // In FleetMapNode::Layer order.
    static const QStringList names = {QStringLiteral("ground"),  QStringLiteral("serviceArea"), QStringLiteral("water"),
                                      QStringLiteral("lines"),   QStringLiteral("routes"),      QStringLiteral("markers"),
                                      QStringLiteral("drones"),  QStringLiteral("selection")};
    const qsizetype index = names.indexOf(layer);
    return index < 0 ? -1 : m_vertexCounts[size_t(index)].load();
}

QSGNode *FleetMapItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *node = static_cast<FleetMapNode *>(oldNode);
    if (!node) {
        node = new FleetMapNode;
        m_viewDirty = m_dataDirty = m_selectionDirty = true;
    }
    FleetMapFrame frame;
    frame.snapshot = m_snapshot;
    frame.projection = m_projection;
    frame.selectedDrone = m_selectedDrone;
    frame.selectedDelivery = m_selectedDelivery;
    frame.deliveryDrone = m_deliveryDrone;
    frame.showRoutes = m_showRoutes;
    frame.viewDirty = m_viewDirty;
    frame.dataDirty = m_dataDirty;
    frame.selectionDirty = m_selectionDirty;
    node->sync(frame);
    m_viewDirty = m_dataDirty = m_selectionDirty = false;
    for (int layer = 0; layer < FleetMapNode::LayerCount; ++layer)
        m_vertexCounts[size_t(layer)].store(node->vertexCount(FleetMapNode::Layer(layer)));
    return node;
}

void FleetMapItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    m_projection.setViewport(newGeometry.size());
    if (newGeometry.size() != oldGeometry.size())
        viewChanged();
}

void FleetMapItem::mousePressEvent(QMouseEvent *event)
{
    m_pressMouse = m_lastMouse = event->position();
    m_dragging = false;
    event->accept();
}

void FleetMapItem::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF position = event->position();
    if (!m_dragging
        && (position - m_pressMouse).manhattanLength() < QGuiApplication::styleHints()->startDragDistance())
        return;
    if (!m_dragging) {
        m_dragging = true;
        setCursor(Qt::ClosedHandCursor);
    }
    // Moving the content with the pointer means moving the centre the other way.
    const QPointF delta = position - m_lastMouse;
    m_lastMouse = position;
    const GeoPoint c = m_projection.center();
    const QPointF m = GeoProjection::toMeters(c.latitude, c.longitude);
    moveCenter(GeoProjection::fromMeters({m.x() - delta.x() * zoom(), m.y() + delta.y() * zoom()}));
    event->accept();
}

void FleetMapItem::mouseReleaseEvent(QMouseEvent *event)
{
    event->accept();
    if (m_dragging) {
        m_dragging = false;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    // A click picks one thing; drones sit on top of markers, so they are tried first.
    const QPointF at = event->position();
    if (const int drone = nearestDrone(at); drone >= 0) {
        const QString id = m_snapshot->drones[size_t(drone)].id;
        setSelectedDeliveryId({});
        setSelectedDroneId(id);
        emit droneClicked(id);
    } else if (const int delivery = nearestDelivery(at); delivery >= 0) {
        const QString id = m_snapshot->deliveries[size_t(delivery)].deliveryId;
        setSelectedDroneId({});
        setSelectedDeliveryId(id);
        emit deliveryClicked(id);
    } else {
        setSelectedDroneId({});
        setSelectedDeliveryId({});
    }
}

void FleetMapItem::wheelEvent(QWheelEvent *event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) {
        event->ignore();
        return;
    }
    // Zoom about the cursor: the coordinate under it stays under it.
    const QPointF at = event->position();
    const GeoPoint anchor = m_projection.toGeo(at);
    setZoom(zoom() * std::pow(2.0, -notches / 2));
    const QPointF m = GeoProjection::toMeters(anchor.latitude, anchor.longitude);
    moveCenter(GeoProjection::fromMeters({m.x() - (at.x() - width() / 2) * zoom(),
                                         m.y() + (at.y() - height() / 2) * zoom()}));
    event->accept();
}

} // namespace dd::fleetmap
