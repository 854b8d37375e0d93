// How long finished data is kept (--retention) and how the sweep that prunes it is paced.
#pragma once

#include "net/resilience/Clock.h"

#include <cstddef>

namespace dd::backend {

/// One policy for every store: rows that are finished (terminal, resolved, released,
/// acknowledged) and older than `age` are pruned, `slice` rows per loop turn.
struct RetentionPolicy
{
    static constexpr net::Micros kDefaultAge = 7LL * 86400 * net::kSeconds;

    net::Micros age = kDefaultAge; ///< --retention DURATION
    /// Rows one prune step removes per loop turn: small enough that a turn stays well
    /// under a millisecond or two, so requests queued behind it barely notice.
    std::size_t slice = 256;
    /// Between sweeps; 0: derived from `age` (see sweepInterval()).
    net::Micros interval = 0;

    /// A tenth of the age, between 1 s and 60 s: a short retention (tests, the sustain
    /// bench) is swept often enough to stay near its bound, a week-long one once a minute.
    net::Micros sweepInterval() const;
    /// The cutoff of a sweep starting at `now`: rows last changed before it may go.
    net::Micros cutoff(net::Micros now) const { return now - age; }
};

} // namespace dd::backend
