// SUB side: topic filters, per-publisher sequence tracking, gap counting, conflation or replay.
#pragma once

#include "net/envelope/Envelope.h"
#include "net/pubsub/Publisher.h"
#include "net/security/SocketSecurity.h"
#include "net/transport/ServiceLoop.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace dd::net {

class RpcClient;

struct Event
{
    std::string_view topic;
    const Envelope &envelope;
    std::string_view payload;
    bool replayed = false; ///< came from Events.Replay, not the live stream
};

/// A Lossless stream could not be replayed from where the subscriber stood: the publisher
/// no longer has events `missingFrom` … `resumedAt - 1` (pruned by retention, or evicted
/// from a publisher without a durable log). The stream goes on at `resumedAt`; whatever the
/// subscriber derives from the events (a view, a cache) should be taken again from a snapshot.
struct StreamReset
{
    std::string source;        ///< the publishing service
    std::uint64_t missingFrom = 0;
    std::uint64_t resumedAt = 0;
};

struct SubscriberOptions
{
    HwmPolicy policy = HwmPolicy::Lossless;
    int receiveHighWaterMark = 0; ///< 0: 10,000 for Conflate, 1,000,000 for Lossless
    SecurityConfig security;
};

/// Lives on a ServiceLoop. Lossless: events reach the handler exactly once and in
/// sequence order per publisher; a gap is counted and filled through the
/// publisher's Events.Replay (when a replay client is set). Conflate: each batch
/// read from the socket is reduced to the latest event per topic.
class Subscriber
{
public:
    using Handler = std::function<void(const Event &)>;

    Subscriber(ServiceLoop &loop, std::string name, std::string publisherService, std::vector<std::string> endpoints,
               SubscriberOptions options = {});
    ~Subscriber();

    void subscribe(const std::string &topicPrefix);
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    /// Told of every StreamReset, on the loop, before the first event after it is handled.
    void setResetHandler(std::function<void(const StreamReset &)> handler) { m_resetHandler = std::move(handler); }
    /// Lossless gap filling: a client of the publishing service.
    void setReplayClient(RpcClient *client) { m_replayClient = client; }
    /// Continue a stream after a restart: events up to `lastSeen` were handled
    /// already; anything newer is fetched through the replay client now.
    void resumeFrom(const std::string &source, std::uint64_t lastSeen);

    std::uint64_t received() const { return m_received.load(std::memory_order_relaxed); }
    std::uint64_t delivered() const { return m_delivered.load(std::memory_order_relaxed); }
    std::uint64_t gaps() const { return m_gaps.load(std::memory_order_relaxed); }          ///< events found missing
    std::uint64_t recovered() const { return m_recovered.load(std::memory_order_relaxed); } ///< missing events replayed
    /// Replays that found their events gone (StreamReset): counted apart from gaps, which are
    /// losses found on the live stream, most of them filled by a replay.
    std::uint64_t resets() const { return m_resets.load(std::memory_order_relaxed); }
    std::uint64_t duplicates() const { return m_duplicates.load(std::memory_order_relaxed); }
    std::uint64_t badFrames() const { return m_badFrames.load(std::memory_order_relaxed); }
    std::uint64_t lastSequence(const std::string &source) const;

private:
    struct Buffered
    {
        std::string topic;
        Envelope envelope;
        std::string payload;
    };
    struct Stream
    {
        std::uint64_t expected = 0; ///< 0: take the first event as the start
        std::map<std::uint64_t, Buffered> ahead;
        bool replaying = false;
    };

    void onReadable();
    void onLossless(std::string_view topic, const Envelope &envelope, std::string_view payload);
    void deliver(std::string_view topic, const Envelope &envelope, std::string_view payload, bool replayed);
    void drainAhead(Stream &stream);
    void requestReplay(const std::string &source, Stream &stream);
    bool subscribed(std::string_view topic) const;

    ServiceLoop &m_loop;
    std::string m_name;
    std::string m_publisherService;
    SubscriberOptions m_options;
    zmq::socket_t m_socket;
    Handler m_handler;
    std::function<void(const StreamReset &)> m_resetHandler;
    RpcClient *m_replayClient = nullptr;
    std::vector<std::string> m_prefixes; ///< what subscribe() asked for: replays are filtered by it too
    std::unordered_map<std::string, Stream> m_streams;
    struct TopicHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Latest
    {
        zmq::message_t message; ///< the newest frame of this topic in the current batch
        bool dirty = false;
    };
    // Conflation: one slot per topic, kept across batches so a batch allocates nothing.
    std::unordered_map<std::string, Latest, TopicHash, std::equal_to<>> m_latest;
    std::vector<Latest *> m_dirty;
    // Conflated streams are tracked per publisher instance (its sender id): cheaper
    // than by name, and a restarted publisher simply starts a new stream.
    std::unordered_map<std::uint64_t, Stream> m_senderStreams;
    std::uint64_t m_lastSender = 0;
    Stream *m_lastStream = nullptr;
    Envelope m_in;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);

    std::atomic<std::uint64_t> m_received{0};
    std::atomic<std::uint64_t> m_delivered{0};
    std::atomic<std::uint64_t> m_gaps{0};
    std::atomic<std::uint64_t> m_recovered{0};
    std::atomic<std::uint64_t> m_resets{0};
    std::atomic<std::uint64_t> m_duplicates{0};
    std::atomic<std::uint64_t> m_badFrames{0};
    std::atomic<std::uint64_t> *m_gapCounter;
    std::atomic<std::uint64_t> *m_resetCounter;
};

} // namespace dd::net
