// The deliveries table's view of DeliveryListModel: filtered by stage and an id/owner search, newest first.
#pragma once

#include <QSortFilterProxyModel>

namespace dd::console {

class DeliveryFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    /// A dronedelivery.v1.DeliveryStage value; 0 shows every stage.
    Q_PROPERTY(int stageFilter READ stageFilter WRITE setStageFilter NOTIFY stageFilterChanged)
    /// Case-insensitive substring of the delivery id or the owner id; empty shows all.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit DeliveryFilterModel(QObject *parent = nullptr);

    int stageFilter() const { return m_stage; }
    void setStageFilter(int stage);
    QString search() const { return m_search; }
    void setSearch(const QString &search);
    int count() const { return rowCount(); }

    /// The delivery id of a proxy row ("" when out of range), for QML key handling.
    Q_INVOKABLE QString deliveryIdAt(int row) const;

signals:
    void stageFilterChanged();
    void searchChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    int m_stage = 0;
    QString m_search;
};

} // namespace dd::console
