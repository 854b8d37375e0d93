// Istio-style fault injection (delay / abort by percentage, per service and method), shared process-wide.
#pragma once

#include "net/resilience/Clock.h"
#include "net/resilience/Random.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::net {

enum class FaultKind {
    None,
    Transient, ///< Abort with a retryable error.
    Fatal,     ///< Abort with a non-retryable error.
    Delay,     ///< Answer late.
    Crash      ///< The serving process dies.
};

/// "none", "transient", "fatal", "delay", "crash".
const char *toString(FaultKind kind);

/// One parsed `SERVICE[.METHOD]=KIND:PERCENT[:MS]` spec (DESIGN §7).
struct FaultRule
{
    std::string service; ///< Lower-case: service names are case-insensitive.
    std::string method;  ///< Case-sensitive; empty means every method of the service.
    FaultKind kind = FaultKind::None;
    double percent = 0;  ///< 0..100
    Micros delay = 0;    ///< Only for FaultKind::Delay.

    /// The spec this rule parses from, e.g. "drone=delay:50:200".
    std::string toSpec() const;
};

/// Parses a spec such as "delivery.Create=fatal:100" or "drone=delay:50:200".
/// KIND is case-insensitive, PERCENT may end in '%', MS may have decimals and is
/// required for delay and refused for the other kinds. On failure returns nullopt
/// and, when error is given, a message naming the spec and what is wrong.
std::optional<FaultRule> parseFaultSpec(std::string_view spec, std::string *error = nullptr);

/// What a server should do to one call. When both a delay and an abort apply,
/// kind is the abort kind and delay is non-zero: wait `delay` first, then abort.
/// kind == Delay means only the delay applies.
struct FaultDecision
{
    FaultKind kind = FaultKind::None;
    Micros delay = 0;
};

/// The rule set consulted by service threads on every call while the UI or the
/// HTTP API changes it at run time. THREAD-SAFE, unlike the rest of net/resilience:
/// writers serialize on a mutex and publish an immutable snapshot (copy-on-write)
/// under a new version number. Each reading thread caches the snapshot it last
/// used and only takes the mutex when the version has moved on, so decide() costs
/// one atomic load with no rules and two plus a thread-local check with rules.
class FaultInjector
{
public:
    FaultInjector();

    /// Adds the rule, replacing one with the same service, method and kind.
    /// Rules of kind None are ignored; percent is clamped to 0..100.
    void add(FaultRule rule);
    void clear();
    /// Removes every rule of the service (case-insensitive), method-specific ones too.
    void clearService(std::string_view service);
    std::vector<FaultRule> rules() const;
    bool empty() const { return !m_active.load(std::memory_order_acquire); }

    /// Decides the fault for one call of service (case-insensitive) / method.
    /// Delays and aborts are decided separately; for each, rules naming the method
    /// beat service-wide rules, so "drone.Move=fatal:0" exempts Move from
    /// "drone=fatal:100" while a service-wide delay still applies to it.
    /// Draws from random: one uniform for the delay (if a delay rule applies), then
    /// one for the abort kinds (if any apply). Abort kinds share that single draw,
    /// checked as consecutive percentage ranges in the order crash, fatal, transient,
    /// so each keeps its own percentage when they add up to at most 100.
    FaultDecision decide(std::string_view service, std::string_view method, Random &random) const;

    /// The process-wide injector that --fault and the UI configure.
    static FaultInjector &global();

private:
    using Rules = std::vector<FaultRule>;
    void publish(Rules rules); // call with m_mutex held

    // Not std::atomic<std::shared_ptr>: libstdc++ 12 releases its internal lock
    // with relaxed ordering on load(), which ThreadSanitizer rightly flags.
    mutable std::mutex m_mutex;           // guards m_rules and serializes writers
    std::shared_ptr<const Rules> m_rules; // never null
    std::atomic<std::uint64_t> m_version; // process-wide unique per published snapshot
    std::atomic<bool> m_active{false};    // false exactly when m_rules is empty
};

} // namespace dd::net
