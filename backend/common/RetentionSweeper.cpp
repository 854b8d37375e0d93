// RetentionSweeper: a timer starts a sweep; each slice is its own posted task.
#include "backend/common/RetentionSweeper.h"

#include "net/telemetry/MetricsRegistry.h"

#include <QLoggingCategory>

#include <algorithm>
#include <exception>

Q_LOGGING_CATEGORY(lcRetention, "dd.backend.retention")

namespace dd::backend {

RetentionSweeper::RetentionSweeper(net::ServiceLoop &loop, RetentionPolicy policy)
    : m_loop(loop),
      m_policy(policy),
      m_generation(std::make_shared<int>(0)),
      m_removedCounter(&net::MetricsRegistry::global().counter("retention_pruned_total", loop.name()))
{
}

RetentionSweeper::~RetentionSweeper()
{
    stop();
}

void RetentionSweeper::add(std::string what, PruneStep step, net::Micros maxAge)
{
    m_steps.push_back({std::move(what), std::move(step), maxAge, 0});
}

void RetentionSweeper::start()
{
    if (m_timer)
        return;
    m_timer = m_loop.every(m_policy.sweepInterval(), [this] { sweepNow(); });
}

void RetentionSweeper::stop()
{
    if (m_timer)
        m_loop.cancel(m_timer);
    m_timer = 0;
    m_generation = std::make_shared<int>(0); // slices already posted see theirs expire
    m_sweeping = false;
}

void RetentionSweeper::sweepNow()
{
    if (m_sweeping || m_steps.empty())
        return;
    // One cutoff per sweep: rows that age while it runs wait for the next one.
    const net::Micros now = m_loop.clock().now();
    for (Step &step : m_steps) {
        const net::Micros age = step.maxAge > 0 ? std::min(step.maxAge, m_policy.age) : m_policy.age;
        step.cutoff = now - age;
    }
    m_sweeping = true;
    m_current = 0;
    runSlice();
}

void RetentionSweeper::postNextSlice()
{
    std::weak_ptr<int> generation = m_generation;
    m_loop.post([this, generation] {
        if (!generation.expired())
            runSlice();
    });
}

void RetentionSweeper::runSlice()
{
    if (!m_sweeping || m_current >= m_steps.size()) {
        m_sweeping = false;
        return;
    }
    Step &step = m_steps[m_current];
    std::size_t removed = 0;
    try {
        removed = step.prune(step.cutoff, m_policy.slice);
    } catch (const std::exception &e) {
        // A busy or full store: this step waits for the next sweep, the others go on.
        m_failures.fetch_add(1, std::memory_order_relaxed);
        qCWarning(lcRetention) << m_loop.name().c_str() << "pruning" << step.what.c_str() << "failed:" << e.what();
        removed = 0;
    }
    m_slicesRun.fetch_add(1, std::memory_order_relaxed);
    if (removed > 0) {
        m_rowsRemoved.fetch_add(removed, std::memory_order_relaxed);
        m_removedCounter->fetch_add(removed, std::memory_order_relaxed);
    } else {
        ++m_current; // this step is done for this sweep
    }
    if (m_current >= m_steps.size()) {
        m_sweeping = false;
        m_sweepsDone.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    postNextSlice();
}

} // namespace dd::backend
