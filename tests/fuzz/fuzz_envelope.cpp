// Fuzzes the wire frame decoder (net/envelope): unframe with and without a topic, and peekEvent.
#include "FuzzCheck.h"
#include "net/envelope/Envelope.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace dd::net;

namespace {
/// What was decoded must frame again and decode to the same envelope and payload.
void roundTrips(const Envelope &envelope, std::string_view payload, std::string_view topic)
{
    const zmq::message_t again = frame(envelope, payload, topic);
    Envelope back;
    std::string_view payloadBack, topicBack;
    DD_FUZZ_CHECK(unframe(again, back, payloadBack, topic.empty() ? nullptr : &topicBack));
    DD_FUZZ_CHECK(payloadBack == payload);
    DD_FUZZ_CHECK(topic.empty() || topicBack == topic);
    DD_FUZZ_CHECK(back.SerializeAsString() == envelope.SerializeAsString());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const zmq::message_t message(data, size); // what a socket hands the RPC server or a subscriber
    const char *begin = static_cast<const char *>(message.data());
    const auto inside = [&](std::string_view part) {
        return part.empty() || (part.data() >= begin && part.data() + part.size() <= begin + size);
    };

    Envelope request;
    std::string_view payload;
    if (unframe(message, request, payload)) {
        DD_FUZZ_CHECK(inside(payload));
        roundTrips(request, payload, {});
    }

    Envelope event;
    std::string_view topic, eventPayload;
    const bool framed = unframe(message, event, eventPayload, &topic);
    if (framed) {
        DD_FUZZ_CHECK(inside(topic) && inside(eventPayload));
        DD_FUZZ_CHECK(std::memchr(topic.data(), 0, topic.size()) == nullptr);
        if (!topic.empty())
            roundTrips(event, eventPayload, topic);
    }

    std::string_view peekedTopic;
    std::uint64_t sender = 0, sequence = 0;
    if (peekEvent(message, peekedTopic, sender, sequence)) {
        DD_FUZZ_CHECK(inside(peekedTopic));
        if (framed) // both read the same topic from the front of the frame
            DD_FUZZ_CHECK(peekedTopic == topic);
    }
    return 0;
}
