// Runs a service's prune steps on its own loop, one small slice per loop turn, every sweep interval.
#pragma once

#include "backend/common/RetentionPolicy.h"
#include "net/transport/ServiceLoop.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dd::backend {

/// A sweep walks the steps in the order they were added; each step is called with the
/// sweep's cutoff and the policy's slice and returns how many rows it removed. A step
/// that removed something is called again in a *posted* task (requests that arrived
/// meanwhile run first), one that removed nothing is done for this sweep. So the loop
/// never stalls on a large backlog of old rows, however many there are.
/// Loop thread only (construct, add, start and stop where the store is created).
class RetentionSweeper
{
public:
    /// Removes at most `slice` rows older than `cutoff`; returns how many it removed.
    using PruneStep = std::function<std::size_t(net::Micros cutoff, std::size_t slice)>;

    RetentionSweeper(net::ServiceLoop &loop, RetentionPolicy policy);
    ~RetentionSweeper();
    RetentionSweeper(const RetentionSweeper &) = delete;
    RetentionSweeper &operator=(const RetentionSweeper &) = delete;

    /// `what` names the step in logs. `maxAge` > 0 caps this step's age below the
    /// policy's (e.g. Idempotency-Keys replay for a day even if rows are kept a week).
    void add(std::string what, PruneStep step, net::Micros maxAge = 0);
    /// Sweeps every sweepInterval() from now on.
    void start();
    /// Cancels the timer and any slice still posted.
    void stop();
    /// Starts a sweep now unless one is under way (the timer calls this too).
    void sweepNow();

    const RetentionPolicy &policy() const { return m_policy; }
    bool sweeping() const { return m_sweeping; }
    // Readable from any thread (stats, /metrics, tests).
    std::uint64_t sweepsDone() const { return m_sweepsDone.load(std::memory_order_relaxed); }
    std::uint64_t slicesRun() const { return m_slicesRun.load(std::memory_order_relaxed); }
    std::uint64_t rowsRemoved() const { return m_rowsRemoved.load(std::memory_order_relaxed); }
    std::uint64_t failures() const { return m_failures.load(std::memory_order_relaxed); }

private:
    struct Step
    {
        std::string what;
        PruneStep prune;
        net::Micros maxAge = 0;
        net::Micros cutoff = 0; ///< of the sweep under way
    };
    void runSlice();
    void postNextSlice();

    net::ServiceLoop &m_loop;
    RetentionPolicy m_policy;
    std::vector<Step> m_steps;
    net::ServiceLoop::TimerId m_timer = 0;
    bool m_sweeping = false;
    std::size_t m_current = 0; ///< the step the sweep under way is at
    /// Posted slices hold a weak copy: after stop() or destruction they do nothing.
    std::shared_ptr<int> m_generation;
    std::atomic<std::uint64_t> m_sweepsDone{0}, m_slicesRun{0}, m_rowsRemoved{0}, m_failures{0};
    std::atomic<std::uint64_t> *m_removedCounter = nullptr;
};

} // namespace dd::backend
