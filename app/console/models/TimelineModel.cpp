// TimelineModel: roles of a history entry; replace on selection, append on live events.
#include "models/TimelineModel.h"

#include "models/ConsoleNames.h"

#include <algorithm>

namespace dd::console {

TimelineModel::TimelineModel(QObject *parent) : QAbstractListModel(parent) {}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {{StageRole, "stage"},       {StageNameRole, "stageName"}, {AtRole, "at"},          {ReasonRole, "reason"},
            {LatitudeRole, "latitude"}, {LongitudeRole, "longitude"}, {DroneIdRole, "droneId"}};
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= int(m_entries.size()))
        return {};
    const TimelineEntry &e = m_entries[std::size_t(index.row())];
    switch (role) {
    case StageRole: return e.stage;
    case Qt::DisplayRole:
    case StageNameRole: return ConsoleNames::stage(e.stage);
    case AtRole: return e.at;
    case ReasonRole: return e.reason;
    case LatitudeRole: return e.latitude;
    case LongitudeRole: return e.longitude;
    case DroneIdRole: return e.droneId;
    default: return {};
    }
}

void TimelineModel::setEntries(const QString &deliveryId, std::vector<TimelineEntry> entries)
{
    const int before = count();
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
    if (deliveryId != m_deliveryId) {
        m_deliveryId = deliveryId;
        emit deliveryIdChanged();
    }
    if (count() != before)
        emit countChanged();
}

void TimelineModel::append(const std::vector<TimelineEntry> &entries)
{
    std::vector<TimelineEntry> fresh;
    for (const TimelineEntry &entry : entries) {
        const auto same = [&](const TimelineEntry &e) { return e.stage == entry.stage && e.at == entry.at; };
        if (std::none_of(m_entries.begin(), m_entries.end(), same) && std::none_of(fresh.begin(), fresh.end(), same))
            fresh.push_back(entry);
    }
    if (fresh.empty())
        return;
    const int first = count();
    beginInsertRows(QModelIndex(), first, first + int(fresh.size()) - 1);
    m_entries.insert(m_entries.end(), fresh.begin(), fresh.end());
    endInsertRows();
    emit countChanged();
}

void TimelineModel::clear()
{
    setEntries({}, {});
}

} // namespace dd::console
