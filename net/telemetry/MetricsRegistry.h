// Process-wide registry of route metrics and service counters, exported as Prometheus text.
#pragma once

#include "net/telemetry/RouteMetrics.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace dd::net {

/// Lookups take a lock; the objects handed out never move or die before the registry,
/// so callers look a route or counter up once and then update it lock-free. Values that
/// live elsewhere (a backlog, a client count) are registered as callbacks read at
/// scrape time, so /metrics is written in one place: prometheusText().
class MetricsRegistry
{
public:
    enum class Type { Counter, Gauge };

    /// Keeps a callback metric exported; unregisters it when destroyed or released.
    /// Move-only. Destroy it before whatever the callback reads.
    class Registration
    {
    public:
        Registration() = default;
        Registration(Registration &&other) noexcept;
        Registration &operator=(Registration &&other) noexcept;
        Registration(const Registration &) = delete;
        Registration &operator=(const Registration &) = delete;
        ~Registration() { release(); }
        /// Waits for a scrape in progress, so the callback is not running once it returns.
        void release();
        bool active() const { return m_registry != nullptr; }

    private:
        friend class MetricsRegistry;
        Registration(MetricsRegistry *registry, std::uint64_t id) : m_registry(registry), m_id(id) {}
        MetricsRegistry *m_registry = nullptr;
        std::uint64_t m_id = 0;
    };

    /// `clock` rotates the routes' latency windows; it must outlive the registry.
    explicit MetricsRegistry(const Clock &clock = Clock::system());
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    /// Created on first use; the reference is valid for the registry's lifetime.
    RouteMetrics &route(std::string_view caller, std::string_view callee);
    /// A service-side counter such as `rpc_bad_frames_total`, exported as
    /// `dd_<name>{service="<service>"}`; created at 0 on first use, reference stable.
    std::atomic<std::uint64_t> &counter(std::string_view name, std::string_view service);
    /// The same with one more label: `dd_<name>{service="<service>",<label>="<value>"}`
    /// (`label` a Prometheus label name, e.g. "reason").
    std::atomic<std::uint64_t> &counter(std::string_view name, std::string_view service, std::string_view label,
                                        std::string_view value);

    /// A value read at scrape time, exported as `dd_<name>{service="<service>"}` with
    /// `help`. `read` runs on the scraping thread, under a registry mutex: it must be
    /// thread-safe, quick and must not call back into the registry. Several
    /// registrations of one (name, service) are summed (e.g. two gateways in a test).
    [[nodiscard]] Registration addCallback(Type type, std::string_view name, std::string_view service,
                                           std::string_view help, std::function<double()> read);

    /// Sorted by (caller, callee); latency figures cover the last `window`.
    std::vector<RouteMetrics::Snapshot> routes(Micros window = RouteMetrics::kDefaultWindow) const;
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

    struct Callback
    {
        Type type;
        std::string name, service, help;
        std::function<double()> read;
    };
    void removeCallback(std::uint64_t id);

    const Clock &m_clock;
    mutable std::shared_mutex m_mutex;
    /// Held while callbacks run and while one is removed: removal waits for a scrape.
    mutable std::mutex m_callbackMutex;
    std::map<std::uint64_t, Callback> m_callbacks;
    std::uint64_t m_nextCallbackId = 1;
    std::map<Key, std::unique_ptr<RouteMetrics>, KeyLess> m_routes;
    std::map<Key, std::unique_ptr<std::atomic<std::uint64_t>>, KeyLess> m_counters;
};

} // namespace dd::net
