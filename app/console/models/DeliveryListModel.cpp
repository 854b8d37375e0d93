// DeliveryListModel: roles of a delivery row, newest-stage-wins merging and the active count.
#include "models/DeliveryListModel.h"

#include "models/ConsoleNames.h"

#include "domain.pb.h"

namespace dd::console {

DeliveryListModel::DeliveryListModel(QObject *parent) : RecordListModel(parent) {}

QHash<int, QByteArray> DeliveryListModel::roleNames() const
{
    return {{DeliveryIdRole, "deliveryId"},
            {OwnerIdRole, "ownerId"},
            {StageRole, "stage"},
            {StageNameRole, "stageName"},
            {DroneIdRole, "droneId"},
            {ThirdPartyBookingRole, "thirdPartyBooking"},
            {PickupLocationRole, "pickupLocation"},
            {DropoffLocationRole, "dropoffLocation"},
            {PickupEtaRole, "pickupEta"},
            {DeliveryEtaRole, "deliveryEta"},
            {CreatedAtRole, "createdAt"},
            {UpdatedAtRole, "updatedAt"},
            {ExpeditedRole, "expedited"},
            {PackageIdRole, "packageId"},
            {TraceIdRole, "traceId"},
            {PickupTimeRole, "pickupTime"},
            {WaitingRole, "waiting"},
            {FailureStepRole, "failureStep"},
            {FailureErrorRole, "failureError"},
            {FailureTransactionIdRole, "failureTransactionId"},
            {FailureOperationRole, "failureOperation"},
            {ReasonRole, "reason"}};
}

QVariant DeliveryListModel::data(const QModelIndex &index, int role) const
{
    if (!validRow(index))
        return {};
    const DeliveryRecord &d = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case DeliveryIdRole: return d.deliveryId;
    case OwnerIdRole: return d.ownerId;
    case StageRole: return d.stage;
    case StageNameRole: return ConsoleNames::stage(d.stage);
    case DroneIdRole: return d.droneId;
    case ThirdPartyBookingRole: return d.thirdPartyBooking;
    case PickupLocationRole: return d.pickupLocation;
    case DropoffLocationRole: return d.dropoffLocation;
    case PickupEtaRole: return d.pickupEta;
    case DeliveryEtaRole: return d.deliveryEta;
    case CreatedAtRole: return d.createdAt;
    case UpdatedAtRole: return d.updatedAt;
    case ExpeditedRole: return d.expedited;
    case PackageIdRole: return d.packageId;
    case TraceIdRole: return d.traceId;
    case PickupTimeRole: return d.pickupTime;
    case WaitingRole: return d.waiting;
    case FailureStepRole: return ConsoleNames::failureStep(d.failure.step);
    case FailureErrorRole: return d.failure.error;
    case FailureTransactionIdRole: return d.failure.transactionId;
    case FailureOperationRole: return d.failure.empty() ? QString() : ConsoleNames::operation(d.failure.operation);
    case ReasonRole: return ConsoleNames::deliveryReason(d.stage, d.waiting, d.failure.step, d.failure.error);
    default: return {};
    }
}

bool DeliveryListModel::merge(DeliveryRecord &existing, DeliveryRecord &&incoming)
{
    if (incoming.updatedAt < existing.updatedAt) {
        // An older snapshot (a Get that raced a newer event): take what only a full record
        // carries, keep the newer stage.
        incoming.stage = existing.stage;
        incoming.updatedAt = existing.updatedAt;
        if (incoming.droneId.isEmpty())
            incoming.droneId = existing.droneId;
        if (incoming.failure.at < existing.failure.at)
            incoming.failure = existing.failure;
    }
    // What only the events carry survives a snapshot that lacks it.
    if (incoming.pickupEta == 0)
        incoming.pickupEta = existing.pickupEta;
    if (incoming.deliveryEta == 0)
        incoming.deliveryEta = existing.deliveryEta;
    if (incoming.failure.empty())
        incoming.failure = existing.failure;
    if (existing == incoming)
        return false;
    existing = std::move(incoming);
    return true;
}

void DeliveryListModel::apply(std::vector<DeliveryRecord> records)
{
    upsert(std::move(records), InsertAt::End);
}

void DeliveryListModel::applyStageUpdates(const std::vector<DeliveryStageUpdate> &updates)
{
    static const QList<int> roles{StageRole,     StageNameRole,   DroneIdRole,      UpdatedAtRole,
                                  PickupEtaRole, DeliveryEtaRole, WaitingRole,      FailureStepRole,
                                  FailureErrorRole, FailureTransactionIdRole, FailureOperationRole, ReasonRole};
    std::vector<int> changed;
    for (const DeliveryStageUpdate &update : updates) {
        const int row = rowOf(update.deliveryId);
        if (row < 0)
            continue;
        DeliveryRecord &d = m_rows[std::size_t(row)];
        if (update.at < d.updatedAt)
            continue; // a full record already told us something newer
        const DeliveryRecord before = d;
        d.stage = update.stage;
        d.updatedAt = update.at;
        if (!update.droneId.isEmpty())
            d.droneId = update.droneId;
        if (update.pickupEta > 0)
            d.pickupEta = update.pickupEta;
        if (update.deliveryEta > 0)
            d.deliveryEta = update.deliveryEta;
        if (!update.failure.empty())
            d.failure = update.failure;
        if (d.stage != dronedelivery::v1::STAGE_REQUESTED)
            d.waiting.clear(); // placed (or failed): it no longer waits
        if (d == before)
            continue;
        changed.push_back(row);
    }
    if (changed.empty())
        return;
    emitChanged(std::move(changed), roles);
    rowsUpdated();
}

void DeliveryListModel::remove(const QStringList &deliveryIds)
{
    removeKeys(deliveryIds);
}

void DeliveryListModel::clear()
{
    replaceAll({});
}

void DeliveryListModel::rowsUpdated()
{
    int active = 0;
    for (const DeliveryRecord &d : m_rows)
        active += ConsoleNames::isActiveStage(d.stage);
    if (active != m_active) {
        m_active = active;
        emit activeCountChanged();
    }
    if (int(m_rows.size()) != m_lastCount) {
        m_lastCount = int(m_rows.size());
        emit countChanged();
    }
}

} // namespace dd::console
