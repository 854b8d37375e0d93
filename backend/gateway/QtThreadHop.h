// Hands results from service threads to a QObject's thread, and stops once that object is going away.
#pragma once

#include "net/transport/QtThreadQueue.h"

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
    explicit QtThreadHop(QObject *target) : m_queue(new net::QtThreadQueue(target)) {}

    /// Any thread.
    void post(std::function<void()> task)
    {
        std::lock_guard lock(m_mutex);
        if (m_queue)
            m_queue->post(std::move(task));
    }
    /// The target's thread, before the target is destroyed. Tasks already queued die
    /// with the target (the queue is its child).
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_queue = nullptr;
    }

private:
    std::mutex m_mutex;
    net::QtThreadQueue *m_queue; ///< owned by the target (its child)
};

} // namespace dd::backend
