// The three roles a person signs in with, and what each may do — one place for every service and client.
#pragma once

#include <optional>
#include <string>

namespace dd::identity {

/// What an action needs; a role includes the ones before it (dispatcher < supervisor < admin).
enum class Capability {
    Dispatch,  ///< read, schedule, reschedule, cancel
    Supervise, ///< approve / reject / retry failed transactions, suspend / reinstate accounts
    Operate    ///< inject faults, override circuit breakers
};

/// "dispatcher", "supervisor" or "admin" (lower case); anything else is no role.
bool isRole(const std::string &role);
/// Whether `role` may do what `capability` needs; an unknown role may do nothing.
bool roleAllows(const std::string &role, Capability capability);
/// The least role that has `capability`, for messages ("needs the supervisor role").
std::string leastRoleFor(Capability capability);

} // namespace dd::identity
