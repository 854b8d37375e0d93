// One delivery's stage history (from DeliveryHistory), oldest first, extended live while it is selected.
#pragma once

#include "models/ConsoleRecords.h"

#include <QAbstractListModel>

#include <vector>

namespace dd::console {

class TimelineModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString deliveryId READ deliveryId NOTIFY deliveryIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        StageRole = Qt::UserRole + 1,
        StageNameRole,
        AtRole,
        ReasonRole,
        LatitudeRole,
        LongitudeRole,
        DroneIdRole,
    };
    Q_ENUM(Role)

    explicit TimelineModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Replaces the history (a new selection, or its reload).
    void setEntries(const QString &deliveryId, std::vector<TimelineEntry> entries);
    /// Live events of the shown delivery; one already shown (same stage and time) is skipped.
    void append(const std::vector<TimelineEntry> &entries);
    void clear();

    QString deliveryId() const { return m_deliveryId; }
    int count() const { return int(m_entries.size()); }

signals:
    void deliveryIdChanged();
    void countChanged();

private:
    QString m_deliveryId;
    std::vector<TimelineEntry> m_entries;
};

} // namespace dd::console
