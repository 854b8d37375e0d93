// Fault spec parsing and the copy-on-write fault rule set.
#include "net/resilience/FaultInjector.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace dd::net {

namespace {

constexpr std::string_view kGrammar = "SERVICE[.METHOD]=KIND:PERCENT[:MS]";

char lower(char c) { return char(std::tolower(static_cast<unsigned char>(c))); }

std::string toLower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = lower(c);
    return out;
}

// Compares without building a lower-case copy: decide() must not allocate.
bool equalsIgnoreCase(std::string_view lowerCase, std::string_view any)
{
    if (lowerCase.size() != any.size())
        return false;
    for (std::size_t i = 0; i < any.size(); ++i)
        if (lowerCase[i] != lower(any[i]))
            return false;
    return true;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::optional<double> parseNumber(std::string_view s)
{
    s = trim(s);
    if (s.empty())
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<FaultKind> parseKind(std::string_view s)
{
    const std::string k = toLower(trim(s));
    if (k == "transient")
        return FaultKind::Transient;
    if (k == "fatal")
        return FaultKind::Fatal;
    if (k == "delay")
        return FaultKind::Delay;
    if (k == "crash")
        return FaultKind::Crash;
    return std::nullopt;
}

bool validName(std::string_view s, bool allowDash)
{
    return std::all_of(s.begin(), s.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (allowDash && c == '-');
    });
}

std::string formatNumber(double v)
{
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::optional<FaultRule> fail(std::string *error, std::string_view spec, const std::string &what)
{
    if (error)
        *error = "fault spec '" + std::string(spec) + "': " + what;
    return std::nullopt;
}

// Slot of an abort kind in decide()'s fixed arrays, in the order its single draw
// is checked: the most severe first.
int abortSlot(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Crash: return 0;
    case FaultKind::Fatal: return 1;
    case FaultKind::Transient: return 2;
    default: return -1;
    }
}

} // namespace

const char *toString(FaultKind kind)
{
    switch (kind) {
    case FaultKind::None: return "none";
    case FaultKind::Transient: return "transient";
    case FaultKind::Fatal: return "fatal";
    case FaultKind::Delay: return "delay";
    case FaultKind::Crash: return "crash";
    }
    return "unknown";
}

std::string FaultRule::toSpec() const
{
    std::string spec = service;
    if (!method.empty())
        spec += "." + method;
    spec += "=";
    spec += toString(kind);
    spec += ":" + formatNumber(percent);
    if (kind == FaultKind::Delay)
        spec += ":" + formatNumber(double(delay) / double(kMillis));
    return spec;
}

std::optional<FaultRule> parseFaultSpec(std::string_view rawSpec, std::string *error)
{
    const std::string_view spec = trim(rawSpec);
    const std::string grammar = " (expected " + std::string(kGrammar) + ")";
    if (spec.empty())
        return fail(error, rawSpec, "empty" + grammar);

    const auto eq = spec.find('=');
    if (eq == std::string_view::npos)
        return fail(error, spec, "missing '='" + grammar);
    const std::string_view target = trim(spec.substr(0, eq));
    const std::string_view action = trim(spec.substr(eq + 1));

    FaultRule rule;
    const auto dot = target.find('.');
    const std::string_view service = trim(target.substr(0, dot));
    const std::string_view method = dot == std::string_view::npos ? std::string_view() : trim(target.substr(dot + 1));
    if (service.empty())
        return fail(error, spec, "missing service name" + grammar);
    if (!validName(service, true))
        return fail(error, spec, "invalid service name '" + std::string(service) + "'");
    if (dot != std::string_view::npos && method.empty())
        return fail(error, spec, "missing method name after '.'" + grammar);
    if (!validName(method, false))
        return fail(error, spec, "invalid method name '" + std::string(method) + "'");
    rule.service = toLower(service);
    rule.method = std::string(method);

    // Split KIND:PERCENT[:MS]; more than three fields is garbage.
    std::vector<std::string_view> fields;
    for (std::string_view rest = action;;) {
        const auto colon = rest.find(':');
        fields.push_back(trim(rest.substr(0, colon)));
        if (colon == std::string_view::npos)
            break;
        rest = rest.substr(colon + 1);
    }
    if (fields[0].empty())
        return fail(error, spec, "missing fault kind" + grammar);
    const auto kind = parseKind(fields[0]);
    if (!kind)
        return fail(error, spec,
                    "unknown fault kind '" + std::string(fields[0]) + "' (expected transient, fatal, delay or crash)");
    rule.kind = *kind;

    if (fields.size() < 2 || fields[1].empty())
        return fail(error, spec, "missing percentage after '" + std::string(fields[0]) + ":'" + grammar);
    std::string_view percentText = fields[1];
    if (percentText.back() == '%')
        percentText.remove_suffix(1);
    const auto percent = parseNumber(percentText);
    if (!percent)
        return fail(error, spec, "percentage '" + std::string(fields[1]) + "' is not a number");
    if (*percent < 0 || *percent > 100)
        return fail(error, spec, "percentage " + std::string(fields[1]) + " is outside 0..100");
    rule.percent = *percent;

    if (rule.kind == FaultKind::Delay) {
        if (fields.size() < 3 || fields[2].empty())
            return fail(error, spec, "delay needs a duration in milliseconds (delay:PERCENT:MS)");
        const auto ms = parseNumber(fields[2]);
        if (!ms)
            return fail(error, spec, "delay '" + std::string(fields[2]) + "' is not a number of milliseconds");
        if (*ms < 0)
            return fail(error, spec, "delay " + std::string(fields[2]) + " ms is negative");
        if (*ms > 3600.0 * 1000.0)
            return fail(error, spec, "delay " + std::string(fields[2]) + " ms is longer than an hour");
        rule.delay = Micros(std::llround(*ms * double(kMillis)));
        if (fields.size() > 3)
            return fail(error, spec, "unexpected text after the delay" + grammar);
    } else if (fields.size() > 2) {
        return fail(error, spec, "'" + std::string(toString(rule.kind)) + "' takes no duration, only delay does" + grammar);
    }
    return rule;
}

