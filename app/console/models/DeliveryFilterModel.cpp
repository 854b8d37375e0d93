// DeliveryFilterModel: stage and search filtering, newest-first ordering, a live count.
#include "models/DeliveryFilterModel.h"

#include "models/DeliveryListModel.h"

namespace dd::console {

DeliveryFilterModel::DeliveryFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortRole(DeliveryListModel::CreatedAtRole);
    // The proxy re-filters a changed row only when the changed roles include the filter
    // role; the stage is the one filtered field that changes.
    setFilterRole(DeliveryListModel::StageRole);
    sort(0, Qt::DescendingOrder);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &DeliveryFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &DeliveryFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &DeliveryFilterModel::countChanged);
}

void DeliveryFilterModel::setStageFilter(int stage)
{
    if (stage == m_stage)
        return;
    m_stage = stage;
    invalidateFilter();
    emit stageFilterChanged();
}

void DeliveryFilterModel::setSearch(const QString &search)
{
    const QString trimmed = search.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateFilter();
    emit searchChanged();
}

QString DeliveryFilterModel::deliveryIdAt(int row) const
{
    return data(index(row, 0), DeliveryListModel::DeliveryIdRole).toString();
}

bool DeliveryFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex row = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_stage != 0 && row.data(DeliveryListModel::StageRole).toInt() != m_stage)
        return false;
    if (m_search.isEmpty())
        return true;
    return row.data(DeliveryListModel::DeliveryIdRole).toString().contains(m_search, Qt::CaseInsensitive)
        || row.data(DeliveryListModel::OwnerIdRole).toString().contains(m_search, Qt::CaseInsensitive);
}

bool DeliveryFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const qint64 a = left.data(DeliveryListModel::CreatedAtRole).toLongLong();
    const qint64 b = right.data(DeliveryListModel::CreatedAtRole).toLongLong();
    if (a != b)
        return a < b;
    // Same instant: a stable, total order so rows never swap between refreshes.
    return left.data(DeliveryListModel::DeliveryIdRole).toString()
        < right.data(DeliveryListModel::DeliveryIdRole).toString();
}

} // namespace dd::console
