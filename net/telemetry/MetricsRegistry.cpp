// Metrics registry: stable per-route and per-counter storage plus the Prometheus 0.0.4 writer.
#include "net/telemetry/MetricsRegistry.h"

#include <charconv>
#include <cmath>
#include <mutex>

namespace dd::net {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

void appendEscapedLabel(std::string &out, std::string_view value)
{
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
}

// HELP text escapes only backslash and newline (a quote is literal there).
void appendEscapedHelp(std::string &out, std::string_view text)
{
    for (char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void appendUInt(std::string &out, std::uint64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Go-style %g so le labels read "0.0005" and "2.5", as the official clients print them.
void appendDouble(std::string &out, double v)
{
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    out.append(buf, r.ptr);
}

// Whole numbers as integers: counters read "100000000", not "1e+08".
void appendNumber(std::string &out, double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) {
        if (v < 0)
            out += '-';
        appendUInt(out, std::uint64_t(std::abs(v)));
        return;
    }
    appendDouble(out, v);
}

void appendFamilyHeader(std::string &out, std::string_view name, std::string_view type,
                        std::string_view help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    appendEscapedHelp(out, help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void appendRouteLabels(std::string &out, const RouteMetrics &route)
{
    out += "caller=\"";
    appendEscapedLabel(out, route.caller());
    out += "\",callee=\"";
    appendEscapedLabel(out, route.callee());
    out += '"';
}

void appendRouteSample(std::string &out, std::string_view name, const RouteMetrics &route,
                       std::uint64_t value)
{
    out += name;
    out += '{';
    appendRouteLabels(out, route);
    out += "} ";
    appendUInt(out, value);
    out += '\n';
}

// Metric names allow [a-zA-Z0-9_:] only; anything else would make the scrape invalid.
std::string metricName(std::string_view counterName)
{
    std::string name = "dd_";
    for (char c : counterName) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '_' || c == ':';
        name += ok ? c : '_';
    }
    return name;
}

std::string_view counterHelp(std::string_view name)
{
    static constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
        {"rpc_dropped_expired_total", "Requests a server dropped because their deadline had passed."},
        {"rpc_bad_frames_total", "Malformed frames or envelopes a service discarded."},
        {"rpc_unknown_method_total", "Requests for a method the service does not implement."},
        {"rpc_dedup_hits_total", "Requests answered from the idempotency cache instead of re-executed."},
        {"zap_refused_total", "Connections refused by ZAP authentication."},
        {"mesh_refused_total", "Connections a mesh server refused during the handshake, by reason."},
        {"http_edge_refused_total", "Requests or connections the HTTP edge refused before routing, by reason (docs/http-edge.md)."},
        {"pubsub_gaps_total", "Sequence gaps (lost messages) detected by subscribers."},
        {"pubsub_resets_total", "Replays that asked for events already pruned: the subscriber was told to re-snapshot."},
        {"retention_pruned_total", "Rows a service's retention sweep pruned (finished and older than --retention)."},
        {"rpc_faults_injected_total", "Requests a service failed or delayed on purpose (fault injection)."},
        {"ingestion_accepted_total", "Delivery requests Ingestion accepted (committed to its outbox)."},
        {"ingestion_replayed_total", "Requests answered from Ingestion's idempotency record instead of accepted again."},
        {"ingestion_rejected_full_total", "Requests Ingestion refused because its backlog was full (503 BACKLOG_FULL)."},
        {"ingestion_acked_total", "Accepted requests the Scheduler acknowledged."},
        {"http_responses_2xx_total", "HTTP responses of the gateway with a 2xx status."},
        {"http_responses_3xx_total", "HTTP responses of the gateway with a 3xx status."},
        {"http_responses_4xx_total", "HTTP responses of the gateway with a 4xx status."},
        {"http_responses_5xx_total", "HTTP responses of the gateway with a 5xx status."},
        {"loop_handler_failures_total", "Tasks, timers and handlers of a service loop that threw (the loop served on)."},
    };
    for (const auto &[known, help] : kKnown) {
        if (known == name)
            return help;
    }
    return "Service-side event counter.";
}
} // namespace

MetricsRegistry::MetricsRegistry(const Clock &clock) : m_clock(clock) {}
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Registration::Registration(Registration &&other) noexcept
    : m_registry(std::exchange(other.m_registry, nullptr)), m_id(other.m_id)
{
}

MetricsRegistry::Registration &MetricsRegistry::Registration::operator=(Registration &&other) noexcept
{
    if (this != &other) {
        release();
        m_registry = std::exchange(other.m_registry, nullptr);
        m_id = other.m_id;
    }
    return *this;
}

void MetricsRegistry::Registration::release()
{
    if (auto *registry = std::exchange(m_registry, nullptr))
        registry->removeCallback(m_id);
}

MetricsRegistry::Registration MetricsRegistry::addCallback(Type type, std::string_view name,
                                                           std::string_view service, std::string_view help,
                                                           std::function<double()> read)
{
    std::lock_guard lock(m_callbackMutex);
    const std::uint64_t id = m_nextCallbackId++;
    m_callbacks.emplace(id, Callback{type, metricName(name), std::string(service), std::string(help),
                                     std::move(read)});
    return Registration(this, id);
}

void MetricsRegistry::removeCallback(std::uint64_t id)
{
    std::lock_guard lock(m_callbackMutex);
    m_callbacks.erase(id);
}

RouteMetrics &MetricsRegistry::route(std::string_view caller, std::string_view callee)
{
    const KeyLess::View key{caller, callee};
    {
        std::shared_lock lock(m_mutex);
        if (auto it = m_routes.find(key); it != m_routes.end())
            return *it->second;
    }
    std::unique_lock lock(m_mutex);
    auto it = m_routes.find(key);
    if (it == m_routes.end()) {
        it = m_routes
                 .emplace(Key{std::string(caller), std::string(callee)},
                          std::make_unique<RouteMetrics>(std::string(caller), std::string(callee), m_clock))
                 .first;
    }
    return *it->second;
}

namespace {
/// A counter's extra label travels in its service key after this separator, which no
/// service name contains: `service<US>label<US>value`.
constexpr char kLabelSeparator = '\x1f';
} // namespace

std::atomic<std::uint64_t> &MetricsRegistry::counter(std::string_view name, std::string_view service,
                                                     std::string_view label, std::string_view value)
{
    std::string key(service);
    key += kLabelSeparator;
    key += label;
    key += kLabelSeparator;
    key += value;
    return counter(name, key);
}

std::atomic<std::uint64_t> &MetricsRegistry::counter(std::string_view name, std::string_view service)
{
    const KeyLess::View key{name, service};
    {
        std::shared_lock lock(m_mutex);
        if (auto it = m_counters.find(key); it != m_counters.end())
            return *it->second;
    }
    std::unique_lock lock(m_mutex);
    auto it = m_counters.find(key);
    if (it == m_counters.end()) {
        it = m_counters
                 .emplace(Key{std::string(name), std::string(service)},
                          std::make_unique<std::atomic<std::uint64_t>>(0))
                 .first;
    }
    return *it->second;
}

std::vector<RouteMetrics::Snapshot> MetricsRegistry::routes(Micros window) const
{
    std::shared_lock lock(m_mutex);
    std::vector<RouteMetrics::Snapshot> result;
    result.reserve(m_routes.size());
    for (const auto &entry : m_routes)
        result.push_back(entry.second->snapshot(window));
    return result;
}

std::vector<std::tuple<std::string, std::string, std::uint64_t>> MetricsRegistry::counters() const
{
    std::shared_lock lock(m_mutex);
    std::vector<std::tuple<std::string, std::string, std::uint64_t>> result;
    result.reserve(m_counters.size());
    for (const auto &[key, value] : m_counters)
        result.emplace_back(key.first, key.second, value->load(kRelaxed));
    return result;
}

const std::vector<double> &MetricsRegistry::latencyBucketsSeconds()
{
    // Sub-millisecond resolution matters: an in-process hop takes tens of µs.
    static const std::vector<double> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                               0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                               1,      2.5,     5,      10};
    return bounds;
}

std::string MetricsRegistry::prometheusText() const
{
    // Collect stable pointers under the lock, format without it: entries never move.
    std::vector<const RouteMetrics *> routes;
    // Grouped by exported name: two raw names may sanitise to the same family, a
    // callback may share a counter's name, and a family must appear once (its first
    // registration sets type and help). Equal labels are summed into one sample.
    struct Family
    {
        Type type = Type::Counter;
        std::string help;
        std::map<std::string, double> samples; // service -> value
    };
    std::map<std::string, Family> families;
    {
        std::shared_lock lock(m_mutex);
        routes.reserve(m_routes.size());
        for (const auto &entry : m_routes)
            routes.push_back(entry.second.get());
        for (const auto &[key, value] : m_counters) {
            const std::string name = metricName(key.first);
            auto [it, fresh] = families.try_emplace(name);
            if (fresh)
                it->second.help = std::string(counterHelp(key.first));
            it->second.samples[key.second] += double(value->load(kRelaxed));
        }
    }
    {
        std::lock_guard lock(m_callbackMutex);
        for (const auto &[id, callback] : m_callbacks) {
            auto [it, fresh] = families.try_emplace(callback.name);
            if (fresh) {
                it->second.type = callback.type;
                it->second.help = callback.help;
            }
            it->second.samples[callback.service] += callback.read ? callback.read() : 0.0;
        }
    }

    std::string out;
    out.reserve(1024 + routes.size() * 4096 + families.size() * 256);

    appendFamilyHeader(out, "dd_route_requests_total", "counter",
                       "Logical calls sent from caller to callee (retries excluded).");
    for (const auto *r : routes)
        appendRouteSample(out, "dd_route_requests_total", *r, r->requests());

    appendFamilyHeader(out, "dd_route_responses_total", "counter",
                       "Final outcomes of calls from caller to callee, by outcome.");
    for (const auto *r : routes) {
        for (std::size_t i = 0; i < RouteMetrics::kOutcomeCount; ++i) {
            const auto outcome = Outcome(i);
            out += "dd_route_responses_total{";
            appendRouteLabels(out, *r);
            out += ",outcome=\"";
            out += toString(outcome);
            out += "\"} ";
            appendUInt(out, r->outcomes(outcome));
            out += '\n';
        }
    }

    appendFamilyHeader(out, "dd_route_retries_total", "counter",
                       "Retry attempts made from caller to callee.");
    for (const auto *r : routes)
        appendRouteSample(out, "dd_route_retries_total", *r, r->retries());

    appendFamilyHeader(out, "dd_route_sent_bytes_total", "counter",
                       "Request payload bytes sent from caller to callee.");
    for (const auto *r : routes)
        appendRouteSample(out, "dd_route_sent_bytes_total", *r, r->bytesOut());

    appendFamilyHeader(out, "dd_route_received_bytes_total", "counter",
                       "Response payload bytes received by caller from callee.");
    for (const auto *r : routes)
        appendRouteSample(out, "dd_route_received_bytes_total", *r, r->bytesIn());

    appendFamilyHeader(out, "dd_route_latency_seconds", "histogram",
                       "Latency of calls that reached the callee, including retries.");
    for (const auto *r : routes) {
        const auto buckets = r->latency().cumulativeBuckets(latencyBucketsSeconds());
        const double sumSeconds = double(r->latency().sum()) / 1e6;
        for (const auto &[le, cumulative] : buckets) {
            out += "dd_route_latency_seconds_bucket{";
            appendRouteLabels(out, *r);
            out += ",le=\"";
            appendDouble(out, le);
            out += "\"} ";
            appendUInt(out, cumulative);
            out += '\n';
        }
        out += "dd_route_latency_seconds_sum{";
        appendRouteLabels(out, *r);
        out += "} ";
        appendDouble(out, sumSeconds);
        out += '\n';
        // The +Inf bucket comes from the same read as the others, so it is the count.
        appendRouteSample(out, "dd_route_latency_seconds_count", *r, buckets.back().second);
    }

    appendFamilyHeader(out, "dd_route_breaker_state", "gauge",
                       "Circuit breaker state of the route: 1 for the current state, 0 otherwise.");
    for (const auto *r : routes) {
        const std::size_t current = r->breakerStateIndex();
        for (std::size_t i = 0; i < RouteMetrics::kBreakerStates.size(); ++i) {
            out += "dd_route_breaker_state{";
            appendRouteLabels(out, *r);
            out += ",state=\"";
            out += RouteMetrics::kBreakerStates[i];
            out += "\"} ";
            out += i == current ? '1' : '0';
            out += '\n';
        }
    }

    for (const auto &[name, family] : families) {
        appendFamilyHeader(out, name, family.type == Type::Gauge ? "gauge" : "counter", family.help);
        for (const auto &[service, value] : family.samples) {
            out += name;
            out += "{service=\"";
            const std::string_view key(service);
            const auto cut = key.find(kLabelSeparator);
            appendEscapedLabel(out, std::string(key.substr(0, cut)));
            out += '"';
            if (cut != std::string_view::npos) { // counter(name, service, label, value)
                const std::string_view extra = key.substr(cut + 1);
                const auto eq = extra.find(kLabelSeparator);
                out += ',';
                out += extra.substr(0, eq);
                out += "=\"";
                appendEscapedLabel(out, std::string(extra.substr(eq == std::string_view::npos ? extra.size() : eq + 1)));
                out += '"';
            }
            out += "} ";
            appendNumber(out, value);
            out += '\n';
        }
    }
    return out;
}

void MetricsRegistry::reset()
{
    std::shared_lock lock(m_mutex);
    for (const auto &entry : m_routes)
        entry.second->reset();
    for (const auto &entry : m_counters)
        entry.second->store(0, kRelaxed);
}

MetricsRegistry &MetricsRegistry::global()
{
    static MetricsRegistry *const registry = new MetricsRegistry;
    return *registry;
}

} // namespace dd::net
