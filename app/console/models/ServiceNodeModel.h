// One row per service for the service graph: health, traffic and a layout hint.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

class ServiceNodeModel : public RecordListModel<ServiceNodeRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        HealthRole,
        RequestsPerSecondRole,
        ErrorRateRole,
        XRole,
        YRole,
        P99MsRole,
        BreakerStateRole,
    };
    Q_ENUM(Role)

    explicit ServiceNodeModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void apply(std::vector<ServiceNodeRecord> nodes);
    int count() const { return rowCount(); }
    /// The service's health, "" when unknown.
    Q_INVOKABLE QString healthOf(const QString &name) const;

signals:
    void countChanged();

protected:
    QString keyOf(const ServiceNodeRecord &record) const override { return record.name; }
    void rowsUpdated() override;

private:
    int m_lastCount = 0;
};

} // namespace dd::console
