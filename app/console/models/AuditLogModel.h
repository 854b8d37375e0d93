// The supervisor's audit log: every approve / reject / retry, who, when and with what outcome; newest first.
#pragma once

#include "models/ConsoleRecords.h"

#include <QAbstractListModel>

#include <vector>

namespace dd::console {

class AuditLogModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        AtRole = Qt::UserRole + 1,
        UserNameRole,
        RoleRole,
        ActionRole,
        TransactionIdRole,
        CommentRole,
        OutcomeRole,
    };
    Q_ENUM(Role)

    explicit AuditLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The log as Supervisor.Audit returned it (newest first).
    void setEntries(std::vector<AuditRecord> entries);
    int count() const { return int(m_entries.size()); }

signals:
    void countChanged();

private:
    std::vector<AuditRecord> m_entries;
};

} // namespace dd::console
