// Time source for every timer, deadline and window in net/: injectable so tests never sleep.
#pragma once

#include <atomic>
#include <cstdint>

namespace dd::net {

/// Microseconds since the Unix epoch. Wall-clock based so deadlines carried in
/// envelopes mean the same thing in every process of a split deployment.
using Micros = std::int64_t;

constexpr Micros kMillis = 1000;
constexpr Micros kSeconds = 1000 * kMillis;

class Clock
{
public:
    virtual ~Clock() = default;
    virtual Micros now() const = 0;
    /// For intervals only (the service loop's timers): does not move when the wall clock is
    /// stepped (NTP, an operator), so a jump neither stalls timers nor fires them all at once.
    /// Its epoch is arbitrary; compare it only with itself.
    virtual Micros monotonic() const { return now(); }

    /// The real clock (std::chrono::system_clock; steady_clock for monotonic()), shared by the whole process.
    static const Clock &system();
};

/// A clock that only moves when told to; thread-safe so a test thread can
/// advance it while a service loop reads it.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(Micros start = 1'700'000'000 * kSeconds) : m_now(start) {}
    Micros now() const override { return m_now.load(std::memory_order_relaxed); }
    Micros monotonic() const override
    {
        return m_now.load(std::memory_order_relaxed) - m_stepped.load(std::memory_order_relaxed);
    }
    /// Time passes: both readings move.
    void advance(Micros by) { m_now.fetch_add(by, std::memory_order_relaxed); }
    void set(Micros to) { m_now.store(to, std::memory_order_relaxed); }
    /// The wall clock is stepped (either way) while no time passes: monotonic() stays.
    void jump(Micros by)
    {
        m_stepped.fetch_add(by, std::memory_order_relaxed);
        m_now.fetch_add(by, std::memory_order_relaxed);
    }

private:
    std::atomic<Micros> m_now;
    std::atomic<Micros> m_stepped{0};
};

} // namespace dd::net
