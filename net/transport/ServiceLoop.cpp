// The service loop: poll, drain, timers and posted tasks on one thread.
#include "net/transport/ServiceLoop.h"

#include "net/transport/ZmqContext.h"
#include "net/telemetry/LogContext.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QLoggingCategory>

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

Q_LOGGING_CATEGORY(lcLoop, "dd.net.loop")

namespace dd::net {

ServiceLoop::ServiceLoop(std::string name, const Clock &clock)
    : m_name(std::move(name)),
      m_clock(clock),
      m_failures(&MetricsRegistry::global().counter("loop_handler_failures_total", m_name)),
      m_threadId(std::this_thread::get_id())
{
    // An eventfd wakes the poll for posted tasks: ZeroMQ sockets can't be shared
    // between threads, a file descriptor can.
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    m_iterationClock.value = m_clock.now();
    zmq_pollitem_t wake{};
    wake.fd = m_wakeFd;
    wake.events = ZMQ_POLLIN;
    m_items.push_back(wake);
}

ServiceLoop::~ServiceLoop()
{
    stop();
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

zmq::context_t &ServiceLoop::context()
{
    return ZmqContext::instance();
}

void ServiceLoop::start()
{
    if (m_running.exchange(true))
        return;
    m_stopRequested = false;
    std::promise<void> started;
    auto startedFuture = started.get_future();
    m_thread = std::thread([this, &started] {
        m_threadId = std::this_thread::get_id();
        pthread_setname_np(pthread_self(), m_name.substr(0, 15).c_str());
        LogContext::setThreadService(m_name); // log lines from this thread name their service
        started.set_value();
        run();
    });
    startedFuture.wait();
}

void ServiceLoop::stop()
{
    if (!m_running.load())
        return;
    if (inLoopThread()) {
        m_stopRequested = true;
        return;
    }
    m_stopRequested = true;
    wake();
    if (m_thread.joinable())
        m_thread.join();
    m_running = false;
    m_threadId = std::this_thread::get_id();
}

void ServiceLoop::addSocket(zmq::socket_t &socket, Task onReadable)
{
    zmq_pollitem_t item{};
    item.socket = socket.handle();
    item.events = ZMQ_POLLIN;
    m_items.push_back(item);
    m_handlers.push_back(std::move(onReadable));
    m_sockets.push_back(&socket);
}

void ServiceLoop::removeSocket(zmq::socket_t &socket)
{
    for (std::size_t i = 0; i < m_sockets.size(); ++i) {
        if (m_sockets[i] == &socket) {
            // Blank it rather than erase: run() may be iterating the arrays right now.
            m_items[i + 1].socket = nullptr;
            m_items[i + 1].fd = -1;
            m_items[i + 1].events = 0;
            m_handlers[i] = nullptr;
            m_sockets[i] = nullptr;
        }
    }
}

ServiceLoop::TimerId ServiceLoop::after(Micros delay, Task task)
{
    const TimerId id = m_nextTimer++;
    m_timers.emplace(id, Timer{std::move(task), 0});
    m_due.push({m_clock.monotonic() + std::max<Micros>(0, delay), id});
    return id;
}

ServiceLoop::TimerId ServiceLoop::every(Micros interval, Task task)
{
    const TimerId id = m_nextTimer++;
    interval = std::max<Micros>(interval, 1);
    m_timers.emplace(id, Timer{std::move(task), interval});
    m_due.push({m_clock.monotonic() + interval, id});
    return id;
}

void ServiceLoop::cancel(TimerId id)
{
    m_timers.erase(id); // its heap entry is skipped when it comes due
}

void ServiceLoop::post(Task task)
{
    {
        std::lock_guard lock(m_postMutex);
        m_posted.push_back(std::move(task));
    }
    if (!m_hasPosted.exchange(true))
        wake();
}

void ServiceLoop::wake()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wakeFd, &one, sizeof one);
}

void ServiceLoop::reportFailure(std::string_view where, std::string_view what)
{
    qCCritical(lcLoop).noquote() << QString::fromUtf8(m_name.data(), qsizetype(m_name.size()))
                                 << QString::fromUtf8(where.data(), qsizetype(where.size()))
                                 << "failed, the loop serves on:" << QString::fromUtf8(what.data(), qsizetype(what.size()));
    m_failures->fetch_add(1, std::memory_order_relaxed); // after the line: whoever sees the count finds it logged
    m_failureCount.fetch_add(1, std::memory_order_relaxed);
}

