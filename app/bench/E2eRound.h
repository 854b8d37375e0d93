// One round of the e2e benchmark (POST → DeliveryCreated), also the baseline of the steady-state benches.
#pragma once

#include <vector>

namespace dd::bench {

struct E2eRun
{
    double rate = 0;                 ///< deliveries created per second
    std::vector<double> latenciesMs; ///< POST sent → DeliveryCreated heard, per delivery
};

/// A fresh backend on a fresh data dir; `rate` requests/s (0: closed loop, as fast as answers come).
E2eRun runE2eRound(int requests, double rate);

} // namespace dd::bench
