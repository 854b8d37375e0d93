// Load-balancing policies that pick one instance of a service for each call.
#pragma once

#include "net/resilience/Clock.h"
#include "net/resilience/Random.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace dd::net {

enum class LbPolicy {
    Random,           ///< The seed's Kubernetes default.
    RoundRobin,
    LeastOutstanding, ///< Power of two choices on outstanding calls (Envoy least_request).
    PeakEwma          ///< Power of two choices on peak-EWMA latency x load (Linkerd).
};

/// Accepts the toString() names and common spellings, case-insensitive, ignoring
/// '-' and '_': "random", "round_robin"/"rr", "least_outstanding"/"least_request"/"p2c",
/// "peak_ewma"/"ewma".
std::optional<LbPolicy> parseLbPolicy(std::string_view name);
/// "random", "round_robin", "least_outstanding", "peak_ewma".
const char *toString(LbPolicy policy);

/// Peak-sensitive exponentially weighted moving average of latency (Finagle/Linkerd).
/// A sample above the current value replaces it at once, so a slowing instance is
/// avoided immediately; lower samples pull it down with the time-weighted
/// alpha = 1 - exp(-elapsed/decay). Without samples the value decays towards zero
/// (as Finagle's cost read observes a zero), so an idle instance that was slow gets
/// tried again eventually. 0 means "no sample yet".
class PeakEwma
{
public:
    /// Not explicit, so InstanceLoad{} and brace-initialized pools stay warning-free.
    PeakEwma() : PeakEwma(10 * kSeconds) {}
    explicit PeakEwma(Micros decay);

    void observe(Micros latency, Micros now);
    /// Estimated latency in microseconds at time now.
    double value(Micros now) const;
    bool known() const { return m_value > 0.0; }

private:
    double decayFactor(Micros now) const;

    double m_decay;        // time constant in microseconds
    double m_value = 0.0;  // estimate at m_stamp
    Micros m_stamp = 0;
};

/// What a balancer knows about one instance; the caller keeps one per instance.
struct InstanceLoad
{
    int outstanding = 0;
    PeakEwma latency;
    bool eligible = true; ///< False when its breaker is open, it is ejected or dead.
};

class LoadBalancer
{
public:
    virtual ~LoadBalancer();
    /// Index of the chosen eligible instance; nullopt when none is eligible.
    /// Never allocates: this runs for every call.
    virtual std::optional<std::size_t> pick(const std::vector<InstanceLoad> &instances, Micros now) = 0;
};

/// The balancer keeps a reference to random, which must outlive it.
std::unique_ptr<LoadBalancer> makeLoadBalancer(LbPolicy policy, Random &random);

} // namespace dd::net
