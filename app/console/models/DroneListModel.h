// The fleet as a list: one row per drone, its latest telemetry; fed in coalesced batches at most 10 times a second.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

/// Rows are in first-seen order and never move, so a telemetry batch is a set of
/// in-place updates (ranged dataChanged) plus one append for drones seen the first
/// time. 10,000 drones at 10 Hz cost a hash lookup and a compare per drone per batch.
class DroneListModel : public RecordListModel<DroneRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int flyingCount READ flyingCount NOTIFY flyingCountChanged)

public:
    enum Role {
        DroneIdRole = Qt::UserRole + 1,
        StateRole,
        StateNameRole,
        LatitudeRole,
        LongitudeRole,
        AltitudeRole,
        HeadingRole,
        SpeedRole,
        BatteryRole,
        DeliveryIdRole,
    };
    Q_ENUM(Role)

    explicit DroneListModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The latest telemetry of each drone in the batch (later entries win).
    void apply(std::vector<DroneRecord> batch);
    void remove(const QStringList &droneIds);
    void clear();

    int count() const { return rowCount(); }
    int flyingCount() const { return m_flying; }

signals:
    void countChanged();
    void flyingCountChanged();

protected:
    QString keyOf(const DroneRecord &record) const override { return record.droneId; }
    bool merge(DroneRecord &existing, DroneRecord &&incoming) override;
    void rowsUpdated() override;

private:
    int m_flying = 0;
    int m_lastCount = 0;
};

} // namespace dd::console
