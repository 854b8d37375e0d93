// Golden metrics per caller→callee route, refreshed once a second, with a short requests/s history for sparklines.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

/// Routes appear as they are first called and stay (the metrics registry keeps them).
class RouteHealthModel : public RecordListModel<RouteRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        CallerRole = Qt::UserRole + 1,
        CalleeRole,
        RequestsPerSecondRole,
        SuccessRateRole,
        P50MsRole,
        P99MsRole,
        BreakerStateRole,
        HealthRole,
        HistoryRole,
    };
    Q_ENUM(Role)

    explicit RouteHealthModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void apply(std::vector<RouteRecord> routes);
    int count() const { return rowCount(); }
    /// The row's breaker state, "" for an unknown route (tests, QML conditions).
    Q_INVOKABLE QString breakerStateOf(const QString &caller, const QString &callee) const;

    static QString routeKey(const QString &caller, const QString &callee) { return caller + QLatin1Char('>') + callee; }

signals:
    void countChanged();

protected:
    QString keyOf(const RouteRecord &record) const override { return routeKey(record.caller, record.callee); }
    void rowsUpdated() override;

private:
    int m_lastCount = 0;
};

} // namespace dd::console
