// RouteHealthModel: roles of a route row.
#include "models/RouteHealthModel.h"

namespace dd::console {

RouteHealthModel::RouteHealthModel(QObject *parent) : RecordListModel(parent) {}

QHash<int, QByteArray> RouteHealthModel::roleNames() const
{
    return {{CallerRole, "caller"},       {CalleeRole, "callee"},           {RequestsPerSecondRole, "requestsPerSecond"},
            {SuccessRateRole, "successRate"}, {P50MsRole, "p50Ms"},         {P99MsRole, "p99Ms"},
            {BreakerStateRole, "breakerState"}, {HealthRole, "health"},     {HistoryRole, "history"},
            {ErrorRateRole, "errorRate"}, {WindowCallsRole, "windowCalls"}, {BreakerNameRole, "breakerName"}};
}

QVariant RouteHealthModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const RouteRecord &r = m_rows[std::size_t(index.row())];
    switch (role) {
    case CallerRole: return r.caller;
    case CalleeRole: return r.callee;
    case Qt::DisplayRole: return routeKey(r.caller, r.callee);
    case RequestsPerSecondRole: return r.requestsPerSecond;
    case SuccessRateRole: return r.successRate;
    case P50MsRole: return r.p50Ms;
    case P99MsRole: return r.p99Ms;
    case BreakerStateRole: return r.breakerState;
    case HealthRole: return r.health;
    case HistoryRole: return r.history;
    case ErrorRateRole: return r.errorRate;
    case WindowCallsRole: return r.windowCalls;
    case BreakerNameRole: return r.breakerName;
    default: return {};
    }
}

void RouteHealthModel::apply(std::vector<RouteRecord> routes)
{
    upsert(std::move(routes), InsertAt::End);
}

void RouteHealthModel::setWindow(const QString &window)
{
    if (window == m_window
        || (window != QLatin1String("1m") && window != QLatin1String("5m") && window != QLatin1String("15m")))
        return;
    m_window = window;
    emit windowChanged();
}

QString RouteHealthModel::breakerStateOf(const QString &caller, const QString &callee) const
{
    const RouteRecord *route = find(routeKey(caller, callee));
    return route ? route->breakerState : QString();
}

void RouteHealthModel::rowsUpdated()
{
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
