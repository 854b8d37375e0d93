// AuditLogModel: roles of an audit entry; replaced whenever the log is reloaded.
#include "models/AuditLogModel.h"

namespace dd::console {

AuditLogModel::AuditLogModel(QObject *parent) : QAbstractListModel(parent) {}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QHash<int, QByteArray> AuditLogModel::roleNames() const
{
    return {{AtRole, "at"},         {UserNameRole, "user"},       {RoleRole, "role"},     {ActionRole, "action"},
            {TransactionIdRole, "transactionId"}, {CommentRole, "comment"}, {OutcomeRole, "outcome"}};
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= int(m_entries.size()))
        return {};
    const AuditRecord &a = m_entries[std::size_t(index.row())];
    switch (role) {
    case AtRole: return a.at;
    case UserNameRole: return a.user;
    case RoleRole: return a.role;
    case Qt::DisplayRole:
    case ActionRole: return a.action;
    case TransactionIdRole: return a.transactionId;
    case CommentRole: return a.comment;
    case OutcomeRole: return a.outcome;
    default: return {};
    }
}

void AuditLogModel::setEntries(std::vector<AuditRecord> entries)
{
    const int before = count();
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
    if (count() != before)
        emit countChanged();
}

} // namespace dd::console
