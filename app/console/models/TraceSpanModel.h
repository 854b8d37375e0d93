// One trace's spans as a waterfall: offset and duration of each hop, nested by parent.
#pragma once

#include "models/ConsoleRecords.h"

#include <QAbstractListModel>

#include <vector>

namespace dd::console {

class TraceSpanModel : public QAbstractListModel
{
    Q_OBJECT
    /// From the first span's start to the last span's end.
    Q_PROPERTY(double totalMs READ totalMs NOTIFY traceChanged)
    /// 32 hex digits; empty when no trace is shown.
    Q_PROPERTY(QString traceId READ traceId NOTIFY traceChanged)
    Q_PROPERTY(int count READ count NOTIFY traceChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        ServiceRole,
        KindRole,
        StartOffsetMsRole,
        DurationMsRole,
        DepthRole,
        StatusRole,
        AttemptRole,
    };
    Q_ENUM(Role)

    explicit TraceSpanModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Spans in waterfall order (by start).
    void setTrace(const QString &traceId, std::vector<TraceSpanRecord> spans, double totalMs);
    void clear();

    double totalMs() const { return m_totalMs; }
    QString traceId() const { return m_traceId; }
    int count() const { return int(m_spans.size()); }

signals:
    void traceChanged();

private:
    QString m_traceId;
    double m_totalMs = 0;
    std::vector<TraceSpanRecord> m_spans;
};

} // namespace dd::console
