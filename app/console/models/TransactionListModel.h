// Failed transactions for the supervisor: what failed, each compensation's state, and a selection for bulk actions.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

#include <QSet>

namespace dd::console {

/// Newest first: transactions not seen before are inserted at the top. The `selected`
/// role is the one writable role (setData from a delegate's checkbox); the selection
/// survives updates of the row and is dropped for rows that go away.
class TransactionListModel : public RecordListModel<TransactionRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int awaitingApprovalCount READ awaitingApprovalCount NOTIFY awaitingApprovalCountChanged)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)

public:
    enum Role {
        TransactionIdRole = Qt::UserRole + 1,
        DeliveryIdRole,
        OwnerIdRole,
        OperationRole,
        FailedStepRole,
        ErrorRole,
        StateRole,
        StateNameRole,
        CreatedAtRole,
        UpdatedAtRole,
        AwaitingApprovalRole,
        CompensationsRole,
        SelectedRole,
    };
    Q_ENUM(Role)

    explicit TransactionListModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    void apply(std::vector<TransactionRecord> records);
    void remove(const QStringList &transactionIds);
    void clear();

    int count() const { return rowCount(); }
    int awaitingApprovalCount() const { return m_awaiting; }
    int selectedCount() const { return int(m_selected.size()); }

    Q_INVOKABLE void setSelected(const QString &transactionId, bool selected);
    Q_INVOKABLE void selectAll(bool onlyAwaitingApproval = false);
    Q_INVOKABLE void clearSelection();
    /// Selected ids in row order (newest first).
    Q_INVOKABLE QStringList selectedIds() const;

signals:
    void countChanged();
    void awaitingApprovalCountChanged();
    void selectionChanged();

protected:
    QString keyOf(const TransactionRecord &record) const override { return record.transactionId; }
    void rowsUpdated() override;

private:
    void setSelectedRows(const std::vector<int> &rows, bool selected);

    QSet<QString> m_selected;
    int m_awaiting = 0;
    int m_lastCount = 0;
};

} // namespace dd::console
