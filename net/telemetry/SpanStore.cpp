// Span store: per-thread ring shards owned by the store, found through a thread_local cache.
#include "net/telemetry/SpanStore.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <thread>

namespace dd::net {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

std::atomic<std::uint64_t> g_nextStoreId{1}; // 0 marks an empty cache entry

// Copies at most size-1 bytes without splitting a UTF-8 sequence, then terminates.
template <std::size_t N>
void copyTruncated(char (&dest)[N], std::string_view text)
{
    std::size_t n = std::min(text.size(), N - 1);
    if (n < text.size()) {
        // Back off continuation bytes (10xxxxxx) so the cut lands on a character start.
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
            --n;
    }
    std::memcpy(dest, text.data(), n);
    std::memset(dest + n, 0, N - n);
}

template <std::size_t N>
std::string_view viewOf(const char (&text)[N])
{
    return std::string_view(text, std::size_t(std::find(text, text + N, '\0') - text));
}
} // namespace

const char *toString(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Client: return "client";
    case SpanKind::Server: return "server";
    case SpanKind::Internal: return "internal";
    case SpanKind::Producer: return "producer";
    case SpanKind::Consumer: return "consumer";
    }
    return "unknown";
}

void Span::setName(std::string_view name)
{
    copyTruncated(nameBuf, name);
}

void Span::setService(std::string_view service)
{
    copyTruncated(serviceBuf, service);
}

std::string_view Span::name() const
{
    return viewOf(nameBuf);
}

std::string_view Span::service() const
{
    return viewOf(serviceBuf);
}

struct SpanStore::Shard
{
    Shard(std::size_t slots, std::thread::id ownerThread)
        // for_overwrite: untouched slots cost no resident memory until first written.
        : ring(std::make_unique_for_overwrite<Span[]>(slots)), capacity(slots), owner(ownerThread)
    {
    }

    std::size_t retained() const { return std::size_t(std::min<std::uint64_t>(written.load(kRelaxed), capacity)); }
    /// Index of the i-th oldest retained span.
    std::size_t slot(std::size_t i) const
    {
        const std::size_t oldest = written.load(kRelaxed) > capacity ? next : 0;
        return (oldest + i) % capacity;
    }

    std::mutex mutex; // taken by the owner on record and by readers: uncontended in practice
    std::unique_ptr<Span[]> ring;
    const std::size_t capacity;
    std::thread::id owner;
    std::size_t next = 0;                  // slot the next record goes to
    std::atomic<std::uint64_t> written{0}; // since clear(); atomic so recorded() needs no lock
};

SpanStore::SpanStore(std::size_t capacityPerThread)
    : m_id(g_nextStoreId.fetch_add(1, kRelaxed)), m_capacity(std::max<std::size_t>(1, capacityPerThread))
{
}

SpanStore::~SpanStore() = default;

SpanStore::Shard &SpanStore::shardForThisThread()
{
    const auto self = std::this_thread::get_id();
    std::lock_guard lock(m_shardsMutex);
    // A thread id can be reused after its thread exits; taking over the dead thread's
    // ring is fine since only one live thread can own that id.
    for (const auto &shard : m_shards) {
        if (shard->owner == self)
            return *shard;
    }
    m_shards.push_back(std::make_unique<Shard>(m_capacity, self));
    return *m_shards.back();
}

SpanStore::Shard &SpanStore::localShard()
{
    // A few entries suffice: threads normally record into the global store only; tests
    // with more stores fall back to the (rarely taken) registry lookup.
    struct Entry
    {
        std::uint64_t storeId;
        Shard *shard;
    };
    constexpr std::size_t kEntries = 4;
    thread_local std::array<Entry, kEntries> cache{};
    thread_local std::size_t victim = 0;
    for (const auto &entry : cache) {
        if (entry.storeId == m_id)
            return *entry.shard;
    }
    Shard &shard = shardForThisThread();
    cache[victim] = {m_id, &shard};
    victim = (victim + 1) % kEntries;
    return shard;
}

void SpanStore::record(const Span &span)
{
    Shard &shard = localShard();
    std::lock_guard lock(shard.mutex);
    shard.ring[shard.next] = span;
    if (++shard.next == shard.capacity)
        shard.next = 0;
    shard.written.store(shard.written.load(kRelaxed) + 1, kRelaxed);
}

std::vector<Span> SpanStore::trace(std::uint64_t traceIdHi, std::uint64_t traceIdLo) const
{
    std::vector<Span> result;
    {
        std::lock_guard registryLock(m_shardsMutex);
        for (const auto &shard : m_shards) {
            std::lock_guard lock(shard->mutex);
            const std::size_t n = shard->retained();
            for (std::size_t i = 0; i < n; ++i) {
                const Span &span = shard->ring[i];
                if (span.traceIdLo == traceIdLo && span.traceIdHi == traceIdHi)
                    result.push_back(span);
            }
        }
    }
    // Slot order is irrelevant here (the sort decides), so the scan above simply walks
    // the filled part of each ring; ties broken by span id for a stable answer.
    std::sort(result.begin(), result.end(), [](const Span &a, const Span &b) {
        return a.start != b.start ? a.start < b.start : a.spanId < b.spanId;
    });
    return result;
}

std::vector<Span> SpanStore::recent(std::size_t max) const
{
    std::vector<Span> result;
    if (max == 0)
        return result;
    {
        std::lock_guard registryLock(m_shardsMutex);
        for (const auto &shard : m_shards) {
            std::lock_guard lock(shard->mutex);
            // A thread records a span when it ends, so its newest `max` are the ring's tail.
            const std::size_t n = shard->retained();
            const std::size_t from = n > max ? n - max : 0;
            for (std::size_t i = from; i < n; ++i)
                result.push_back(shard->ring[shard->slot(i)]);
        }
    }
    const auto newerFirst = [](const Span &a, const Span &b) {
        const Micros endA = a.start + a.duration, endB = b.start + b.duration;
        return endA != endB ? endA > endB : a.spanId > b.spanId;
    };
    if (result.size() > max) {
        std::partial_sort(result.begin(), result.begin() + std::ptrdiff_t(max), result.end(), newerFirst);
        result.resize(max);
    } else {
        std::sort(result.begin(), result.end(), newerFirst);
    }
    return result;
}

std::uint64_t SpanStore::recorded() const
{
    std::lock_guard registryLock(m_shardsMutex);
    std::uint64_t total = 0;
    for (const auto &shard : m_shards)
        total += shard->written.load(kRelaxed);
    return total;
}

void SpanStore::clear()
{
    std::lock_guard registryLock(m_shardsMutex);
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->next = 0;
        shard->written.store(0, kRelaxed);
    }
}

SpanStore &SpanStore::global()
{
    static SpanStore *const store = new SpanStore(kGlobalCapacityPerThread);
    return *store;
}

} // namespace dd::net
