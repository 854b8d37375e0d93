// Seeded and thread-local random generators.
#include "net/resilience/Random.h"

#include <random>

namespace dd::net {

namespace {
std::uint64_t splitmix64(std::uint64_t &x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
} // namespace

std::uint64_t Random::below(std::uint64_t n)
{
    if (n == 0)
        return 0;
    // Lemire's multiply-shift: unbiased enough for balancing and jitter.
    return std::uint64_t((__uint128_t(next()) * n) >> 64);
}

Random &Random::threadLocal()
{
    thread_local SeededRandom rng{(std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}()};
    return rng;
}

SeededRandom::SeededRandom(std::uint64_t seed)
{
    for (auto &s : m_s)
        s = splitmix64(seed);
}

std::uint64_t SeededRandom::next()
{
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

ScriptedRandom::ScriptedRandom(std::initializer_list<double> uniforms)
{
    for (double u : uniforms) {
        if (m_count == 16)
            break;
        // Inverse of Random::uniform(): the top 53 bits carry the fraction.
        m_values[m_count++] = std::uint64_t(u * 9007199254740992.0) << 11;
    }
}

std::uint64_t ScriptedRandom::next()
{
    if (m_count == 0)
        return 0;
    const std::uint64_t v = m_values[m_index];
    m_index = (m_index + 1) % m_count;
    return v;
}

} // namespace dd::net
