// Golden metrics per caller→callee route, refreshed once a second, with a short requests/s history for sparklines.
#pragma once

#include "models/ConsoleRecords.h"
#include "models/RecordListModel.h"

namespace dd::console {

/// Routes appear as they are first called and stay (the metrics registry keeps them).
/// `window` is what health, error rate and p50/p99 cover ("1m", "5m", "15m", as GET
/// /api/services?window= takes it); the bridge follows it (windowChanged).
class RouteHealthModel : public RecordListModel<RouteRecord>
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString window READ window WRITE setWindow NOTIFY windowChanged)

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
        ErrorRateRole,
        WindowCallsRole,
        BreakerNameRole,
    };
    Q_ENUM(Role)

    explicit RouteHealthModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void apply(std::vector<RouteRecord> routes);
    int count() const { return rowCount(); }
    QString window() const { return m_window; }
    /// Ignores anything but "1m", "5m" and "15m".
    void setWindow(const QString &window);
    /// The row's breaker state, "" for an unknown route (tests, QML conditions).
    Q_INVOKABLE QString breakerStateOf(const QString &caller, const QString &callee) const;

    static QString routeKey(const QString &caller, const QString &callee) { return caller + QLatin1Char('>') + callee; }

signals:
    void countChanged();
    void windowChanged();

protected:
    QString keyOf(const RouteRecord &record) const override { return routeKey(record.caller, record.callee); }
    void rowsUpdated() override;

private:
    int m_lastCount = 0;
    QString m_window = QStringLiteral("1m");
};

} // namespace dd::console
