// Random source for jitter, load balancing and fault injection: injectable and seedable.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace dd::net {

class Random
{
public:
    virtual ~Random() = default;
    virtual std::uint64_t next() = 0;

    /// Uniform in [0, 1).
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    /// Uniform in [0, n); n == 0 gives 0.
    std::uint64_t below(std::uint64_t n);

    /// A fast generator private to the calling thread, seeded from the OS.
    static Random &threadLocal();
};

/// xoshiro256** seeded through splitmix64: fast, deterministic for a given seed.
class SeededRandom final : public Random
{
public:
    explicit SeededRandom(std::uint64_t seed);
    std::uint64_t next() override;

private:
    std::uint64_t m_s[4];
};

/// Always returns the values it is given, in a cycle: for tests that need an exact draw.
class ScriptedRandom final : public Random
{
public:
    explicit ScriptedRandom(std::initializer_list<double> uniforms);
    std::uint64_t next() override;

private:
    std::uint64_t m_values[16] = {};
    int m_count = 0;
    int m_index = 0;
};

} // namespace dd::net
