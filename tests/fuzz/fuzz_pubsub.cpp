// Fuzzes pub/sub: raw frames into a lossless and a conflating Subscriber, and Events.Replay requests to a Publisher.
#include "FuzzMesh.h"

#include "mesh.pb.h"
#include "net/pubsub/Publisher.h"
#include "net/pubsub/Subscriber.h"
#include "net/resilience/FaultInjector.h"
#include "net/rpc/RpcServer.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <atomic>
#include <memory>

using namespace dd::net;
using dd::fuzz::check;
using namespace dronedelivery::v1;

namespace {

constexpr std::uint64_t kFirstLogged = 1;    // the durable log holds 1..61 (without 30: a hole)
constexpr std::uint64_t kFirstBuffered = 62; // the replay buffer 62..69

StoredEvent storedEvent(std::uint64_t sequence)
{
    Envelope envelope;
    envelope.set_kind(EVENT);
    envelope.set_sender_id(77);
    envelope.set_message_id(sequence);
    envelope.set_sequence(sequence);
    envelope.set_source("delivery");
    envelope.set_method("DeliveryCreated");
    return {sequence, sequence % 2 ? "delivery.d-1" : "delivery.d-2", envelope.SerializeAsString(), "payload"};
}

/// A process's event plumbing with the fuzzer on the other side of its sockets.
struct PubSubUnderFuzz
{
    FaultInjector noFaults;
    ServiceLoop loop{"fuzz-pubsub"};
    zmq::socket_t rawPublisher{ZmqContext::instance(), zmq::socket_type::pub};
    std::unique_ptr<Subscriber> lossless;
    std::unique_ptr<Subscriber> conflated;
    std::unique_ptr<Publisher> publisher;
    std::unique_ptr<RpcServer> server;
    std::unique_ptr<dd::fuzz::RawCaller> caller;
    std::atomic<std::uint64_t> handled{0};

    PubSubUnderFuzz()
    {
        rawPublisher.set(zmq::sockopt::linger, 0);
        rawPublisher.set(zmq::sockopt::sndhwm, 0);
        rawPublisher.bind("inproc://fuzz-pubsub-events");
        SubscriberOptions losslessOptions;
        lossless = std::make_unique<Subscriber>(loop, "fuzz-lossless", "fuzz", std::vector<std::string>{"inproc://fuzz-pubsub-events"},
                                                losslessOptions);
        SubscriberOptions conflateOptions;
        conflateOptions.policy = HwmPolicy::Conflate;
        conflated = std::make_unique<Subscriber>(loop, "fuzz-conflated", "fuzz",
                                                 std::vector<std::string>{"inproc://fuzz-pubsub-events"}, conflateOptions);
        for (Subscriber *subscriber : {lossless.get(), conflated.get()}) {
            subscriber->subscribe("");
            subscriber->setHandler([this](const Event &event) {
                (void)event.topic.size();
                (void)event.payload.size();
                handled.fetch_add(1, std::memory_order_relaxed);
            });
        }
        PublisherOptions publisherOptions;
        publisherOptions.replayCapacity = 8;
        publisherOptions.firstSequence = kFirstBuffered;
        publisherOptions.history = [](std::uint64_t from, std::size_t max) {
            std::vector<StoredEvent> events;
            for (std::uint64_t s = std::max(from, kFirstLogged); s < kFirstBuffered && events.size() < max; ++s)
                if (s != 30)
                    events.push_back(storedEvent(s));
            return events;
        };
        publisher = std::make_unique<Publisher>("fuzz-publisher", "inproc://fuzz-pubsub-publisher", publisherOptions);
        for (int i = 0; i < 8; ++i)
            publisher->publishRaw(i % 2 ? "delivery.d-1" : "delivery.d-2", "DeliveryCreated", "payload");
        ServerOptions serverOptions;
        serverOptions.recordSpans = false;
        serverOptions.faults = &noFaults;
        server = std::make_unique<RpcServer>(loop, "fuzz-publisher", "inproc://fuzz-pubsub-replay", serverOptions);
        publisher->serveReplay(*server);
        loop.start();
        caller = std::make_unique<dd::fuzz::RawCaller>(server->endpoint());
        // PUB/SUB joins asynchronously: publish until both subscribers read something.
        Envelope hello;
        hello.set_kind(EVENT);
        hello.set_source("fuzz-hello");
        dd::fuzz::waitFor([&] {
            rawPublisher.send(frame(hello, "hi", "hello"), zmq::send_flags::dontwait);
            return lossless->received() > 0 && conflated->received() > 0;
        }, "subscribers joining", 30);
    }

    std::uint64_t seen(const Subscriber &subscriber) const { return subscriber.received() + subscriber.badFrames(); }
};

PubSubUnderFuzz &pubsub()
{
    static auto *instance = new PubSubUnderFuzz; // lives to process exit: its loop thread must not be joined at exit
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    PubSubUnderFuzz &p = pubsub();
    FuzzedDataProvider input(data, size);

    // Up to 8 frames from a "publisher": each one is read by both subscribers, counted as an event or a bad frame.
    const std::uint64_t losslessBefore = p.seen(*p.lossless);
    const std::uint64_t conflatedBefore = p.seen(*p.conflated);
    const int frames = input.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < frames; ++i) {
        const std::string bytes = input.ConsumeRandomLengthString(512);
        p.rawPublisher.send(zmq::buffer(bytes), zmq::send_flags::none);
    }
    dd::fuzz::waitFor([&] { return p.seen(*p.lossless) >= losslessBefore + frames; }, "the lossless subscriber");
    dd::fuzz::waitFor([&] { return p.seen(*p.conflated) >= conflatedBefore + frames; }, "the conflating subscriber");

    // The rest: an Events.Replay request payload, as a subscriber (or anyone holding a mesh key) sends it.
    const std::string replayRequest = input.ConsumeRemainingBytesAsString();
    Envelope answer;
    std::string payload;
    p.caller->call("Events.Replay", replayRequest, answer, payload);
    ReplayRequest request;
    if (!request.ParseFromString(replayRequest)) {
        check(answer.status() == BAD_REQUEST, "an unparsable replay request not refused");
        return 0;
    }
    check(answer.status() == OK, "a replay request not answered OK");
    ReplayReply reply;
    check(reply.ParseFromString(payload), "a replay reply that does not parse");
    const std::size_t max = request.max_events() == 0 ? 10000 : std::min<std::uint32_t>(request.max_events(), 50000);
    check(std::size_t(reply.events_size()) <= max, "more events than asked for");
    std::uint64_t last = 0;
    for (const auto &event : reply.events()) {
        Envelope envelope;
        check(envelope.ParseFromString(event.envelope()), "a replayed envelope that does not parse");
        check(envelope.sequence() >= request.from_sequence(), "an event before from_sequence");
        check(envelope.sequence() > last, "replayed events out of order");
        check(event.topic().compare(0, request.topic_prefix().size(), request.topic_prefix()) == 0,
              "an event outside the topic prefix");
        last = envelope.sequence();
    }
    check(reply.next_sequence() > last, "next_sequence not after the last event");
    return 0;
}
