// Process-wide registry of route metrics and service counters, exported as Prometheus text.
#pragma once

#include "net/telemetry/RouteMetrics.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace dd::net {

/// Lookups take a lock; the objects handed out never move or die before the registry,
/// so callers look a route or counter up once and then update it lock-free.
class MetricsRegistry
{
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    /// Created on first use; the reference is valid for the registry's lifetime.
    RouteMetrics &route(std::string_view caller, std::string_view callee);
    /// A service-side counter such as `rpc_bad_frames_total`, exported as
    /// `dd_<name>{service="<service>"}`; created at 0 on first use, reference stable.
    std::atomic<std::uint64_t> &counter(std::string_view name, std::string_view service);

    /// Sorted by (caller, callee).
    std::vector<RouteMetrics::Snapshot> routes() const;
    /// (name, service, value), sorted by (name, service).
    std::vector<std::tuple<std::string, std::string, std::uint64_t>> counters() const;

    /// Prometheus text exposition format 0.0.4 (Content-Type
    /// `text/plain; version=0.0.4; charset=utf-8`).
    std::string prometheusText() const;

    /// Zeroes every route and counter in place. Entries are kept, not removed, because
    /// running code may hold references to them.
    void reset();

    /// Upper bounds (seconds) of the exported `dd_route_latency_seconds` buckets.
    static const std::vector<double> &latencyBucketsSeconds();

    /// The registry every service of the process reports to; never destroyed, so
    /// threads still running at exit cannot touch a dead object.
    static MetricsRegistry &global();

private:
    using Key = std::pair<std::string, std::string>;
    struct KeyLess
    {
        using is_transparent = void;
        using View = std::pair<std::string_view, std::string_view>;
        static View view(const Key &k) { return {k.first, k.second}; }
        static View view(const View &v) { return v; }
        template <class A, class B>
        bool operator()(const A &a, const B &b) const
        {
            return view(a) < view(b);
        }
    };

    mutable std::shared_mutex m_mutex;
    std::map<Key, std::unique_ptr<RouteMetrics>, KeyLess> m_routes;
    std::map<Key, std::unique_ptr<std::atomic<std::uint64_t>>, KeyLess> m_counters;
};

} // namespace dd::net
