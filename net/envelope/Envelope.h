// Building, reading and framing the envelope that leads every message on the wire.
#pragma once

#include "envelope.pb.h"
#include "net/resilience/Clock.h"
#include "net/telemetry/TraceContext.h"

#include <zmq.hpp>

#include <cstdint>
#include <string_view>

namespace dd::net {

using Envelope = dronedelivery::v1::Envelope;
using StatusCode = dronedelivery::v1::StatusCode;

/// Largest message any socket accepts (ZMQ_MAXMSGSIZE): bigger frames are cut
/// by libzmq before they reach us.
constexpr std::int64_t kMaxMessageBytes = 4 * 1024 * 1024;

/// A random id per message source: (senderId, messageId) is unique across
/// processes and restarts.
std::uint64_t newSenderId();

TraceContext traceOf(const Envelope &envelope);
void setTrace(Envelope &envelope, const TraceContext &parent);

/// The wire format of one message is a single frame: a 4-byte little-endian
/// envelope length, the serialised Envelope, then the payload bytes. One frame
/// instead of two halves the per-message work in libzmq, and the payload is
/// read in place (no copy). Pub/sub frames start with the topic and a NUL so
/// SUB prefix filtering still works on the topic.
zmq::message_t frame(const Envelope &envelope, std::string_view payload, std::string_view topic = {});
/// Splits a frame; false for anything malformed (short, bad length, bad envelope).
bool unframe(const zmq::message_t &message, Envelope &envelope, std::string_view &payload,
             std::string_view *topic = nullptr);

/// Reads only what a conflating subscriber needs per event (topic, publisher,
/// sequence) from the front of an event frame, without parsing the envelope:
/// the generated serializer writes kind, sender_id and message_id (= sequence
/// for events) first. False if the frame does not start that way; the caller
/// then falls back to unframe().
bool peekEvent(const zmq::message_t &message, std::string_view &topic, std::uint64_t &sender, std::uint64_t &sequence);

/// Serialises into a zmq message without an intermediate std::string.
zmq::message_t toMessage(const google::protobuf::MessageLite &message);
bool parseMessage(google::protobuf::MessageLite &into, const zmq::message_t &frame);

inline std::string_view view(const zmq::message_t &frame)
{
    return {static_cast<const char *>(frame.data()), frame.size()};
}

} // namespace dd::net
