// Full-jitter exponential backoff.
#include "net/resilience/Backoff.h"

#include <algorithm>

namespace dd::net {

Micros fullJitterBackoff(const RetryConfig &config, int retryNumber, Random &random)
{
    const Micros cap = std::max<Micros>(0, config.maxBackoff);
    Micros ceiling = std::clamp<Micros>(config.baseBackoff, 0, cap);
    // Double step by step and stop at the cap: a shift by retryNumber could overflow
    // when a caller keeps counting retries far past maxAttempts.
    for (int i = 1; i < retryNumber && ceiling < cap; ++i)
        ceiling = std::min(cap, ceiling * 2);
    // below(n) is in [0, n), so ceiling + 1 makes the upper bound inclusive.
    return Micros(random.below(std::uint64_t(ceiling) + 1));
}

} // namespace dd::net
