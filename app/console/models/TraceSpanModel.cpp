// TraceSpanModel: roles of a waterfall row; the whole trace is replaced at once.
#include "models/TraceSpanModel.h"

namespace dd::console {

TraceSpanModel::TraceSpanModel(QObject *parent) : QAbstractListModel(parent) {}

int TraceSpanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_spans.size());
}

QHash<int, QByteArray> TraceSpanModel::roleNames() const
{
    return {{NameRole, "name"},           {ServiceRole, "service"}, {KindRole, "kind"},
            {StartOffsetMsRole, "startOffsetMs"}, {DurationMsRole, "durationMs"}, {DepthRole, "depth"},
            {StatusRole, "status"},       {AttemptRole, "attempt"}};
}

QVariant TraceSpanModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= int(m_spans.size()))
        return {};
    const TraceSpanRecord &s = m_spans[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return s.name;
    case ServiceRole: return s.service;
    case KindRole: return s.kind;
    case StartOffsetMsRole: return s.startOffsetMs;
    case DurationMsRole: return s.durationMs;
    case DepthRole: return s.depth;
    case StatusRole: return s.status;
    case AttemptRole: return s.attempt;
    default: return {};
    }
}

void TraceSpanModel::setTrace(const QString &traceId, std::vector<TraceSpanRecord> spans, double totalMs)
{
    beginResetModel();
    m_traceId = traceId;
    m_spans = std::move(spans);
    m_totalMs = totalMs;
    endResetModel();
    emit traceChanged();
}

void TraceSpanModel::clear()
{
    setTrace({}, {}, 0);
}

} // namespace dd::console
