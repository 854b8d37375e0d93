// Envelope helpers.
#include "net/envelope/Envelope.h"

#include "net/resilience/Random.h"

namespace dd::net {

std::uint64_t newSenderId()
{
    std::uint64_t id = 0;
    while (id == 0)
        id = Random::threadLocal().next();
    return id;
}

TraceContext traceOf(const Envelope &envelope)
{
    TraceContext trace;
    trace.traceIdHi = envelope.trace_id_hi();
    trace.traceIdLo = envelope.trace_id_lo();
    trace.spanId = envelope.parent_span_id();
    trace.flags = std::uint8_t(envelope.trace_flags());
    return trace;
}

void setTrace(Envelope &envelope, const TraceContext &parent)
{
    envelope.set_trace_id_hi(parent.traceIdHi);
    envelope.set_trace_id_lo(parent.traceIdLo);
    envelope.set_parent_span_id(parent.spanId);
    envelope.set_trace_flags(parent.flags);
}

zmq::message_t toMessage(const google::protobuf::MessageLite &message)
{
    const std::size_t size = message.ByteSizeLong();
    zmq::message_t frame(size);
    message.SerializeWithCachedSizesToArray(static_cast<std::uint8_t *>(frame.data()));
    return frame;
}

bool parseMessage(google::protobuf::MessageLite &into, const zmq::message_t &frame)
{
    return into.ParseFromArray(frame.data(), int(frame.size()));
}

} // namespace dd::net
