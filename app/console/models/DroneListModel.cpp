// DroneListModel: roles of a drone row and the flying count.
#include "models/DroneListModel.h"

#include "models/ConsoleNames.h"

namespace dd::console {

DroneListModel::DroneListModel(QObject *parent) : RecordListModel(parent) {}

QHash<int, QByteArray> DroneListModel::roleNames() const
{
    return {{DroneIdRole, "droneId"},   {StateRole, "state"},       {StateNameRole, "stateName"},
            {LatitudeRole, "latitude"}, {LongitudeRole, "longitude"}, {AltitudeRole, "altitude"},
            {HeadingRole, "heading"},   {SpeedRole, "speed"},       {BatteryRole, "battery"},
            {DeliveryIdRole, "deliveryId"}};
}

QVariant DroneListModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const DroneRecord &d = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case DroneIdRole: return d.droneId;
    case StateRole: return d.state;
    case StateNameRole: return ConsoleNames::droneState(d.state);
    case LatitudeRole: return d.latitude;
    case LongitudeRole: return d.longitude;
    case AltitudeRole: return d.altitude;
    case HeadingRole: return d.heading;
    case SpeedRole: return d.speed;
    case BatteryRole: return d.battery;
    case DeliveryIdRole: return d.deliveryId;
    default: return {};
    }
}

void DroneListModel::apply(std::vector<DroneRecord> batch)
{
    // The id never changes, so the roles named exclude it: a proxy keyed on it need not care.
    static const QList<int> telemetryRoles{StateRole,   StateNameRole, LatitudeRole, LongitudeRole, AltitudeRole,
                                           HeadingRole, SpeedRole,     BatteryRole,  DeliveryIdRole};
    upsert(std::move(batch), InsertAt::End, telemetryRoles);
}

bool DroneListModel::merge(DroneRecord &existing, DroneRecord &&incoming)
{
    // The hot path at 10,000 drones × 10 Hz: numbers first, the id is equal by
    // construction (looked up by it), the delivery id is compared and copied only
    // when it changed (the bridge shares one string per drone and delivery).
    const bool same = existing.state == incoming.state && existing.latitude == incoming.latitude
        && existing.longitude == incoming.longitude && existing.altitude == incoming.altitude
        && existing.heading == incoming.heading && existing.speed == incoming.speed
        && existing.battery == incoming.battery;
    const bool sameDelivery = existing.deliveryId == incoming.deliveryId;
    if (same && sameDelivery)
        return false;
    existing.state = incoming.state;
    existing.latitude = incoming.latitude;
    existing.longitude = incoming.longitude;
    existing.altitude = incoming.altitude;
    existing.heading = incoming.heading;
    existing.speed = incoming.speed;
    existing.battery = incoming.battery;
    if (!sameDelivery)
        existing.deliveryId = std::move(incoming.deliveryId);
    return true;
}

void DroneListModel::remove(const QStringList &droneIds)
{
    removeKeys(droneIds);
}

void DroneListModel::clear()
{
    replaceAll({});
}

void DroneListModel::rowsUpdated()
{
    int flying = 0;
    for (const DroneRecord &d : m_rows)
        flying += ConsoleNames::isFlying(d.state);
    if (flying != m_flying) {
        m_flying = flying;
        emit flyingCountChanged();
    }
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