void ServiceLoop::runGuarded(const char *where, const Task &task)
{
    // A store error (disk full, I/O error) or a bug in one task must not take the whole
    // process down with std::terminate: that task fails, the other work goes on.
    try {
        task();
    } catch (const std::exception &e) {
        reportFailure(where, e.what());
    } catch (...) {
        reportFailure(where, "an exception that is not a std::exception");
    }
}

void ServiceLoop::runPosted()
{
    std::uint64_t drained;
    while (::read(m_wakeFd, &drained, sizeof drained) > 0) {
    }
    m_hasPosted = false;
    {
        std::lock_guard lock(m_postMutex);
        m_running_tasks.swap(m_posted);
    }
    for (auto &task : m_running_tasks)
        runGuarded("task", task);
    m_running_tasks.clear();
}

void ServiceLoop::runTimers(Micros now)
{
    while (!m_due.empty() && m_due.top().at <= now) {
        const Due due = m_due.top();
        m_due.pop();
        auto it = m_timers.find(due.id);
        if (it == m_timers.end())
            continue;
        if (it->second.interval > 0) {
            m_due.push({std::max(due.at + it->second.interval, now), due.id});
            Task copy = it->second.task; // the task may cancel itself
            runGuarded("timer", copy);
        } else {
            Task task = std::move(it->second.task);
            m_timers.erase(it);
            runGuarded("timer", task);
        }
    }
}

int ServiceLoop::pollTimeoutMs(Micros now)
{
    while (!m_due.empty() && !m_timers.count(m_due.top().id))
        m_due.pop();
    if (m_due.empty())
        return 1000; // periodic wake-up keeps a ManualClock-driven test honest
    const Micros wait = m_due.top().at - now;
    if (wait <= 0)
        return 0;
    return int(std::min<Micros>((wait + 999) / 1000, 1000));
}

void ServiceLoop::run()
{
    while (!m_stopRequested.load(std::memory_order_relaxed)) {
        m_iterations.fetch_add(1, std::memory_order_relaxed);
        // The clock is read twice per turn (before and after waiting); handlers and
        // timers share the second reading through iterationClock().
        // Timers are due on the monotonic reading: a stepped wall clock moves no timer.
        const int timeout = m_hasPosted.load(std::memory_order_relaxed) ? 0 : pollTimeoutMs(m_clock.monotonic());
        int ready = 0;
        try {
            ready = zmq::poll(m_items.data(), m_items.size(), std::chrono::milliseconds(timeout));
        } catch (const zmq::error_t &e) {
            if (e.num() == ETERM)
                break;
            if (e.num() != EINTR)
                qCWarning(lcLoop) << m_name.c_str() << "poll failed:" << e.what();
            continue;
        }
        const Micros now = m_clock.now();
        const Micros timersNow = m_clock.monotonic();
        m_iterationClock.value.store(now, std::memory_order_relaxed);
        if (ready > 0) {
            if (m_items[0].revents & ZMQ_POLLIN)
                runPosted();
            // Handlers may add sockets (growing the arrays): index, don't iterate.
            const std::size_t count = m_handlers.size();
            for (std::size_t i = 0; i < count; ++i) {
                if ((m_items[i + 1].revents & ZMQ_POLLIN) && m_handlers[i])
                    runGuarded("socket handler", m_handlers[i]);
            }
        } else if (m_hasPosted.load(std::memory_order_relaxed)) {
            runPosted();
        }
        runTimers(timersNow); // a timer that fell due while handlers ran fires on the next turn
        // Compact blanked entries once nobody is iterating.
        for (std::size_t i = m_sockets.size(); i-- > 0;) {
            if (!m_sockets[i]) {
                m_sockets.erase(m_sockets.begin() + long(i));
                m_handlers.erase(m_handlers.begin() + long(i));
                m_items.erase(m_items.begin() + long(i + 1));
            }
        }
    }
    runPosted();
}

} // namespace dd::net
