// A list model built from JS rows, for panel tests: roles keep C++ shapes (a QVariantList stays a JS array).
#pragma once

#include <QAbstractListModel>
#include <QVariantList>

/// `TestListModel { rows: [{caller: "a", history: [1, 2]}] }` in QML (DroneConsole.Tests).
/// ListModel turns an array inside a row into a nested ListModel (and drops plain
/// numbers), which is not what the console's C++ models hand to QML; this keeps each
/// value exactly as given. Roles are the first row's keys, from Qt::UserRole + 1; every
/// role is writable through setData, like the `selected` role of TransactionListModel.
class TestListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QVariantList rows READ rows WRITE setRows NOTIFY rowsChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY rowsChanged)

public:
    explicit TestListModel(QObject *parent = nullptr);

    QVariantList rows() const;
    void setRows(const QVariantList &rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    QHash<int, QByteArray> roleNames() const override;

    /// The row as a map, like ListModel.get().
    Q_INVOKABLE QVariantMap get(int row) const;
    /// Sets one role of one row, like ListModel.setProperty().
    Q_INVOKABLE void setProperty(int row, const QString &role, const QVariant &value);

signals:
    void rowsChanged();

private:
    QList<QVariantMap> m_rows;
    QList<QByteArray> m_roles;
};
