// Retry settings and the full-jitter exponential backoff used between attempts of one call.
#pragma once

#include "net/resilience/Clock.h"
#include "net/resilience/Random.h"

namespace dd::net {

/// Defaults from DESIGN §3 (Envoy): 3 attempts in all, backoff base 25 ms, cap 250 ms.
/// Retries only ever apply to idempotent methods; the caller decides that.
struct RetryConfig
{
    int maxAttempts = 3; ///< Attempts including the first one.
    Micros baseBackoff = 25 * kMillis;
    Micros maxBackoff = 250 * kMillis;
};

/// Full jitter (AWS Architecture Blog, Envoy): a uniform draw in
/// [0, min(maxBackoff, baseBackoff * 2^(retryNumber-1))], so retries of many
/// clients spread out instead of arriving in synchronized waves.
/// retryNumber is 1 for the first retry; values below 1 are treated as 1.
Micros fullJitterBackoff(const RetryConfig &config, int retryNumber, Random &random);

} // namespace dd::net
