// Runs tasks posted from any thread on a QObject's thread, in order, handed over under one std::mutex.
#pragma once

#include <QObject>

#include <functional>
#include <mutex>
#include <vector>

namespace dd::net {

/// The way service threads hand results to Qt (the gateway, the console's bridge): post()
/// from any thread, the task runs on the thread of this object (its parent's). Two reasons
/// not to post each task as its own functor with QMetaObject::invokeMethod: a burst of
/// results costs one wake-up of the Qt thread, not one each; and the hand-off goes through
/// this mutex, which ThreadSanitizer sees, rather than only through Qt's event queue,
/// whose futex lock in the uninstrumented libQt6Core it does not (docs/sanitizers.md).
/// The wake-up is a queued call by name, so Qt allocates and frees it itself.
/// Tasks not yet run when the object is destroyed are dropped with it.
class QtThreadQueue : public QObject
{
    Q_OBJECT
public:
    explicit QtThreadQueue(QObject *parent);

    /// Any thread, while this object lives.
    void post(std::function<void()> task);

private:
    Q_INVOKABLE void drain();

    std::mutex m_mutex;
    std::vector<std::function<void()>> m_tasks;
    bool m_wakeUpPending = false;
};

} // namespace dd::net
