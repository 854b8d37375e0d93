// The outcome of an RPC: a status code, a message and (for bad input) the offending field.
#pragma once

#include "envelope.pb.h"
#include "net/telemetry/RouteMetrics.h"

#include <string>

namespace dd::net {

struct RpcStatus
{
    RpcStatus() = default;
    RpcStatus(dronedelivery::v1::StatusCode c, std::string m = {}, std::string f = {})
        : code(c), message(std::move(m)), field(std::move(f))
    {
    }

    dronedelivery::v1::StatusCode code = dronedelivery::v1::OK;
    std::string message;
    std::string field;

    bool ok() const { return code == dronedelivery::v1::OK; }
    /// Worth another attempt (if the method is idempotent and time is left).
    bool retryable() const;
    /// A transient failure in the seed's sense: retrying later may succeed.
    bool transient() const;
    std::string toString() const;

    static RpcStatus okStatus() { return {}; }
};

const char *statusName(dronedelivery::v1::StatusCode code);
/// How an outcome counts in the caller→callee golden metrics.
Outcome outcomeOf(dronedelivery::v1::StatusCode code);

} // namespace dd::net
