// Runs tasks posted from any thread on a QObject's thread, in order, handed over under one std::mutex.
#include "net/transport/QtThreadQueue.h"

#include <QPointer>

namespace dd::net {

QtThreadQueue::QtThreadQueue(QObject *parent) : QObject(parent) {}

void QtThreadQueue::post(std::function<void()> task)
{
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
    if (!m_wakeUpPending) {
        m_wakeUpPending = true;
        QMetaObject::invokeMethod(this, "drain", Qt::QueuedConnection);
    }
}

void QtThreadQueue::drain()
{
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(m_mutex);
        tasks.swap(m_tasks);
        m_wakeUpPending = false;
    }
    // A task may destroy this object (or its parent): the rest die with it, as posted events do.
    const QPointer<QtThreadQueue> alive(this);
    for (auto &task : tasks) {
        if (!alive)
            return;
        task();
    }
}

} // namespace dd::net
