// How coalesced write-behind (drone and delivery positions) is spread over time.
#pragma once

#include <algorithm>
#include <cstddef>

namespace dd::backend {

/// A service saves what moved within about one save interval, but in this many slices
/// per interval: 10,000 position rows written in one loop turn stalled its thread for
/// 20-100 ms (and every call waiting on it), a tenth of them every tenth of the time
/// costs the same and stalls nothing.
inline constexpr int kWriteBehindSlices = 10;

/// The slice of a backlog to write now: all of it within about kWriteBehindSlices turns
/// while it keeps arriving at the same rate, and small backlogs in one go.
inline std::size_t writeBehindSlice(std::size_t backlog)
{
    constexpr std::size_t kSmallest = 64;
    return std::max(kSmallest, (backlog + kWriteBehindSlices - 1) / kWriteBehindSlices);
}

} // namespace dd::backend
