// The fault-injection rules in force (the process's FaultInjector), for the faults panel.
#pragma once

#include "models/ConsoleRecords.h"

#include <QAbstractListModel>

#include <vector>

namespace dd::console {

class FaultRuleModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        SpecRole = Qt::UserRole + 1,
        ServiceRole,
        MethodRole,
        KindRole,
        PercentRole,
        DelayMsRole,
    };
    Q_ENUM(Role)

    explicit FaultRuleModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRules(std::vector<FaultRecord> rules);
    int count() const { return int(m_rules.size()); }

signals:
    void countChanged();

private:
    std::vector<FaultRecord> m_rules;
};

} // namespace dd::console
