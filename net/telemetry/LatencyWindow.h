// Latency over the last minutes, not since start: a ring of per-slot histograms rotated by an injected Clock.
#pragma once

#include "net/resilience/Clock.h"
#include "net/telemetry/LatencyHistogram.h"

#include <atomic>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>

namespace dd::net {

/// `slots` histograms, each holding the values recorded during one `slotWidth` of the
/// clock (slot k holds [k·width, (k+1)·width)). A window of W covers the current slot
/// plus the W/width before it, so a value leaves a window between W and W + width after
/// it was recorded. Recording is the histogram's relaxed atomics plus one load of the
/// slot's epoch; only the first record of a new slot (once per width per route) takes a
/// mutex to clear the slot it reuses. A record racing that clear may land in the old or
/// new period: an approximation accepted to keep the hot path lock-free.
class LatencyWindow
{
public:
    LatencyWindow(const Clock &clock, Micros slotWidth, std::size_t slots);
    LatencyWindow(const LatencyWindow &) = delete;
    LatencyWindow &operator=(const LatencyWindow &) = delete;

    void record(Micros value) noexcept { record(value, m_clock.now()); }
    void record(Micros value, Micros now) noexcept;

    /// The longest window this ring can answer for: (slots - 1) · slotWidth.
    Micros span() const noexcept { return m_slotWidth * Micros(m_slotCount - 1); }
    Micros slotWidth() const noexcept { return m_slotWidth; }

    /// Adds the slots of the last `window` (clamped to span()) into `into`; returns the
    /// time they actually cover (from the start of the oldest slot to now).
    Micros mergeInto(LatencyHistogram &into, Micros window) const { return mergeInto(into, window, m_clock.now()); }
    Micros mergeInto(LatencyHistogram &into, Micros window, Micros now) const;

    /// Not atomic with respect to concurrent record(): meant for tests and resets.
    void reset() noexcept;

private:
    static constexpr std::int64_t kNoEpoch = std::numeric_limits<std::int64_t>::min();
    struct Slot
    {
        std::atomic<std::int64_t> epoch{kNoEpoch}; ///< now / slotWidth of the period it holds
        LatencyHistogram histogram;
    };
    std::int64_t epochOf(Micros now) const noexcept;
    void rotate(Slot &slot, std::int64_t epoch) noexcept;

    const Clock &m_clock;
    const Micros m_slotWidth;
    const std::size_t m_slotCount;
    std::unique_ptr<Slot[]> m_slots;
    std::mutex m_rotation;
};

} // namespace dd::net
