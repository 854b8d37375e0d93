// Versioned routing: weighted split between side-by-side versions with a header override (Istio).
#pragma once

#include "net/resilience/Random.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dd::net {

/// Chooses which version (e.g. "v1", "v2") of a service a call should go to.
/// Not thread-safe: one instance per service loop; views returned by choose()
/// stay valid until the next setWeights().
class VersionRouter
{
public:
    /// E.g. {{"v1", 90}, {"v2", 10}}. Weights are relative, not percentages.
    /// A version with weight 0 (or negative, treated as 0) is known but gets no
    /// weighted traffic: it can still be reached through the override, which is
    /// how a dark launch is tested. Repeated names add up; empty names are ignored.
    void setWeights(std::vector<std::pair<std::string, int>> weights);

    /// The override wins when it names a known version (the header of the call);
    /// otherwise a weighted draw. "" means "any version": no weights are set, or
    /// every weight is 0.
    std::string_view choose(std::string_view overrideVersion, Random &random) const;
    bool hasVersion(std::string_view version) const;

private:
    struct Entry
    {
        std::string version;
        std::uint64_t cumulative; // running sum of weights up to and including this entry
    };
    std::vector<Entry> m_entries;
    std::uint64_t m_total = 0;
};

} // namespace dd::net
