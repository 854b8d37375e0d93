// Envelope helpers.
#include "net/envelope/Envelope.h"

#include "net/envelope/TsanHandOff.h"
#include "net/resilience/Random.h"

#include <cstring>

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

zmq::message_t frame(const Envelope &envelope, std::string_view payload, std::string_view topic)
{
    const std::size_t envelopeSize = envelope.ByteSizeLong();
    const std::size_t topicSize = topic.empty() ? 0 : topic.size() + 1;
    zmq::message_t message(topicSize + 4 + envelopeSize + payload.size());
    auto *out = static_cast<std::uint8_t *>(message.data());
    if (topicSize) {
        std::memcpy(out, topic.data(), topic.size());
        out[topic.size()] = 0;
        out += topicSize;
    }
    const auto length = std::uint32_t(envelopeSize);
    out[0] = std::uint8_t(length);
    out[1] = std::uint8_t(length >> 8);
    out[2] = std::uint8_t(length >> 16);
    out[3] = std::uint8_t(length >> 24);
    envelope.SerializeWithCachedSizesToArray(out + 4);
    if (!payload.empty())
        std::memcpy(out + 4 + envelopeSize, payload.data(), payload.size());
    tsanHandOff(message.data());
    return message;
}

bool unframe(const zmq::message_t &message, Envelope &envelope, std::string_view &payload, std::string_view *topic)
{
    tsanTakeOver(message.data());
    const auto *data = static_cast<const std::uint8_t *>(message.data());
    std::size_t size = message.size();
    if (topic) {
        const void *nul = std::memchr(data, 0, size);
        if (!nul)
            return false;
        const std::size_t topicSize = std::size_t(static_cast<const std::uint8_t *>(nul) - data);
        *topic = std::string_view(reinterpret_cast<const char *>(data), topicSize);
        data += topicSize + 1;
        size -= topicSize + 1;
    }
    if (size < 4)
        return false;
    const std::uint32_t length = std::uint32_t(data[0]) | std::uint32_t(data[1]) << 8 | std::uint32_t(data[2]) << 16
        | std::uint32_t(data[3]) << 24;
    if (length > size - 4)
        return false;
    if (!envelope.ParseFromArray(data + 4, int(length)))
        return false;
    payload = std::string_view(reinterpret_cast<const char *>(data) + 4 + length, size - 4 - length);
    return true;
}

bool peekEvent(const zmq::message_t &message, std::string_view &topic, std::uint64_t &sender, std::uint64_t &sequence)
{
    tsanTakeOver(message.data());
    const auto *data = static_cast<const std::uint8_t *>(message.data());
    const std::size_t size = message.size();
    const void *nul = std::memchr(data, 0, size);
    if (!nul)
        return false;
    const std::size_t topicSize = std::size_t(static_cast<const std::uint8_t *>(nul) - data);
    const std::uint8_t *p = data + topicSize + 1;
    // length(4) | 08 03 (kind EVENT) | 11 sender(8) | 19 message_id(8)
    if (size - topicSize - 1 < 4 + 2 + 9 + 9)
        return false;
    const std::uint32_t length = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16
        | std::uint32_t(p[3]) << 24;
    if (length < 20 || length > size - topicSize - 1 - 4)
        return false;
    p += 4;
    if (p[0] != 0x08 || p[1] != dronedelivery::v1::EVENT || p[2] != 0x11 || p[11] != 0x19)
        return false;
    std::memcpy(&sender, p + 3, 8);  // fixed64 is little-endian on the wire, as on x86/ARM
    std::memcpy(&sequence, p + 12, 8);
    topic = std::string_view(reinterpret_cast<const char *>(data), topicSize);
    return true;
}

zmq::message_t toMessage(const google::protobuf::MessageLite &message)
{
    const std::size_t size = message.ByteSizeLong();
    zmq::message_t frame(size);
    message.SerializeWithCachedSizesToArray(static_cast<std::uint8_t *>(frame.data()));
    tsanHandOff(frame.data());
    return frame;
}

bool parseMessage(google::protobuf::MessageLite &into, const zmq::message_t &frame)
{
    tsanTakeOver(frame.data());
    return into.ParseFromArray(frame.data(), int(frame.size()));
}

} // namespace dd::net
