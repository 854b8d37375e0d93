// AccountFilterModel: search and standing filtering, owner-id ordering, a live count.
#include "models/AccountFilterModel.h"

#include "models/AccountListModel.h"

namespace dd::console {

AccountFilterModel::AccountFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortRole(AccountListModel::OwnerIdRole);
    // A changed row is re-filtered only when the changed roles include the filter role:
    // the standing is the filtered field that changes (a suspension, a reinstatement).
    setFilterRole(AccountListModel::ActiveRole);
    sort(0, Qt::AscendingOrder);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &AccountFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &AccountFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &AccountFilterModel::countChanged);
}

void AccountFilterModel::setSearch(const QString &search)
{
    const QString trimmed = search.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateFilter();
    emit searchChanged();
}

void AccountFilterModel::setSuspendedOnly(bool suspendedOnly)
{
    if (suspendedOnly == m_suspendedOnly)
        return;
    m_suspendedOnly = suspendedOnly;
    invalidateFilter();
    emit suspendedOnlyChanged();
}

QString AccountFilterModel::ownerIdAt(int row) const
{
    return data(index(row, 0), AccountListModel::OwnerIdRole).toString();
}

bool AccountFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex row = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_suspendedOnly && row.data(AccountListModel::ActiveRole).toBool())
        return false;
    if (m_search.isEmpty())
        return true;
    return row.data(AccountListModel::OwnerIdRole).toString().contains(m_search, Qt::CaseInsensitive)
        || row.data(AccountListModel::NameRole).toString().contains(m_search, Qt::CaseInsensitive);
}

bool AccountFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return left.data(AccountListModel::OwnerIdRole).toString() < right.data(AccountListModel::OwnerIdRole).toString();
}

} // namespace dd::console
