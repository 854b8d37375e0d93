// PUB side: topic + envelope + payload frames, a sequence per publisher, an explicit HWM policy.
#pragma once

#include "net/envelope/Envelope.h"
#include "net/pubsub/ReplayBuffer.h"
#include "net/security/SocketSecurity.h"
#include "net/telemetry/TraceContext.h"

#include <google/protobuf/message_lite.h>
#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace dronedelivery::v1 {
class ReplayRequest;
class ReplayReply;
} // namespace dronedelivery::v1

namespace dd::net {

class RpcServer;

/// What happens when a subscriber can't keep up.
enum class HwmPolicy {
    /// Telemetry: a small queue, excess dropped at the publisher; subscribers keep
    /// the latest value per key and count the gaps. Stale positions are worthless.
    Conflate,
    /// Status events: a deep queue, every event kept in a replay buffer, gaps
    /// filled by the subscriber through Events.Replay. Nothing is ever lost.
    Lossless,
};

struct PublisherOptions
{
    HwmPolicy policy = HwmPolicy::Lossless;
    int sendHighWaterMark = 0;             ///< 0: 1,000 for Conflate, 1,000,000 for Lossless
    std::size_t replayCapacity = 100000;   ///< Lossless only
    std::uint64_t firstSequence = 1;       ///< continue a persisted stream after a restart
    SecurityConfig security;
    /// Called for each lossless event before it is sent (or when it is staged): the durable
    /// hook (a service writes it to its store, so a restarted publisher can replay it).
    std::function<void(const StoredEvent &)> persist;
    /// Events older than the replay buffer, read back from that durable log: at most `max`
    /// from sequence `from` on, oldest first. Called on the thread of the server that
    /// answers Events.Replay. With it the buffer need only cover the recent past (and a
    /// console hosting the services keeps megabytes, not tens of them, in memory).
    std::function<std::vector<StoredEvent>(std::uint64_t from, std::size_t max)> history;
};

/// Used from one thread (the owning service's loop); lastSequence() from any.
class Publisher
{
public:
    Publisher(std::string source, std::string endpoint, PublisherOptions options = {});
    ~Publisher();

    /// Returns the event's sequence number.
    std::uint64_t publish(std::string_view topic, std::string_view type, const google::protobuf::MessageLite &event,
                          const TraceContext &trace = {});
    std::uint64_t publishRaw(std::string_view topic, std::string_view type, std::string_view payload,
                             const TraceContext &trace = {});

    /// Lossless events written in a store transaction that is not committed yet: numbered and
    /// handed to `persist` now (into that open transaction), but neither sent nor replayable
    /// until releaseStaged(), which the owner calls once the commit is durable. discardStaged()
    /// forgets them after a rollback and hands their numbers out again: nobody ever heard them,
    /// so no subscriber holds an event the store lost, and no number it heard is used twice.
    /// While events are staged, publish only through stage() (the order is the sequence order).
    std::uint64_t stage(std::string_view topic, std::string_view type, const google::protobuf::MessageLite &event,
                        const TraceContext &trace = {});
    /// Sends every staged event, in order, and adds them to the replay buffer.
    void releaseStaged();
    /// Forgets the staged events from the `from`-th on (0: all of them).
    void discardStaged(std::size_t from = 0);
    std::size_t stagedCount() const { return m_staged.size(); }

    /// Answers "Events.Replay" (ReplayRequest → ReplayReply) on the service's server.
    void serveReplay(RpcServer &server);
    /// Loads already persisted events (after a restart) into the replay buffer.
    void restore(std::vector<StoredEvent> events);

    /// The last sequence sent (staged events not counted).
    std::uint64_t lastSequence() const { return m_lastSent.load(std::memory_order_relaxed); }
    const std::string &endpoint() const { return m_endpoint; }
    const std::string &source() const { return m_source; }
    HwmPolicy policy() const { return m_options.policy; }
    ReplayBuffer &replayBuffer() { return m_replay; }

private:
    dronedelivery::v1::ReplayReply replay(const dronedelivery::v1::ReplayRequest &request) const;
    std::uint64_t replayFromLog(std::uint64_t from, std::uint64_t buffered, const std::string &prefix, std::size_t max,
                                dronedelivery::v1::ReplayReply &reply) const;

    std::string m_source;
    std::string m_endpoint;
    PublisherOptions m_options;
    zmq::socket_t m_socket;
    struct Staged
    {
        StoredEvent event;
        zmq::message_t frame; ///< framed at stage(), sent as is
    };
    /// Numbers the event and fills m_out for it.
    std::uint64_t prepare(std::string_view type, const TraceContext &trace);

    std::uint64_t m_senderId;
    std::uint64_t m_nextSequence; ///< owning thread only
    std::atomic<std::uint64_t> m_lastSent;
    std::vector<Staged> m_staged;
    Envelope m_out;
    ReplayBuffer m_replay;
};

} // namespace dd::net
