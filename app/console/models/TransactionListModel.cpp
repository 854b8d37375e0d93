// TransactionListModel: roles of a failed transaction, the bulk-action selection, the awaiting-approval count.
#include "models/TransactionListModel.h"

#include "models/ConsoleNames.h"

#include <algorithm>

namespace dd::console {

TransactionListModel::TransactionListModel(QObject *parent) : RecordListModel(parent) {}

QHash<int, QByteArray> TransactionListModel::roleNames() const
{
    return {{TransactionIdRole, "transactionId"},
            {DeliveryIdRole, "deliveryId"},
            {OwnerIdRole, "ownerId"},
            {OperationRole, "operation"},
            {FailedStepRole, "failedStep"},
            {ErrorRole, "error"},
            {StateRole, "state"},
            {StateNameRole, "stateName"},
            {CreatedAtRole, "createdAt"},
            {UpdatedAtRole, "updatedAt"},
            {AwaitingApprovalRole, "awaitingApproval"},
            {CompensationsRole, "compensations"},
            {SelectedRole, "selected"}};
}

QVariant TransactionListModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const TransactionRecord &t = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TransactionIdRole: return t.transactionId;
    case DeliveryIdRole: return t.deliveryId;
    case OwnerIdRole: return t.ownerId;
    case OperationRole: return t.operation;
    case FailedStepRole: return t.failedStep;
    case ErrorRole: return t.error;
    case StateRole: return t.state;
    case StateNameRole: return ConsoleNames::transactionState(t.state);
    case CreatedAtRole: return t.createdAt;
    case UpdatedAtRole: return t.updatedAt;
    case AwaitingApprovalRole: return t.awaitingApproval;
    case CompensationsRole: return t.compensations;
    case SelectedRole: return m_selected.contains(t.transactionId);
    default: return {};
    }
}

Qt::ItemFlags TransactionListModel::flags(const QModelIndex &index) const
{
    if (!validRow(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

bool TransactionListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!validRow(index) || role != SelectedRole)
        return false;
    setSelectedRows({index.row()}, value.toBool());
    return true;
}

void TransactionListModel::setSelectedRows(const std::vector<int> &rows, bool selected)
{
    std::vector<int> changed;
    for (int row : rows) {
        const QString &id = m_rows[std::size_t(row)].transactionId;
        if (m_selected.contains(id) == selected)
            continue;
        if (selected)
            m_selected.insert(id);
        else
            m_selected.remove(id);
        changed.push_back(row);
    }
    if (changed.empty())
        return;
    emitChanged(std::move(changed), {SelectedRole});
    emit selectionChanged();
}

void TransactionListModel::setSelected(const QString &transactionId, bool selected)
{
    if (const int row = rowOf(transactionId); row >= 0)
        setSelectedRows({row}, selected);
}

void TransactionListModel::selectAll(bool onlyAwaitingApproval)
{
    std::vector<int> rows;
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (!onlyAwaitingApproval || m_rows[i].awaitingApproval)
            rows.push_back(int(i));
    setSelectedRows(rows, true);
}

void TransactionListModel::clearSelection()
{
    std::vector<int> rows;
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        rows.push_back(int(i));
    setSelectedRows(rows, false);
}

QStringList TransactionListModel::selectedIds() const
{
    QStringList ids;
    for (const TransactionRecord &t : m_rows)
        if (m_selected.contains(t.transactionId))
            ids.append(t.transactionId);
    return ids;
}

void TransactionListModel::apply(std::vector<TransactionRecord> records)
{
    // Newest first among the new ones too, so the top of the list is the latest failure.
    std::stable_sort(records.begin(), records.end(),
                     [](const TransactionRecord &a, const TransactionRecord &b) { return a.createdAt > b.createdAt; });
    upsert(std::move(records), InsertAt::Front);
}

void TransactionListModel::remove(const QStringList &transactionIds)
{
    removeKeys(transactionIds);
}

void TransactionListModel::clear()
{
    replaceAll({});
}

void TransactionListModel::rowsUpdated()
{
    int awaiting = 0;
    for (const TransactionRecord &t : m_rows)
        awaiting += t.awaitingApproval;
    if (awaiting != m_awaiting) {
        m_awaiting = awaiting;
        emit awaitingApprovalCountChanged();
    }
    // A selection of rows that are gone means nothing any more.
    const qsizetype before = m_selected.size();
    for (auto it = m_selected.begin(); it != m_selected.end();)
        it = m_index.contains(*it) ? std::next(it) : m_selected.erase(it);
    if (m_selected.size() != before)
        emit selectionChanged();
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
