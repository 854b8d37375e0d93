// What a log line is written inside of: the service thread's name and the traced call being handled.
#pragma once

#include "net/telemetry/TraceContext.h"

#include <string_view>

namespace dd::net {

/// Thread-local, so the log sink can read it without locks: a ServiceLoop names its
/// thread once when it starts, the RPC server sets the trace around each handler.
class LogContext
{
public:
    /// The service this thread runs; empty view when the thread is no service's.
    static std::string_view threadService();
    /// Called on the service's own thread (ServiceLoop does it when its thread starts).
    static void setThreadService(std::string_view name);

    /// The trace of the call this thread is handling now; nullptr outside any traced call.
    static const TraceContext *currentTrace();

    /// Makes `trace` current for its lifetime (when valid), restoring the previous one after.
    class TraceScope
    {
    public:
        explicit TraceScope(const TraceContext &trace);
        ~TraceScope();
        TraceScope(const TraceScope &) = delete;
        TraceScope &operator=(const TraceScope &) = delete;

    private:
        const TraceContext *m_previous;
    };
};

} // namespace dd::net
