// RpcStatus classification.
#include "net/rpc/RpcStatus.h"

namespace dd::net {

using namespace dronedelivery::v1;

bool RpcStatus::retryable() const
{
    return code == TRANSIENT || code == OVERLOADED || code == CIRCUIT_OPEN;
}

bool RpcStatus::transient() const
{
    return retryable() || code == DEADLINE_EXCEEDED;
}

std::string RpcStatus::toString() const
{
    std::string s = statusName(code);
    if (!message.empty())
        s += ": " + message;
    return s;
}

const char *statusName(StatusCode code)
{
    switch (code) {
    case OK: return "ok";
    case TRANSIENT: return "transient";
    case FATAL: return "fatal";
    case DEADLINE_EXCEEDED: return "deadline_exceeded";
    case NOT_FOUND: return "not_found";
    case CONFLICT: return "conflict";
    case UNKNOWN_METHOD: return "unknown_method";
    case BAD_REQUEST: return "bad_request";
    case CIRCUIT_OPEN: return "circuit_open";
    case UNAUTHENTICATED: return "unauthenticated";
    case PERMISSION_DENIED: return "permission_denied";
    case OVERLOADED: return "overloaded";
    case CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

Outcome outcomeOf(StatusCode code)
{
    switch (code) {
    case OK: return Outcome::Success;
    case TRANSIENT:
    case OVERLOADED: return Outcome::Transient;
    case DEADLINE_EXCEEDED: return Outcome::Timeout;
    case CIRCUIT_OPEN: return Outcome::CircuitOpen;
    // The callee refused the request on its merits (unknown id, invalid input, a state
    // or a role that does not allow it): an answer, not a failure of the callee, so
    // health and error rates leave it out.
    case NOT_FOUND:
    case CONFLICT:
    case BAD_REQUEST:
    case UNAUTHENTICATED:
    case PERMISSION_DENIED: return Outcome::Rejected;
    default: return Outcome::Fatal;
    }
}

} // namespace dd::net
