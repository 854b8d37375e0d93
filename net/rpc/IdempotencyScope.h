// The one rule that scopes a client's idempotency key by caller, operation and target.
#pragma once

#include <string>
#include <string_view>

namespace dd::net {

/// Who asked for what on which object, read from a request so that a reused client key
/// never replays another caller's, another operation's or another object's answer.
struct IdempotencySubject
{
    std::string caller; ///< the user or workload the request speaks for ("dispatcher/alice")
    std::string action; ///< a sub-operation the method carries in its payload (SCHEDULE, CANCEL); may be empty
    std::string target; ///< the object acted on (a transaction or delivery id); empty for a creation
};

class IdempotencyScope
{
public:
    /// The key a reply is remembered under; empty when `clientKey` is empty (nothing to replay).
    /// Components are escaped and joined with '|', an empty target is left out: the key of
    /// a creation is `caller|operation|clientKey`, the format Ingestion has always stored.
    static std::string key(std::string_view caller, std::string_view operation, std::string_view target,
                           std::string_view clientKey);
    /// One caller out of the authenticated transport identity (a CURVE key; empty in-process)
    /// and the identity the request declares.
    static std::string caller(std::string_view transport, std::string_view declared);
    /// `method` alone, or `method.action` when the payload names a sub-operation.
    static std::string operation(std::string_view method, std::string_view action);

private:
    static void append(std::string &out, std::string_view component);
};

} // namespace dd::net
