// SpanRecorder: a Span value filled field by field and recorded; names are pre-formatted byte arrays.
#include "net/telemetry/SpanRecorder.h"

#include <cstring>

namespace dd::net {

SpanRecorder::SpanRecorder(SpanSink *sink, std::string_view service) : m_sink(sink)
{
    Span named{};
    named.setService(service);
    std::memcpy(m_service, named.serviceBuf, sizeof m_service);
}

void SpanRecorder::formatName(Name &out, std::string_view name)
{
    Span named{};
    named.setName(name);
    std::memcpy(out, named.nameBuf, sizeof out);
}

void SpanRecorder::record(const TraceContext &trace, std::uint64_t parentSpanId, const char *name,
                          const SpanEnd &end) const
{
    if (!m_sink || !trace.valid())
        return;
    Span span{};
    span.traceIdHi = trace.traceIdHi;
    span.traceIdLo = trace.traceIdLo;
    span.spanId = trace.spanId;
    span.parentSpanId = parentSpanId;
    if (name)
        std::memcpy(span.nameBuf, name, sizeof span.nameBuf);
    std::memcpy(span.serviceBuf, m_service, sizeof span.serviceBuf);
    span.kind = end.kind;
    span.httpStatus = end.httpStatus;
    span.start = end.start;
    span.duration = end.duration;
    span.status = end.status;
    span.attempt = end.attempt;
    m_sink->record(span);
}

} // namespace dd::net
