// FaultRuleModel: roles of a fault rule; replaced whenever the rules change.
#include "models/FaultRuleModel.h"

namespace dd::console {

FaultRuleModel::FaultRuleModel(QObject *parent) : QAbstractListModel(parent) {}

int FaultRuleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rules.size());
}

QHash<int, QByteArray> FaultRuleModel::roleNames() const
{
    return {{SpecRole, "spec"}, {ServiceRole, "service"}, {MethodRole, "method"},
            {KindRole, "kind"}, {PercentRole, "percent"}, {DelayMsRole, "delayMs"}};
}

QVariant FaultRuleModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= int(m_rules.size()))
        return {};
    const FaultRecord &f = m_rules[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case SpecRole: return f.spec;
    case ServiceRole: return f.service;
    case MethodRole: return f.method;
    case KindRole: return f.kind;
    case PercentRole: return f.percent;
    case DelayMsRole: return f.delayMs;
    default: return {};
    }
}

void FaultRuleModel::setRules(std::vector<FaultRecord> rules)
{
    const int before = count();
    beginResetModel();
    m_rules = std::move(rules);
    endResetModel();
    if (count() != before)
        emit countChanged();
}

} // namespace dd::console
