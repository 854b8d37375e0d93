// A list model built from JS rows, for panel tests: roles keep C++ shapes (a QVariantList stays a JS array).
#include "TestListModel.h"

#include <QJSValue>

TestListModel::TestListModel(QObject *parent) : QAbstractListModel(parent) {}

QVariantList TestListModel::rows() const
{
    QVariantList list;
    for (const QVariantMap &row : m_rows)
        list.append(row);
    return list;
}

void TestListModel::setRows(const QVariantList &rows)
{
    beginResetModel();
    m_rows.clear();
    for (const QVariant &row : rows) {
        // Rows written in QML arrive as QJSValue; nested arrays become QVariantLists.
        const QVariant plain = row.canConvert<QJSValue>() ? row.value<QJSValue>().toVariant() : row;
        m_rows.append(plain.toMap());
    }
    if (m_roles.isEmpty() && !m_rows.isEmpty()) {
        for (const QString &key : m_rows.first().keys())
            m_roles.append(key.toUtf8());
    }
    endResetModel();
    emit rowsChanged();
}

int TestListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TestListModel::data(const QModelIndex &index, int role) const
{
    const int column = role - Qt::UserRole - 1;
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || column < 0 || column >= m_roles.size())
        return {};
    return m_rows.at(index.row()).value(QString::fromUtf8(m_roles.at(column)));
}

bool TestListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const int column = role - Qt::UserRole - 1;
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || column < 0 || column >= m_roles.size())
        return false;
    m_rows[index.row()].insert(QString::fromUtf8(m_roles.at(column)), value);
    emit dataChanged(index, index, {role});
    return true;
}

QHash<int, QByteArray> TestListModel::roleNames() const
{
    QHash<int, QByteArray> names;
    for (int i = 0; i < m_roles.size(); ++i)
        names.insert(Qt::UserRole + 1 + i, m_roles.at(i));
    return names;
}

QVariantMap TestListModel::get(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : QVariantMap{};
}

void TestListModel::setProperty(int row, const QString &role, const QVariant &value)
{
    const int column = int(m_roles.indexOf(role.toUtf8()));
    if (row >= 0 && row < m_rows.size() && column >= 0)
        setData(index(row), value.canConvert<QJSValue>() ? value.value<QJSValue>().toVariant() : value,
                Qt::UserRole + 1 + column);
}
