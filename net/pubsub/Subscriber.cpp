// Subscriber: ordering, gap detection and recovery for lossless streams; conflation for telemetry.
#include "net/pubsub/Subscriber.h"

#include "mesh.pb.h"
#include "net/rpc/RpcClient.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSubscriber, "dd.net.pubsub")

namespace dd::net {

using namespace dronedelivery::v1;

namespace {
void bump(std::atomic<std::uint64_t> &counter, std::uint64_t by = 1)
{
    counter.fetch_add(by, std::memory_order_relaxed);
}
} // namespace

Subscriber::Subscriber(ServiceLoop &loop, std::string name, std::string publisherService,
                       std::vector<std::string> endpoints, SubscriberOptions options)
    : m_loop(loop),
      m_name(std::move(name)),
      m_publisherService(std::move(publisherService)),
      m_options(std::move(options)),
      m_socket(loop.context(), zmq::socket_type::sub),
      m_gapCounter(&MetricsRegistry::global().counter("pubsub_gaps_total", m_name)),
      m_resetCounter(&MetricsRegistry::global().counter("pubsub_resets_total", m_name))
{
    int hwm = m_options.receiveHighWaterMark;
    if (hwm == 0)
        hwm = m_options.policy == HwmPolicy::Conflate ? 10000 : 1000000;
    m_socket.set(zmq::sockopt::rcvhwm, hwm);
    m_socket.set(zmq::sockopt::linger, 0);
    m_socket.set(zmq::sockopt::maxmsgsize, kMaxMessageBytes);
    for (const auto &endpoint : endpoints) {
        secureClientSocket(m_socket, endpoint, m_publisherService, m_options.security);
        m_socket.connect(endpoint);
    }
    loop.addSocket(m_socket, [this] { onReadable(); });
}

Subscriber::~Subscriber()
{
    *m_alive = false;
    m_loop.removeSocket(m_socket);
}

void Subscriber::subscribe(const std::string &topicPrefix)
{
    m_socket.set(zmq::sockopt::subscribe, topicPrefix);
    m_prefixes.push_back(topicPrefix);
}

bool Subscriber::subscribed(std::string_view topic) const
{
    for (const auto &prefix : m_prefixes)
        if (topic.starts_with(prefix))
            return true;
    return false;
}

std::uint64_t Subscriber::lastSequence(const std::string &source) const
{
    auto it = m_streams.find(source);
    return it == m_streams.end() || it->second.expected == 0 ? 0 : it->second.expected - 1;
}

void Subscriber::resumeFrom(const std::string &source, std::uint64_t lastSeen)
{
    Stream &stream = m_streams[source];
    stream.expected = lastSeen + 1;
    requestReplay(source, stream);
}

void Subscriber::onReadable()
{
    zmq::message_t message, extra;
    std::string_view topic, payload;
    const bool conflate = m_options.policy == HwmPolicy::Conflate;
    for (int batch = 0; batch < 4096; ++batch) {
        if (!m_socket.recv(message, zmq::recv_flags::dontwait))
            break;
        bool ok = true;
        bool more = message.more();
        while (more) { // one frame per event in this protocol
            (void)m_socket.recv(extra);
            more = extra.more();
            ok = false;
        }
        if (ok && conflate) {
            // Telemetry: only the header is read here; the newest event per topic is
            // parsed once, when the batch is delivered.
            std::uint64_t sender = 0, sequence = 0;
            if (!peekEvent(message, topic, sender, sequence)) {
                if (!unframe(message, m_in, payload, &topic) || m_in.kind() != EVENT) {
                    bump(m_badFrames);
                    continue;
                }
                sender = m_in.sender_id();
                sequence = m_in.sequence();
            }
            bump(m_received);
            if (sender != m_lastSender || !m_lastStream) {
                m_lastSender = sender;
                m_lastStream = &m_senderStreams[sender];
            }
            Stream &stream = *m_lastStream;
            if (stream.expected != 0 && sequence > stream.expected) {
                const std::uint64_t missing = sequence - stream.expected;
                bump(m_gaps, missing);
                m_gapCounter->fetch_add(missing, std::memory_order_relaxed);
            }
            if (sequence >= stream.expected)
                stream.expected = sequence + 1;
            auto it = m_latest.find(topic);
            if (it == m_latest.end())
                it = m_latest.emplace(std::string(topic), Latest{}).first;
            Latest &latest = it->second;
            latest.message.move(message);
            if (!latest.dirty) {
                latest.dirty = true;
                m_dirty.push_back(&latest);
            }
            continue;
        }
        if (!ok || !unframe(message, m_in, payload, &topic) || m_in.kind() != EVENT) {
            bump(m_badFrames);
            continue;
        }
        bump(m_received);
        onLossless(topic, m_in, payload);
    }
    if (conflate && !m_dirty.empty()) {
        for (Latest *latest : m_dirty) {
            latest->dirty = false;
            if (unframe(latest->message, m_in, payload, &topic) && m_in.kind() == EVENT)
                deliver(topic, m_in, payload, false);
            else
                bump(m_badFrames); // passed the header check, not the full parse
        }
        m_dirty.clear();
    }
}

void Subscriber::onLossless(std::string_view topic, const Envelope &envelope, std::string_view payload)
{
    Stream &stream = m_streams[envelope.source()];
    const std::uint64_t sequence = envelope.sequence();
    if (stream.expected == 0)
        stream.expected = sequence; // first contact: the stream starts here
    if (sequence < stream.expected) {
        bump(m_duplicates);
        return;
    }
    if (sequence == stream.expected && !stream.replaying) {
        deliver(topic, envelope, payload, false);
        ++stream.expected;
        drainAhead(stream);
        return;
    }
    // Ahead of what we have: hold it, and fetch what is missing.
    if (!stream.ahead.count(sequence)) {
        if (!stream.replaying && stream.ahead.empty()) {
            const std::uint64_t missing = sequence - stream.expected;
            bump(m_gaps, missing);
            m_gapCounter->fetch_add(missing, std::memory_order_relaxed);
        }
        stream.ahead.emplace(sequence, Buffered{std::string(topic), envelope, std::string(payload)});
    }
    if (m_replayClient) {
        requestReplay(envelope.source(), stream);
    } else {
        // Nobody to ask: accept the loss (counted) rather than stall forever.
        stream.expected = stream.ahead.begin()->first;
        drainAhead(stream);
    }
}

void Subscriber::deliver(std::string_view topic, const Envelope &envelope, std::string_view payload, bool replayed)
{
    bump(m_delivered);
    if (m_handler)
        m_handler(Event{topic, envelope, payload, replayed});
}

void Subscriber::drainAhead(Stream &stream)
{
    while (!stream.ahead.empty()) {
        auto it = stream.ahead.begin();
        if (it->first < stream.expected) {
            stream.ahead.erase(it);
            continue;
        }
        if (it->first != stream.expected)
            break;
        Buffered event = std::move(it->second);
        stream.ahead.erase(it);
        deliver(event.topic, event.envelope, event.payload, false);
        ++stream.expected;
    }
}

void Subscriber::requestReplay(const std::string &source, Stream &stream)
{
    if (stream.replaying || !m_replayClient)
        return;
    stream.replaying = true;
    ReplayRequest request;
    request.set_from_sequence(stream.expected);
    request.set_max_events(10000);
    CallOptions options;
    options.idempotent = true;
    m_replayClient->call<ReplayReply>(
        "Events.Replay", request, options, [this, alive = m_alive, source](RpcResult<ReplayReply> &&result) {
            if (!*alive)
                return;
            Stream &stream = m_streams[source];
            stream.replaying = false;
            if (!result.ok()) {
                qCWarning(lcSubscriber).noquote() << QString::fromStdString(m_name) << "replay from"
                                                  << QString::fromStdString(source) << "failed:"
                                                  << QString::fromStdString(result.status.toString());
                // Hold what is ahead and ask again shortly (or sooner, on the next live event).
                m_loop.after(500 * kMillis, [this, alive, source] {
                    if (!*alive)
                        return;
                    Stream &stream = m_streams[source];
                    if (!stream.ahead.empty() || m_replayClient)
                        requestReplay(source, stream);
                });
                return;
            }
            const ReplayReply &reply = result.value;
            if (reply.first_available() > stream.expected && stream.expected != 0) {
                qCWarning(lcSubscriber) << m_name.c_str() << "events" << stream.expected << "to"
                                        << reply.first_available() - 1
                                        << "are gone from the replay buffer: the stream is reset there";
                const StreamReset reset{source, stream.expected, reply.first_available()};
                stream.expected = reply.first_available();
                bump(m_resets);
                m_resetCounter->fetch_add(1, std::memory_order_relaxed);
                if (m_resetHandler)
                    m_resetHandler(reset);
                if (!*alive) // the handler may have destroyed us
                    return;
            }
            Envelope envelope;
            for (const auto &event : reply.events()) {
                if (!envelope.ParseFromString(event.envelope()) || envelope.sequence() < stream.expected)
                    continue;
                if (envelope.sequence() != stream.expected)
                    break;
                // A replay carries every topic; the SUB socket's filter never saw these, so apply it
                // here. Unwanted events still advance the stream: they are not missing.
                if (subscribed(event.topic())) {
                    deliver(event.topic(), envelope, event.payload(), true);
                    bump(m_recovered);
                }
                ++stream.expected;
            }
            drainAhead(stream);
            // More missing than one reply carried: keep going.
            if (stream.expected <= reply.last_sequence() && !reply.events().empty()
                && (stream.ahead.empty() || stream.ahead.begin()->first > stream.expected))
                requestReplay(source, stream);
        });
}

} // namespace dd::net
