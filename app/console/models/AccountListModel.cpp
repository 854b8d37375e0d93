// AccountListModel: roles of an account, reloads applied in place, the suspended count.
#include "models/AccountListModel.h"

#include <QSet>

namespace dd::console {

AccountListModel::AccountListModel(QObject *parent) : RecordListModel(parent) { }

QHash<int, QByteArray> AccountListModel::roleNames() const
{
    return {{OwnerIdRole, "ownerId"}, {NameRole, "name"}, {ActiveRole, "active"}, {StandingRole, "standing"},
        {SuspensionReasonRole, "suspensionReason"}, {RegisteredOnFirstUseRole, "registeredOnFirstUse"},
        {CreatedAtRole, "createdAt"}, {UpdatedAtRole, "updatedAt"}};
}

QString AccountListModel::standingOf(bool active)
{
    return active ? QStringLiteral("Active") : QStringLiteral("Suspended");
}

QVariant AccountListModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const AccountRecord &a = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case OwnerIdRole:
        return a.ownerId;
    case NameRole:
        return a.name;
    case ActiveRole:
        return a.active;
    case StandingRole:
        return standingOf(a.active);
    case SuspensionReasonRole:
        return a.suspensionReason;
    case RegisteredOnFirstUseRole:
        return a.registeredOnFirstUse;
    case CreatedAtRole:
        return a.createdAt;
    case UpdatedAtRole:
        return a.updatedAt;
    default:
        return {};
    }
}

void AccountListModel::setAccounts(std::vector<AccountRecord> accounts, int total)
{
    QSet<QString> listed;
    for (const AccountRecord &account : accounts)
        listed.insert(account.ownerId);
    QStringList gone;
    for (const AccountRecord &row : m_rows)
        if (!listed.contains(row.ownerId))
            gone.append(row.ownerId);
    removeKeys(gone);
    upsert(std::move(accounts), InsertAt::End);
    if (total != m_total) {
        m_total = total;
        emit totalChanged();
    }
    if (!m_loaded) {
        m_loaded = true;
        emit loadedChanged();
    }
}

void AccountListModel::apply(std::vector<AccountRecord> accounts)
{
    const int before = count();
    upsert(std::move(accounts), InsertAt::End);
    // An owner first seen by a Get is one more of the service's accounts.
    if (count() > before) {
        m_total += count() - before;
        emit totalChanged();
    }
}

void AccountListModel::rowsUpdated()
{
    int suspended = 0;
    for (const AccountRecord &a : m_rows)
        suspended += !a.active;
    if (suspended != m_suspended) {
        m_suspended = suspended;
        emit suspendedCountChanged();
    }
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
