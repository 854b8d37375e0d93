// AccountChangeModel: roles of a change log entry; replaced whenever the account is (re)loaded.
#include "models/AccountChangeModel.h"

namespace dd::console {

AccountChangeModel::AccountChangeModel(QObject *parent) : QAbstractListModel(parent) { }

int AccountChangeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

QHash<int, QByteArray> AccountChangeModel::roleNames() const
{
    return {{AtRole, "at"}, {UserNameRole, "user"}, {RoleRole, "role"}, {ActionRole, "action"}, {ReasonRole, "reason"}};
}

QVariant AccountChangeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.column() != 0 || index.row() < 0
        || index.row() >= int(m_changes.size()))
        return {};
    const AccountChangeRecord &c = m_changes[std::size_t(index.row())];
    switch (role) {
    case AtRole:
        return c.at;
    case UserNameRole:
        return c.user;
    case RoleRole:
        return c.role;
    case Qt::DisplayRole:
    case ActionRole:
        return c.action;
    case ReasonRole:
        return c.reason;
    default:
        return {};
    }
}

void AccountChangeModel::setChanges(const QString &ownerId, std::vector<AccountChangeRecord> changes)
{
    const int before = count();
    beginResetModel();
    m_changes = std::move(changes);
    endResetModel();
    if (ownerId != m_ownerId) {
        m_ownerId = ownerId;
        emit ownerIdChanged();
    }
    if (count() != before)
        emit countChanged();
}

} // namespace dd::console
