// Random, round-robin, least-outstanding (p2c) and peak-EWMA (p2c) balancers.
#include "net/resilience/LoadBalancer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace dd::net {

namespace {

constexpr std::size_t kNone = std::size_t(-1);

// Cost assumed for an instance without a latency sample: low, so a new instance
// gets traffic and thus a sample, yet multiplied by (outstanding + 1) like every
// other cost so it is not flooded before its first answer (Linkerd's default RTT).
constexpr double kUnknownLatencyCost = 1.0 * double(kMillis);

// A uniformly random eligible index other than `exclude`, or kNone.
// Rejection sampling on raw indices is the fast path (usually everything is
// eligible); after a few misses a counting pass keeps the worst case bounded.
// Both paths are uniform over the candidates, so mixing them stays uniform.
std::size_t randomEligible(const std::vector<InstanceLoad> &v, Random &rng, std::size_t exclude)
{
    const std::size_t n = v.size();
    if (n == 0)
        return kNone;
    for (int attempt = 0; attempt < 4; ++attempt) {
        const auto i = std::size_t(rng.below(n));
        if (i != exclude && v[i].eligible)
            return i;
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i)
        count += (i != exclude && v[i].eligible) ? 1 : 0;
    if (count == 0)
        return kNone;
    auto k = std::size_t(rng.below(count));
    for (std::size_t i = 0; i < n; ++i) {
        if (i == exclude || !v[i].eligible)
            continue;
        if (k-- == 0)
            return i;
    }
    return kNone; // unreachable
}

class RandomBalancer final : public LoadBalancer
{
public:
    explicit RandomBalancer(Random &rng) : m_rng(rng) {}
    std::optional<std::size_t> pick(const std::vector<InstanceLoad> &v, Micros) override
    {
        const std::size_t i = randomEligible(v, m_rng, kNone);
        if (i == kNone)
            return std::nullopt;
        return i;
    }

private:
    Random &m_rng;
};

class RoundRobinBalancer final : public LoadBalancer
{
public:
    std::optional<std::size_t> pick(const std::vector<InstanceLoad> &v, Micros) override
    {
        const std::size_t n = v.size();
        // The pool may shrink between calls; modulo keeps the cursor in range.
        for (std::size_t step = 0; step < n; ++step) {
            const std::size_t i = (m_next + step) % n;
            if (v[i].eligible) {
                m_next = i + 1;
                return i;
            }
        }
        return std::nullopt;
    }

private:
    std::size_t m_next = 0;
};

// Power of two choices (Mitzenmacher): two distinct random eligible candidates,
// the cheaper wins. Avoids both the herding of "pick the global best" and the
// blindness of plain random.
template <typename Cost>
std::optional<std::size_t> pickTwo(const std::vector<InstanceLoad> &v, Random &rng, Cost cost)
{
    const std::size_t a = randomEligible(v, rng, kNone);
    if (a == kNone)
        return std::nullopt;
    const std::size_t b = randomEligible(v, rng, a);
    if (b == kNone)
        return a; // the only eligible instance
    return cost(v[b]) < cost(v[a]) ? b : a;
}

class LeastOutstandingBalancer final : public LoadBalancer
{
public:
    explicit LeastOutstandingBalancer(Random &rng) : m_rng(rng) {}
    std::optional<std::size_t> pick(const std::vector<InstanceLoad> &v, Micros) override
    {
        return pickTwo(v, m_rng, [](const InstanceLoad &l) { return l.outstanding; });
    }

private:
    Random &m_rng;
};

class PeakEwmaBalancer final : public LoadBalancer
{
public:
    explicit PeakEwmaBalancer(Random &rng) : m_rng(rng) {}
    std::optional<std::size_t> pick(const std::vector<InstanceLoad> &v, Micros now) override
    {
        return pickTwo(v, m_rng, [now](const InstanceLoad &l) {
            const double latency = l.latency.known() ? l.latency.value(now) : kUnknownLatencyCost;
            return latency * double(std::max(0, l.outstanding) + 1);
        });
    }

private:
    Random &m_rng;
};

} // namespace

std::optional<LbPolicy> parseLbPolicy(std::string_view name)
{
    std::string key;
    key.reserve(name.size());
    for (char c : name) {
        if (c == '-' || c == '_' || c == ' ')
            continue;
        key.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    if (key == "random")
        return LbPolicy::Random;
    if (key == "roundrobin" || key == "rr")
        return LbPolicy::RoundRobin;
    if (key == "leastoutstanding" || key == "leastrequest" || key == "p2c")
        return LbPolicy::LeastOutstanding;
    if (key == "peakewma" || key == "ewma")
        return LbPolicy::PeakEwma;
    return std::nullopt;
}

const char *toString(LbPolicy policy)
{
    switch (policy) {
    case LbPolicy::Random: return "random";
    case LbPolicy::RoundRobin: return "round_robin";
    case LbPolicy::LeastOutstanding: return "least_outstanding";
    case LbPolicy::PeakEwma: return "peak_ewma";
    }
    return "unknown";
}

PeakEwma::PeakEwma(Micros decay) : m_decay(double(std::max<Micros>(1, decay))) {}

double PeakEwma::decayFactor(Micros now) const
{
    // A clock stepping back counts as no time passing.
    const double elapsed = double(std::max<Micros>(0, now - m_stamp));
    return std::exp(-elapsed / m_decay);
}

void PeakEwma::observe(Micros latency, Micros now)
{
    const double sample = double(std::max<Micros>(0, latency));
    const double w = decayFactor(now);
    const double current = m_value * w;
    if (sample > current) {
        m_value = sample; // peak: react to a slowdown at once
    } else {
        // sample <= current, so the result stays in [sample, current].
        m_value = current * w + sample * (1.0 - w);
    }
    m_stamp = std::max(m_stamp, now);
}

double PeakEwma::value(Micros now) const
{
    return m_value * decayFactor(now);
}

LoadBalancer::~LoadBalancer() = default;

std::unique_ptr<LoadBalancer> makeLoadBalancer(LbPolicy policy, Random &random)
{
    switch (policy) {
    case LbPolicy::Random: return std::make_unique<RandomBalancer>(random);
    case LbPolicy::RoundRobin: return std::make_unique<RoundRobinBalancer>();
    case LbPolicy::LeastOutstanding: return std::make_unique<LeastOutstandingBalancer>(random);
    case LbPolicy::PeakEwma: return std::make_unique<PeakEwmaBalancer>(random);
    }
    return std::make_unique<RandomBalancer>(random);
}

} // namespace dd::net
