// GroupCommit: one transaction per loop iteration, savepoints per change, answers after the fsync.
#include "backend/common/GroupCommit.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcGroupCommit, "dd.backend.commit")

namespace dd::backend {

GroupCommit::GroupCommit(net::ServiceLoop &loop, SqliteDb &db) : m_loop(loop), m_store(db) {}

GroupCommit::~GroupCommit()
{
    *m_alive = false;
    commit();
}

void GroupCommit::write(const std::function<void()> &change)
{
    if (!m_open) {
        m_store.begin();
        m_open = true;
        m_loop.post([this, alive = m_alive] {
            if (*alive)
                commit();
        });
    }
    m_store.savepoint();
    try {
        change();
        m_store.releaseSavepoint();
    } catch (...) {
        m_store.rollbackToSavepoint();
        throw;
    }
}

void GroupCommit::afterCommit(std::function<void()> done, std::function<void(const SqliteError &)> failed)
{
    if (m_open)
        m_waiting.push_back({std::move(done), std::move(failed)});
    else
        done();
}

bool GroupCommit::commit()
{
    if (!m_open)
        return true;
    m_open = false;
    std::vector<Waiting> waiting;
    waiting.swap(m_waiting);
    try {
        m_store.commit();
    } catch (const SqliteError &error) {
        m_store.rollback();
        qCWarning(lcGroupCommit) << "group commit failed:" << error.what();
        for (Waiting &w : waiting)
            w.failed(error);
        if (m_onRollback)
            m_onRollback();
        return false;
    }
    for (Waiting &w : waiting)
        w.done();
    return true;
}

} // namespace dd::backend
