// One thread that owns its sockets: zmq::poll over them, timers, posted tasks, clean stop.
#pragma once

#include "net/resilience/Clock.h"

#include <zmq.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace dd::net {

/// The reactor every service runs on. Sockets and objects registered here are
/// used only from the loop thread; other threads talk to it with post()/invoke().
/// Objects may also be set up from the creating thread before start().
class ServiceLoop
{
public:
    using TimerId = std::uint64_t;
    using Task = std::function<void()>;

    explicit ServiceLoop(std::string name, const Clock &clock = Clock::system());
    ~ServiceLoop();
    ServiceLoop(const ServiceLoop &) = delete;
    ServiceLoop &operator=(const ServiceLoop &) = delete;

    void start();
    /// Thread-safe; runs the pending tasks, then stops and joins. Idempotent.
    void stop();
    bool running() const { return m_running.load(); }
    bool inLoopThread() const { return std::this_thread::get_id() == m_threadId; }

    const std::string &name() const { return m_name; }
    const Clock &clock() const { return m_clock; }
    /// The clock as read at the start of the current loop iteration: free to read,
    /// good enough for windows counted in seconds (breakers, budgets).
    const Clock &iterationClock() const { return m_iterationClock; }
    zmq::context_t &context();

    // Loop thread (or before start()) only.
    /// The handler runs when the socket is readable and should drain it.
    void addSocket(zmq::socket_t &socket, Task onReadable);
    void removeSocket(zmq::socket_t &socket);
    TimerId after(Micros delay, Task task);
    TimerId every(Micros interval, Task task);
    void cancel(TimerId id);

    // Any thread.
    void post(Task task);
    /// Runs the task on the loop and waits for it (or runs it inline on the loop thread).
    template <typename F>
    auto invoke(F &&f) -> decltype(f())
    {
        if (inLoopThread() || !running())
            return f();
        std::packaged_task<decltype(f())()> task(std::forward<F>(f));
        auto result = task.get_future();
        post([&task] { task(); });
        return result.get();
    }
    /// Wakes the loop so it re-reads the clock (for tests that move a ManualClock).
    void wake();

    std::uint64_t iterations() const { return m_iterations.load(std::memory_order_relaxed); }

    /// A task, timer, socket handler or RPC handler of this loop threw: counted in
    /// dd_loop_handler_failures_total{service=<name>} and logged; the loop serves on.
    /// `where` says what threw ("task", "timer", "socket", or the RPC method).
    void reportFailure(std::string_view where, std::string_view what);
    std::uint64_t failures() const { return m_failureCount.load(std::memory_order_relaxed); }

private:
    struct Timer
    {
        Task task;
        Micros interval = 0;
    };
    struct Due
    {
        Micros at;
        TimerId id;
        bool operator>(const Due &o) const { return at > o.at || (at == o.at && id > o.id); }
    };

    class CachedClock final : public Clock
    {
    public:
        Micros now() const override { return value.load(std::memory_order_relaxed); }
        std::atomic<Micros> value{0};
    };

    void run();
    /// The exception boundary: whatever `task` throws fails that task alone (reportFailure).
    void runGuarded(const char *where, const Task &task);
    void runPosted();
    void runTimers(Micros now);
    int pollTimeoutMs(Micros now);

    std::string m_name;
    const Clock &m_clock;
    CachedClock m_iterationClock;
    int m_wakeFd = -1;

    std::vector<zmq_pollitem_t> m_items;
    std::vector<Task> m_handlers; // parallel to m_items (after the wake-up item)
    std::vector<zmq::socket_t *> m_sockets;

    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    std::unordered_map<TimerId, Timer> m_timers;
    TimerId m_nextTimer = 1;

    std::mutex m_postMutex;
    std::vector<Task> m_posted;
    std::vector<Task> m_running_tasks;
    std::atomic<bool> m_hasPosted{false};

    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stopRequested{false};
    std::atomic<std::uint64_t> m_iterations{0};
    std::atomic<std::uint64_t> *m_failures; ///< in MetricsRegistry::global(), lives as long as the process
    std::atomic<std::uint64_t> m_failureCount{0}; ///< this loop's own (several loops may share a name)
    std::thread m_thread;
    std::thread::id m_threadId;
};

} // namespace dd::net
