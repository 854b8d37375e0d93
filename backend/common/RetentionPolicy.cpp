// RetentionPolicy: the sweep interval derived from the retention age.
#include "backend/common/RetentionPolicy.h"

#include <algorithm>

namespace dd::backend {

net::Micros RetentionPolicy::sweepInterval() const
{
    if (interval > 0)
        return interval;
    return std::clamp<net::Micros>(age / 10, net::kSeconds, 60 * net::kSeconds);
}

} // namespace dd::backend
