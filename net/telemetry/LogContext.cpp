// LogContext: two thread-locals; the service name is copied into a fixed buffer (no allocation per thread).
#include "net/telemetry/LogContext.h"

#include <algorithm>
#include <cstring>

namespace dd::net {

namespace {
constexpr std::size_t kMaxServiceName = 63;
thread_local char t_service[kMaxServiceName + 1] = {};
thread_local std::size_t t_serviceSize = 0;
thread_local const TraceContext *t_trace = nullptr;
} // namespace

std::string_view LogContext::threadService()
{
    return {t_service, t_serviceSize};
}

void LogContext::setThreadService(std::string_view name)
{
    t_serviceSize = std::min(name.size(), kMaxServiceName);
    std::memcpy(t_service, name.data(), t_serviceSize);
    t_service[t_serviceSize] = '\0';
}

const TraceContext *LogContext::currentTrace()
{
    return t_trace;
}

LogContext::TraceScope::TraceScope(const TraceContext &trace) : m_previous(t_trace)
{
    if (trace.valid())
        t_trace = &trace;
}

LogContext::TraceScope::~TraceScope()
{
    t_trace = m_previous;
}

} // namespace dd::net
