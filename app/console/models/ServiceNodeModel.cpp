// ServiceNodeModel: roles of a service node.
#include "models/ServiceNodeModel.h"

namespace dd::console {

ServiceNodeModel::ServiceNodeModel(QObject *parent) : RecordListModel(parent) {}

QHash<int, QByteArray> ServiceNodeModel::roleNames() const
{
    return {{NameRole, "name"},         {HealthRole, "health"}, {RequestsPerSecondRole, "requestsPerSecond"},
            {ErrorRateRole, "errorRate"}, {XRole, "x"},         {YRole, "y"},
            {P99MsRole, "p99Ms"},         {BreakerStateRole, "breakerState"}};
}

QVariant ServiceNodeModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const ServiceNodeRecord &n = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return n.name;
    case HealthRole: return n.health;
    case RequestsPerSecondRole: return n.requestsPerSecond;
    case ErrorRateRole: return n.errorRate;
    case XRole: return n.x;
    case YRole: return n.y;
    case P99MsRole: return n.p99Ms;
    case BreakerStateRole: return n.breakerState;
    default: return {};
    }
}

void ServiceNodeModel::apply(std::vector<ServiceNodeRecord> nodes)
{
    upsert(std::move(nodes), InsertAt::End);
}

QString ServiceNodeModel::healthOf(const QString &name) const
{
    const ServiceNodeRecord *node = find(name);
    return node ? node->health : QString();
}

void ServiceNodeModel::rowsUpdated()
{
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
