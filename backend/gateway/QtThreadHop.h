// Hands results from service threads to a QObject's thread, and stops once that object is going away.
#pragma once

#include <QObject>

#include <functional>
#include <mutex>

namespace dd::backend {

/// Shared (std::shared_ptr) between a QObject and the callbacks other threads run
/// for it. post() queues the task on the target's thread; after close() (called by
/// the target before it dies) tasks are dropped, so a late callback from a service
/// thread can never touch a destroyed object.
class QtThreadHop
{
public:
    explicit QtThreadHop(QObject *target) : m_target(target) {}

    /// Any thread.
    void post(std::function<void()> task)
    {
        std::lock_guard lock(m_mutex);
        if (m_target)
            QMetaObject::invokeMethod(m_target, std::move(task), Qt::QueuedConnection);
    }
    /// The target's thread, before the target is destroyed. Tasks already queued die
    /// with the target (QObject drops its posted events).
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }

private:
    std::mutex m_mutex;
    QObject *m_target;
};

} // namespace dd::backend
