// Every account the Account service lists: owner, name, standing, how it came to be; keyed by owner id.
#pragma once

#include "models/AccountRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

/// Rows in the order the service listed them (by owner id); a reload updates rows in
/// place (views keep their scroll and selection) and drops owners no longer listed.
/// `total` is the service's count, which may exceed the rows loaded (a capped load).
class AccountListModel : public RecordListModel<AccountRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
    Q_PROPERTY(int suspendedCount READ suspendedCount NOTIFY suspendedCountChanged)
    /// False until the first list arrived (the panel says "loading", not "no accounts").
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)

public:
    enum Role {
        OwnerIdRole = Qt::UserRole + 1,
        NameRole,
        ActiveRole,
        StandingRole,
        SuspensionReasonRole,
        RegisteredOnFirstUseRole,
        CreatedAtRole,
        UpdatedAtRole,
    };
    Q_ENUM(Role)

    explicit AccountListModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// A complete list (every page of Account.List) and the service's total.
    void setAccounts(std::vector<AccountRecord> accounts, int total);
    /// Single accounts as a Get or SetStatus answered; new owners are appended.
    void apply(std::vector<AccountRecord> accounts);

    int count() const { return rowCount(); }
    int total() const { return m_total; }
    int suspendedCount() const { return m_suspended; }
    bool loaded() const { return m_loaded; }

    /// "Active" or "Suspended", as the panels and the HTTP API's readers say it.
    static QString standingOf(bool active);

signals:
    void countChanged();
    void totalChanged();
    void suspendedCountChanged();
    void loadedChanged();

protected:
    QString keyOf(const AccountRecord &record) const override { return record.ownerId; }
    void rowsUpdated() override;

private:
    int m_total = 0;
    int m_suspended = 0;
    int m_lastCount = 0;
    bool m_loaded = false;
};

} // namespace dd::console