namespace {
// Versions are unique across all injectors, so a thread's cached snapshot can never
// be mistaken for the current one of a new injector created at the same address.
std::atomic<std::uint64_t> g_nextVersion{1};

struct SnapshotCache
{
    const void *owner = nullptr;
    std::uint64_t version = 0;
    std::shared_ptr<const std::vector<FaultRule>> rules;
};
} // namespace

FaultInjector::FaultInjector()
    : m_rules(std::make_shared<const Rules>())
    , m_version(g_nextVersion.fetch_add(1, std::memory_order_relaxed))
{
}

void FaultInjector::publish(Rules rules)
{
    const bool active = !rules.empty();
    m_rules = std::make_shared<const Rules>(std::move(rules));
    m_version.store(g_nextVersion.fetch_add(1, std::memory_order_relaxed), std::memory_order_release);
    m_active.store(active, std::memory_order_release);
}

void FaultInjector::add(FaultRule rule)
{
    if (rule.kind == FaultKind::None)
        return;
    rule.service = toLower(rule.service);
    rule.percent = std::clamp(std::isfinite(rule.percent) ? rule.percent : 0.0, 0.0, 100.0);
    if (rule.kind != FaultKind::Delay)
        rule.delay = 0;
    rule.delay = std::max<Micros>(0, rule.delay);

    std::lock_guard lock(m_mutex);
    Rules next = *m_rules;
    const auto same = std::find_if(next.begin(), next.end(), [&](const FaultRule &r) {
        return r.service == rule.service && r.method == rule.method && r.kind == rule.kind;
    });
    if (same != next.end())
        *same = std::move(rule);
    else
        next.push_back(std::move(rule));
    publish(std::move(next));
}

void FaultInjector::clear()
{
    std::lock_guard lock(m_mutex);
    publish({});
}

void FaultInjector::clearService(std::string_view service)
{
    std::lock_guard lock(m_mutex);
    Rules next = *m_rules;
    std::erase_if(next, [&](const FaultRule &r) { return equalsIgnoreCase(r.service, service); });
    publish(std::move(next));
}

std::vector<FaultRule> FaultInjector::rules() const
{
    std::lock_guard lock(m_mutex);
    return *m_rules;
}

FaultDecision FaultInjector::decide(std::string_view service, std::string_view method, Random &random) const
{
    // The common case in production: no faults configured, no lock, no refcount.
    if (!m_active.load(std::memory_order_acquire))
        return {};
    // Refresh this thread's snapshot only when a writer has published since.
    thread_local SnapshotCache cache;
    if (cache.owner != this || cache.version != m_version.load(std::memory_order_acquire)) {
        std::lock_guard lock(m_mutex);
        cache.owner = this;
        cache.version = m_version.load(std::memory_order_relaxed); // matches m_rules under the lock
        cache.rules = m_rules;
    }
    const Rules &snapshot = *cache.rules;

    // Per level (0 = service-wide, 1 = this method): the delay rule and the abort
    // rules by slot. Pointers into the snapshot, which the thread's cache keeps alive.
    const FaultRule *delayRule[2] = {nullptr, nullptr};
    std::array<const FaultRule *, 3> aborts[2] = {};
    bool hasAbort[2] = {false, false};
    for (const FaultRule &r : snapshot) {
        if (!equalsIgnoreCase(r.service, service))
            continue;
        if (!r.method.empty() && r.method != method)
            continue;
        const int level = r.method.empty() ? 0 : 1;
        if (r.kind == FaultKind::Delay) {
            delayRule[level] = &r;
        } else if (const int slot = abortSlot(r.kind); slot >= 0) {
            aborts[level][std::size_t(slot)] = &r;
            hasAbort[level] = true;
        }
    }

    FaultDecision decision;
    if (const FaultRule *d = delayRule[1] ? delayRule[1] : delayRule[0]) {
        if (random.uniform() * 100.0 < d->percent) {
            decision.kind = FaultKind::Delay;
            decision.delay = d->delay;
        }
    }
    const int level = hasAbort[1] ? 1 : 0;
    if (hasAbort[level]) {
        const double roll = random.uniform() * 100.0;
        double upTo = 0;
        for (const FaultRule *r : aborts[level]) {
            if (!r)
                continue;
            upTo += r->percent;
            if (roll < upTo) {
                decision.kind = r->kind;
                break;
            }
        }
    }
    return decision;
}

FaultInjector &FaultInjector::global()
{
    static FaultInjector instance;
    return instance;
}

} // namespace dd::net
