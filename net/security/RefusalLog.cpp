// RefusalLog: a fixed window of lines, the rest counted and reported with the next line.
#include "net/security/RefusalLog.h"

namespace dd::net {

RefusalLog::RefusalLog(const Clock &clock, int linesPerWindow, Micros window)
    : m_clock(clock), m_linesPerWindow(linesPerWindow), m_window(window)
{
}

bool RefusalLog::admit(std::uint64_t *suppressed)
{
    std::lock_guard lock(m_mutex);
    const Micros now = m_clock.monotonic();
    if (m_used == 0 || now - m_windowStart >= m_window) {
        m_windowStart = now;
        m_used = 0;
    }
    if (m_used >= m_linesPerWindow) {
        ++m_suppressed;
        return false;
    }
    ++m_used;
    if (suppressed)
        *suppressed = m_suppressed;
    m_suppressed = 0;
    return true;
}

RefusalLog &RefusalLog::global()
{
    static RefusalLog *log = new RefusalLog; // used from threads that may outlive main()
    return *log;
}

} // namespace dd::net
