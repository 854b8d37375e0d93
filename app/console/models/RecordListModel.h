// Base of the console's keyed list models: a vector of rows, an id→row hash, batched upserts with ranged signals.
#pragma once

#include <QAbstractListModel>
#include <QHash>

#include <algorithm>
#include <vector>

namespace dd::console {

/// Rows live in one vector (cheap to scan, cache-friendly at 10,000 drones) with an
/// id→row hash for O(1) upserts. A batch is applied with as few signals as possible:
/// one insert for all new rows and one dataChanged per contiguous run of changed rows
/// (runs separated by a few unchanged rows are merged: repainting a handful of
/// unchanged delegates is cheaper than another signal through every view and proxy).
template <typename Record>
class RecordListModel : public QAbstractListModel
{
public:
    using QAbstractListModel::QAbstractListModel;

    /// Gaps of at most this many unchanged rows are folded into one dataChanged range.
    static constexpr int kMergeGap = 8;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    const std::vector<Record> &records() const { return m_rows; }
    int rowOf(const QString &key) const { return m_index.value(key, -1); }
    const Record *find(const QString &key) const
    {
        const int row = rowOf(key);
        return row < 0 ? nullptr : &m_rows[std::size_t(row)];
    }

    /// Contiguous [first, last] runs of `rows` (any order, duplicates allowed, each below
    /// `rowCount` when that is given), gaps of up to `mergeGap` rows folded in.
    static std::vector<std::pair<int, int>> ranges(std::vector<int> rows, int mergeGap = kMergeGap, int rowCount = 0)
    {
        std::vector<std::pair<int, int>> result;
        if (rowCount > 0 && rows.size() * 8 > std::size_t(rowCount)) {
            // Many rows (a telemetry batch touches most drones): marking and one scan
            // beats sorting them.
            std::vector<char> marked(std::size_t(rowCount), 0);
            for (int row : rows)
                marked[std::size_t(row)] = 1;
            for (int row = 0; row < rowCount; ++row) {
                if (!marked[std::size_t(row)])
                    continue;
                if (!result.empty() && row <= result.back().second + 1 + mergeGap)
                    result.back().second = row;
                else
                    result.emplace_back(row, row);
            }
            return result;
        }
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        for (int row : rows) {
            if (!result.empty() && row <= result.back().second + 1 + mergeGap)
                result.back().second = row;
            else
                result.emplace_back(row, row);
        }
        return result;
    }

protected:
    enum class InsertAt { End, Front };

    virtual QString keyOf(const Record &record) const = 0;
    /// Folds `incoming` into `existing`; returns whether anything changed.
    virtual bool merge(Record &existing, Record &&incoming)
    {
        if (existing == incoming)
            return false;
        existing = std::move(incoming);
        return true;
    }
    /// After any change of the rows (counts derived from them are recomputed here).
    virtual void rowsUpdated() {}

    /// Later entries of `batch` win over earlier ones with the same key.
    void upsert(std::vector<Record> batch, InsertAt where, const QList<int> &roles = {})
    {
        std::vector<int> changed;
        std::vector<Record> fresh;
        QHash<QString, int> freshIndex;
        for (Record &record : batch) {
            const QString key = keyOf(record);
            if (const auto it = m_index.constFind(key); it != m_index.constEnd()) {
                if (merge(m_rows[std::size_t(*it)], std::move(record)))
                    changed.push_back(*it);
            } else if (const auto f = freshIndex.constFind(key); f != freshIndex.constEnd()) {
                merge(fresh[std::size_t(*f)], std::move(record));
            } else {
                freshIndex.insert(key, int(fresh.size()));
                fresh.push_back(std::move(record));
            }
        }
        const bool anyChanged = !changed.empty();
        emitChanged(std::move(changed), roles);
        if (!fresh.empty()) {
            const int count = int(fresh.size());
            if (where == InsertAt::End) {
                const int first = int(m_rows.size());
                beginInsertRows(QModelIndex(), first, first + count - 1);
                m_rows.reserve(m_rows.size() + fresh.size());
                for (Record &record : fresh) {
                    m_index.insert(keyOf(record), int(m_rows.size()));
                    m_rows.push_back(std::move(record));
                }
                endInsertRows();
            } else {
                beginInsertRows(QModelIndex(), 0, count - 1);
                m_rows.insert(m_rows.begin(), std::make_move_iterator(fresh.begin()),
                              std::make_move_iterator(fresh.end()));
                rebuildIndex();
                endInsertRows();
            }
        }
        if (anyChanged || !fresh.empty())
            rowsUpdated();
    }

    void emitChanged(std::vector<int> rows, const QList<int> &roles = {})
    {
        if (rows.empty())
            return;
        for (const auto &[first, last] : ranges(std::move(rows), kMergeGap, int(m_rows.size())))
            emit dataChanged(index(first), index(last), roles);
    }

    void removeKeys(const QStringList &keys)
    {
        std::vector<int> rows;
        for (const QString &key : keys)
            if (const int row = rowOf(key); row >= 0)
                rows.push_back(row);
        if (rows.empty())
            return;
        const auto runs = ranges(std::move(rows), 0);
        // From the back, so the rows of the runs still to go keep their numbers.
        for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
            beginRemoveRows(QModelIndex(), run->first, run->second);
            m_rows.erase(m_rows.begin() + run->first, m_rows.begin() + run->second + 1);
            endRemoveRows();
        }
        rebuildIndex();
        rowsUpdated();
    }

    void replaceAll(std::vector<Record> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        rebuildIndex();
        endResetModel();
        rowsUpdated();
    }

    bool validRow(const QModelIndex &index) const
    {
        return index.isValid() && !index.parent().isValid() && index.column() == 0 && index.row() >= 0
            && index.row() < int(m_rows.size());
    }

    void rebuildIndex()
    {
        m_index.clear();
        m_index.reserve(qsizetype(m_rows.size()));
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            m_index.insert(keyOf(m_rows[i]), int(i));
    }

    std::vector<Record> m_rows;
    QHash<QString, int> m_index;
};

} // namespace dd::console
