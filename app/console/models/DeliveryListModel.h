// Every delivery the console knows: loaded at start, kept current by delivery status events.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

/// Rows are appended in arrival order; DeliveryFilterModel sorts and filters for views.
/// Full records (Delivery.Get / List) and stage events may arrive out of order: the
/// newer stage (by updatedAt) always wins, whichever came last.
class DeliveryListModel : public RecordListModel<DeliveryRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)

public:
    enum Role {
        DeliveryIdRole = Qt::UserRole + 1,
        OwnerIdRole,
        StageRole,
        StageNameRole,
        DroneIdRole,
        ThirdPartyBookingRole,
        PickupLocationRole,
        DropoffLocationRole,
        PickupEtaRole,
        DeliveryEtaRole,
        CreatedAtRole,
        UpdatedAtRole,
        ExpeditedRole,
        PackageIdRole,
        TraceIdRole,
        PickupTimeRole,
        WaitingRole,
        FailureStepRole, ///< display name ("Package"), "" when nothing failed
        FailureErrorRole,
        FailureTransactionIdRole,
        FailureOperationRole, ///< "Schedule", "Reschedule", "Cancel" or ""
        ReasonRole, ///< one line on why it is Requested or Failed, "" otherwise
    };
    Q_ENUM(Role)

    explicit DeliveryListModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Full records: new ones are appended, known ones updated.
    void apply(std::vector<DeliveryRecord> records);
    /// Stage events: applied to known deliveries; unknown ids are left to a later full record.
    /// An event's ETAs and failure are kept; a failed reschedule or cancel leaves the stage.
    void applyStageUpdates(const std::vector<DeliveryStageUpdate> &updates);
    void remove(const QStringList &deliveryIds);
    void clear();

    int count() const { return rowCount(); }
    int activeCount() const { return m_active; }

signals:
    void countChanged();
    void activeCountChanged();

protected:
    QString keyOf(const DeliveryRecord &record) const override { return record.deliveryId; }
    bool merge(DeliveryRecord &existing, DeliveryRecord &&incoming) override;
    void rowsUpdated() override;

private:
    int m_active = 0;
    int m_lastCount = 0;
};

} // namespace dd::console
