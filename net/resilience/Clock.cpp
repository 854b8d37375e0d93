// The process-wide real clock.
#include "net/resilience/Clock.h"

#include <chrono>

namespace dd::net {

namespace {
class SystemClock final : public Clock
{
public:
    Micros now() const override
    {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    }
    Micros monotonic() const override
    {
        using namespace std::chrono;
        return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
    }
};
} // namespace

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}

} // namespace dd::net
