// Publisher: sequencing, framing and the replay buffer of lossless streams.
#include "net/pubsub/Publisher.h"

#include "mesh.pb.h"
#include "net/rpc/RpcServer.h"
#include "net/transport/ZmqContext.h"

#include <algorithm>

namespace dd::net {

using namespace dronedelivery::v1;

Publisher::Publisher(std::string source, std::string endpoint, PublisherOptions options)
    : m_source(std::move(source)),
      m_endpoint(std::move(endpoint)),
      m_options(std::move(options)),
      m_socket(ZmqContext::instance(), zmq::socket_type::pub),
      m_senderId(newSenderId()),
      m_nextSequence(std::max<std::uint64_t>(m_options.firstSequence, 1)),
      m_lastSent(m_nextSequence - 1),
      m_replay(m_options.policy == HwmPolicy::Lossless ? m_options.replayCapacity : 1)
{
    int hwm = m_options.sendHighWaterMark;
    if (hwm == 0)
        hwm = m_options.policy == HwmPolicy::Conflate ? 1000 : 1000000;
    m_socket.set(zmq::sockopt::sndhwm, hwm);
    m_socket.set(zmq::sockopt::linger, 0);
    secureServerSocket(m_socket, m_endpoint, m_source, m_options.security);
    bindWithRetry(m_socket, m_endpoint);
    m_endpoint = m_socket.get(zmq::sockopt::last_endpoint);
}

Publisher::~Publisher() = default;

std::uint64_t Publisher::publish(std::string_view topic, std::string_view type,
                                 const google::protobuf::MessageLite &event, const TraceContext &trace)
{
    return publishRaw(topic, type, event.SerializeAsString(), trace);
}

std::uint64_t Publisher::prepare(std::string_view type, const TraceContext &trace)
{
    const std::uint64_t sequence = m_nextSequence++;
    // Only the per-event fields change: no string copies for kind, sender, source.
    if (m_out.kind() != EVENT) {
        m_out.set_kind(EVENT);
        m_out.set_sender_id(m_senderId);
        m_out.set_source(m_source);
    }
    m_out.set_message_id(sequence);
    m_out.set_sequence(sequence);
    if (m_out.method() != type)
        m_out.set_method(std::string(type));
    setTrace(m_out, trace.valid() ? trace : TraceContext{0, 0, 0, 0});
    return sequence;
}

std::uint64_t Publisher::publishRaw(std::string_view topic, std::string_view type, std::string_view payload,
                                    const TraceContext &trace)
{
    const std::uint64_t sequence = prepare(type, trace);
    if (m_options.policy == HwmPolicy::Lossless) {
        StoredEvent stored{sequence, std::string(topic), m_out.SerializeAsString(), std::string(payload)};
        if (m_options.persist)
            m_options.persist(stored);
        m_replay.append(std::move(stored));
    }
    // Topic first in the one frame: SUB prefix filtering matches on it.
    m_socket.send(frame(m_out, payload, topic.empty() ? std::string_view("-") : topic), zmq::send_flags::dontwait);
    m_lastSent.store(sequence, std::memory_order_relaxed);
    return sequence;
}

std::uint64_t Publisher::stage(std::string_view topic, std::string_view type,
                               const google::protobuf::MessageLite &event, const TraceContext &trace)
{
    const std::string payload = event.SerializeAsString();
    const std::uint64_t sequence = prepare(type, trace);
    Staged staged{StoredEvent{sequence, std::string(topic), m_out.SerializeAsString(), payload},
                  frame(m_out, payload, topic.empty() ? std::string_view("-") : topic)};
    try {
        if (m_options.persist)
            m_options.persist(staged.event);
    } catch (...) {
        m_nextSequence = sequence; // not stored, not sent: the number is free again
        throw;
    }
    m_staged.push_back(std::move(staged));
    return sequence;
}

void Publisher::releaseStaged()
{
    for (Staged &staged : m_staged) {
        const std::uint64_t sequence = staged.event.sequence;
        if (m_options.policy == HwmPolicy::Lossless)
            m_replay.append(std::move(staged.event));
        m_socket.send(staged.frame, zmq::send_flags::dontwait);
        m_lastSent.store(sequence, std::memory_order_relaxed);
    }
    m_staged.clear();
}

void Publisher::discardStaged(std::size_t from)
{
    if (from >= m_staged.size())
        return;
    m_nextSequence = m_staged[from].event.sequence;
    m_staged.erase(m_staged.begin() + long(from), m_staged.end());
}

void Publisher::restore(std::vector<StoredEvent> events)
{
    for (auto &event : events) {
        if (event.sequence >= m_nextSequence) {
            m_nextSequence = event.sequence + 1;
            m_lastSent.store(event.sequence, std::memory_order_relaxed);
        }
        m_replay.append(std::move(event));
    }
}

void Publisher::serveReplay(RpcServer &server)
{
    server.handle<ReplayRequest>("Events.Replay", Idempotency::Idempotent,
                                 [this](const CallContext &, const ReplayRequest &request, Responder responder) {
                                     responder.reply(replay(request));
                                 });
}

namespace {
void addEvent(ReplayReply &reply, StoredEvent &event)
{
    auto *out = reply.add_events();
    out->set_topic(std::move(event.topic));
    out->set_envelope(std::move(event.envelope));
    out->set_payload(std::move(event.payload));
}
} // namespace

ReplayReply Publisher::replay(const ReplayRequest &request) const
{
    const std::size_t max = request.max_events() == 0 ? 10000 : std::min<std::uint32_t>(request.max_events(), 50000);
    const std::string &prefix = request.topic_prefix();
    ReplayReply reply;
    const std::uint64_t buffered = m_replay.firstSequence(); // 0: nothing buffered yet
    reply.set_first_available(buffered);
    std::uint64_t from = request.from_sequence();
    const bool fromLog = m_options.history && (buffered == 0 || from < buffered);
    if (fromLog)
        from = replayFromLog(from, buffered, prefix, max, reply);
    // The buffer continues where the log stopped. (Should the publisher evict meanwhile,
    // the subscriber sees the jump, stops there and asks again: the log has the rest.)
    std::uint64_t next = from;
    const std::size_t room = max - std::size_t(reply.events_size());
    if (room > 0 && (!fromLog || buffered == 0 || from >= buffered)) {
        auto recent = m_replay.since(from, prefix, room);
        next = recent.size() < room ? std::max(from, lastSequence() + 1) : recent.back().sequence + 1;
        for (auto &event : recent)
            addEvent(reply, event);
    }
    reply.set_next_sequence(next);
    reply.set_last_sequence(lastSequence());
    return reply;
}

/// Events older than the buffer, from the durable log up to where the buffer starts. With a
/// topic prefix a page of the log may match little: it reads on, but no more than a few pages
/// per request. Returns where the scan stopped (the buffer's start once the log is exhausted).
std::uint64_t Publisher::replayFromLog(std::uint64_t from, std::uint64_t buffered, const std::string &prefix,
                                       std::size_t max, ReplayReply &reply) const
{
    constexpr int kPagesPerReplay = 8;
    const std::uint64_t sent = lastSequence();
    bool logDone = false; // nothing more in the log below the buffer
    bool full = false;
    for (int page = 0; page < kPagesPerReplay && !logDone && !full; ++page) {
        auto older = m_options.history(from, max);
        if (page == 0 && !older.empty() && older.front().sequence <= sent)
            reply.set_first_available(buffered == 0 ? older.front().sequence : std::min(older.front().sequence, buffered));
        logDone = older.size() < max;
        for (auto &event : older) {
            // The log may hold staged events of a transaction not committed yet: never replayed.
            if ((buffered != 0 && event.sequence >= buffered) || event.sequence > sent) {
                logDone = true;
                break;
            }
            if (std::size_t(reply.events_size()) == max) {
                full = true;
                logDone = false; // rows of this page are still unread
                break;
            }
            from = event.sequence + 1;
            if (event.topic.compare(0, prefix.size(), prefix) == 0)
                addEvent(reply, event);
        }
    }
    // A hole in the log just below the buffer is reported by the subscriber as lost (its next
    // request starts there and gets first_available = the buffer's start).
    return logDone ? std::max(from, buffered) : from;
}

} // namespace dd::net
