// LatencyWindow: slot rotation on the record path and the merge of the slots a window covers.
#include "net/telemetry/LatencyWindow.h"

#include <algorithm>

namespace dd::net {

LatencyWindow::LatencyWindow(const Clock &clock, Micros slotWidth, std::size_t slots)
    : m_clock(clock),
      m_slotWidth(std::max<Micros>(1, slotWidth)),
      m_slotCount(std::max<std::size_t>(2, slots)),
      m_slots(std::make_unique<Slot[]>(m_slotCount))
{
}

std::int64_t LatencyWindow::epochOf(Micros now) const noexcept
{
    // Floor division: a clock before the epoch (tests) must not share slot 0.
    const std::int64_t q = now / m_slotWidth;
    return (now % m_slotWidth < 0) ? q - 1 : q;
}

void LatencyWindow::rotate(Slot &slot, std::int64_t epoch) noexcept
{
    std::lock_guard lock(m_rotation);
    const std::int64_t held = slot.epoch.load(std::memory_order_acquire);
    // Another thread rotated it first, or a late recorder carries an older time than
    // the slot already holds: either way nothing to clear.
    if (held >= epoch)
        return;
    slot.histogram.reset();
    slot.epoch.store(epoch, std::memory_order_release);
}

void LatencyWindow::record(Micros value, Micros now) noexcept
{
    const std::int64_t epoch = epochOf(now);
    Slot &slot = m_slots[std::size_t(((epoch % std::int64_t(m_slotCount)) + std::int64_t(m_slotCount))
                                     % std::int64_t(m_slotCount))];
    const std::int64_t held = slot.epoch.load(std::memory_order_acquire);
    if (held != epoch) {
        if (held > epoch)
            return; // older than anything the ring still holds there
        rotate(slot, epoch);
    }
    slot.histogram.record(value);
}

Micros LatencyWindow::mergeInto(LatencyHistogram &into, Micros window, Micros now) const
{
    const std::int64_t current = epochOf(now);
    const auto previous = std::int64_t(std::clamp<Micros>(window, 0, span()) / m_slotWidth);
    const std::int64_t oldest = current - previous;
    for (std::size_t i = 0; i < m_slotCount; ++i) {
        const Slot &slot = m_slots[i];
        const std::int64_t epoch = slot.epoch.load(std::memory_order_acquire);
        if (epoch >= oldest && epoch <= current)
            slot.histogram.mergeInto(into);
    }
    return now - oldest * m_slotWidth;
}

void LatencyWindow::reset() noexcept
{
    std::lock_guard lock(m_rotation);
    for (std::size_t i = 0; i < m_slotCount; ++i) {
        m_slots[i].histogram.reset();
        m_slots[i].epoch.store(kNoEpoch, std::memory_order_release);
    }
}

} // namespace dd::net
