// The accounts table's view of AccountListModel: an id/name search and "suspended only", ordered by owner id.
#pragma once

#include <QSortFilterProxyModel>

namespace dd::console {

class AccountFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    /// Case-insensitive substring of the owner id or the name; empty shows all.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(bool suspendedOnly READ suspendedOnly WRITE setSuspendedOnly NOTIFY suspendedOnlyChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit AccountFilterModel(QObject *parent = nullptr);

    QString search() const { return m_search; }
    void setSearch(const QString &search);
    bool suspendedOnly() const { return m_suspendedOnly; }
    void setSuspendedOnly(bool suspendedOnly);
    int count() const { return rowCount(); }

    /// The owner id of a proxy row ("" when out of range).
    Q_INVOKABLE QString ownerIdAt(int row) const;

signals:
    void searchChanged();
    void suspendedOnlyChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_search;
    bool m_suspendedOnly = false;
};

} // namespace dd::console
