// A budget of log lines for refused connections, so whoever causes the refusals cannot flood the log.
#pragma once

#include "net/resilience/Clock.h"

#include <cstdint>
#include <mutex>

namespace dd::net {

/// Thread-safe. Every refusal is still counted by its caller; only the lines are limited.
class RefusalLog
{
public:
    explicit RefusalLog(const Clock &clock = Clock::system(), int linesPerWindow = 10, Micros window = 10 * kSeconds);

    /// True when this refusal may be logged; `suppressed` is then set to how many were
    /// not logged since the last line (say so in the line).
    bool admit(std::uint64_t *suppressed);

    /// The process's one budget, shared by ZAP and the handshake monitor.
    static RefusalLog &global();

private:
    std::mutex m_mutex;
    const Clock &m_clock;
    int m_linesPerWindow;
    Micros m_window;
    Micros m_windowStart = 0;
    int m_used = 0;
    std::uint64_t m_suppressed = 0;
};

} // namespace dd::net
