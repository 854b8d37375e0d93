// Weighted version choice with override.
#include "net/resilience/VersionRouter.h"

#include <algorithm>

namespace dd::net {

void VersionRouter::setWeights(std::vector<std::pair<std::string, int>> weights)
{
    // Merge repeated names first so each version has a single slot.
    std::vector<std::pair<std::string, std::uint64_t>> merged;
    for (auto &[name, weight] : weights) {
        if (name.empty())
            continue; // "" already means "any version"
        const auto w = std::uint64_t(std::max(0, weight));
        auto it = std::find_if(merged.begin(), merged.end(), [&name = name](const auto &m) { return m.first == name; }); // clang 14 cannot capture a binding
        if (it == merged.end())
            merged.emplace_back(std::move(name), w);
        else
            it->second += w;
    }
    m_entries.clear();
    m_total = 0;
    for (auto &[name, w] : merged) {
        m_total += w;
        m_entries.push_back({std::move(name), m_total});
    }
}

std::string_view VersionRouter::choose(std::string_view overrideVersion, Random &random) const
{
    if (!overrideVersion.empty()) {
        for (const Entry &e : m_entries)
            if (e.version == overrideVersion)
                return e.version;
    }
    if (m_total == 0)
        return {};
    const std::uint64_t r = random.below(m_total);
    // First entry whose cumulative sum exceeds r; zero-weight entries have the same
    // cumulative as their predecessor and so can never be chosen.
    auto it = std::upper_bound(m_entries.begin(), m_entries.end(), r,
                               [](std::uint64_t value, const Entry &e) { return value < e.cumulative; });
    return it != m_entries.end() ? std::string_view(it->version) : std::string_view();
}

bool VersionRouter::hasVersion(std::string_view version) const
{
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.version == version; });
}

} // namespace dd::net
