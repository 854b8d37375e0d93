// The selected account's change log (Account.Get): who registered, suspended or reinstated it; newest first.
#pragma once

#include "models/AccountRecords.h"

#include <QAbstractListModel>

#include <vector>

namespace dd::console {

class AccountChangeModel : public QAbstractListModel
{
    Q_OBJECT
    /// Whose log this is ("" when no account is selected).
    Q_PROPERTY(QString ownerId READ ownerId NOTIFY ownerIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        AtRole = Qt::UserRole + 1,
        UserNameRole,
        RoleRole,
        ActionRole,
        ReasonRole,
    };
    Q_ENUM(Role)

    explicit AccountChangeModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The log as Account.Get returned it (newest first); replaces what was shown.
    void setChanges(const QString &ownerId, std::vector<AccountChangeRecord> changes);
    void clear() { setChanges({}, {}); }

    QString ownerId() const { return m_ownerId; }
    int count() const { return int(m_changes.size()); }

signals:
    void ownerIdChanged();
    void countChanged();

private:
    QString m_ownerId;
    std::vector<AccountChangeRecord> m_changes;
};

} // namespace dd::console
