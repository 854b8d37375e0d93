// IdentityRoles: the role ladder dispatcher < supervisor < admin.
#include "backend/identity/IdentityRoles.h"

namespace dd::identity {

namespace {
int rank(const std::string &role)
{
    if (role == "dispatcher")
        return 1;
    if (role == "supervisor")
        return 2;
    if (role == "admin")
        return 3;
    return 0;
}

int needed(Capability capability)
{
    switch (capability) {
    case Capability::Dispatch: return 1;
    case Capability::Supervise: return 2;
    case Capability::Operate: return 3;
    }
    return 4;
}
} // namespace

bool isRole(const std::string &role)
{
    return rank(role) > 0;
}

bool roleAllows(const std::string &role, Capability capability)
{
    return rank(role) > 0 && rank(role) >= needed(capability);
}

std::string leastRoleFor(Capability capability)
{
    switch (capability) {
    case Capability::Dispatch: return "dispatcher";
    case Capability::Supervise: return "supervisor";
    case Capability::Operate: return "admin";
    }
    return "admin";
}

} // namespace dd::identity
