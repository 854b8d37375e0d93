// The laptop demo's users (a dispatcher, a supervisor, an admin) with passwords printed in --help and the README.
#pragma once

#include <QString>

#include <optional>
#include <string>

namespace dd::console {

struct DemoUsers
{
    static constexpr const char *kDispatcher = "dana";
    static constexpr const char *kDispatcherPassword = "dispatcher-demo";
    static constexpr const char *kSupervisor = "sam";
    static constexpr const char *kSupervisorPassword = "supervisor-demo";
    static constexpr const char *kAdmin = "ada";
    static constexpr const char *kAdminPassword = "admin-demo";

    /// DATA_DIR/demo-users, written (mode 0600) when missing; its path, or nullopt with `error`.
    static std::optional<QString> ensure(const QString &dataDir, std::string *error);
};

} // namespace dd::console
