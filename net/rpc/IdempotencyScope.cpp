// IdempotencyScope: escaping and joining of the scoped key's components.
#include "net/rpc/IdempotencyScope.h"

namespace dd::net {

void IdempotencyScope::append(std::string &out, std::string_view component)
{
    // Escaped so that no choice of user name or key can make two scopes collide.
    for (const char c : component) {
        if (c == '|' || c == '\\')
            out += '\\';
        out += c;
    }
}

std::string IdempotencyScope::key(std::string_view caller, std::string_view operation, std::string_view target,
                                  std::string_view clientKey)
{
    std::string out;
    if (clientKey.empty())
        return out;
    out.reserve(caller.size() + operation.size() + target.size() + clientKey.size() + 8);
    append(out, caller);
    out += '|';
    append(out, operation);
    out += '|';
    if (!target.empty()) {
        append(out, target);
        out += '|';
    }
    append(out, clientKey);
    return out;
}

std::string IdempotencyScope::caller(std::string_view transport, std::string_view declared)
{
    if (transport.empty())
        return std::string(declared);
    std::string out;
    append(out, transport);
    out += '|';
    append(out, declared);
    return out;
}

std::string IdempotencyScope::operation(std::string_view method, std::string_view action)
{
    std::string out(method);
    if (!action.empty()) {
        out += '.';
        out += action;
    }
    return out;
}

} // namespace dd::net
