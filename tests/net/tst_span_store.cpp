// Tests of SpanStore: per-thread shards queried by trace id, ring overwrite, clear, several stores.
#include "net/resilience/Random.h"
#include "net/telemetry/SpanStore.h"
#include "net/telemetry/TraceContext.h"

#include <QtTest>

#include <memory>
#include <set>
#include <thread>
#include <vector>

using namespace dd::net;

namespace {
Span makeSpan(const TraceContext &context, std::uint64_t parent, std::string_view name, Micros start,
              Micros duration = 10)
{
    Span span{};
    span.traceIdHi = context.traceIdHi;
    span.traceIdLo = context.traceIdLo;
    span.spanId = context.spanId;
    span.parentSpanId = parent;
    span.setName(name);
    span.setService("scheduler");
    span.kind = SpanKind::Client;
    span.start = start;
    span.duration = duration;
    return span;
}
} // namespace

class TestSpanStore : public QObject
{
    Q_OBJECT

private slots:
    void namesAreTruncatedAndTerminated()
    {
        Span span{};
        span.setName("Delivery.Create");
        QCOMPARE(span.name(), std::string_view("Delivery.Create"));
        const std::string longName(100, 'x');
        span.setName(longName);
        QCOMPARE(span.name().size(), sizeof(span.nameBuf) - 1);
        QCOMPARE(span.nameBuf[sizeof(span.nameBuf) - 1], '\0');
        span.setService("a-service-name-that-is-much-too-long");
        QCOMPARE(span.service(), std::string_view("a-service-name-that-is-"));
        // 46 ASCII bytes then a 2-byte 'é' would end at byte 48: it must be dropped whole.
        span.setName(std::string(46, 'a') + "\xC3\xA9" + "b");
        QCOMPARE(span.name(), std::string_view(std::string(46, 'a')));
        span.setName("");
        QVERIFY(span.name().empty());
        QCOMPARE(toString(SpanKind::Server), "server");
        QCOMPARE(toString(SpanKind::Consumer), "consumer");
    }

    void queryByTraceAcrossThreads()
    {
        SpanStore store(1024);
        SeededRandom rng(11);
        const TraceContext traceA = TraceContext::newRoot(rng);
        const TraceContext traceB = TraceContext::newRoot(rng);
        // Child contexts prepared up front so the threads need no shared generator.
        std::vector<TraceContext> childrenA, childrenB;
        for (int i = 0; i < 200; ++i) {
            childrenA.push_back(traceA.child(rng));
            childrenB.push_back(traceB.child(rng));
        }
        // Each thread records half of each trace, interleaved, with decreasing start
        // times so that the sort (not the arrival order) decides the answer.
        auto work = [&](int parity) {
            for (int i = parity; i < 200; i += 2) {
                store.record(makeSpan(childrenA[i], traceA.spanId, "A", 10000 - i));
                store.record(makeSpan(childrenB[i], traceB.spanId, "B", 20000 - i));
            }
        };
        std::thread t1(work, 0), t2(work, 1);
        t1.join();
        t2.join();
        // Both recording threads have exited: their spans must still be there.
        QCOMPARE(store.recorded(), 400u);

        const auto spansA = store.trace(traceA.traceIdHi, traceA.traceIdLo);
        QCOMPARE(spansA.size(), std::size_t(200));
        std::set<std::uint64_t> ids;
        for (std::size_t i = 0; i < spansA.size(); ++i) {
            QCOMPARE(spansA[i].name(), std::string_view("A"));
            QCOMPARE(spansA[i].parentSpanId, traceA.spanId);
            if (i > 0)
                QVERIFY(spansA[i - 1].start <= spansA[i].start);
            ids.insert(spansA[i].spanId);
        }
        QCOMPARE(ids.size(), std::size_t(200));
        QCOMPARE(spansA.front().start, Micros(10000 - 199));
        QCOMPARE(spansA.back().start, Micros(10000));

        QCOMPARE(store.trace(traceB.traceIdHi, traceB.traceIdLo).size(), std::size_t(200));
        QVERIFY(store.trace(traceA.traceIdHi, traceB.traceIdLo).empty()); // both halves must match
        QVERIFY(store.trace(0, 0).empty());
    }

    void ringOverwritesOldest()
    {
        SpanStore store(8);
        SeededRandom rng(3);
        const TraceContext trace = TraceContext::newRoot(rng);
        for (int i = 0; i < 20; ++i)
            store.record(makeSpan(trace.child(rng), trace.spanId, "step", 1000 + i));
        QCOMPARE(store.recorded(), 20u);
        const auto spans = store.trace(trace.traceIdHi, trace.traceIdLo);
        QCOMPARE(spans.size(), std::size_t(8));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(spans[i].start, Micros(1000 + 12 + i)); // the 8 newest survive

        // recent(): newest first, limited, across overwrite wrap-around.
        const auto latest = store.recent(3);
        QCOMPARE(latest.size(), std::size_t(3));
        QCOMPARE(latest[0].start, Micros(1019));
        QCOMPARE(latest[1].start, Micros(1018));
        QCOMPARE(latest[2].start, Micros(1017));
        QCOMPARE(store.recent(100).size(), std::size_t(8));
        QVERIFY(store.recent(0).empty());
    }

    void ringOverwriteInAnotherThreadOnly()
    {
        // One thread overflowing its ring must not evict another thread's spans.
        SpanStore store(4);
        SeededRandom rng(8);
        const TraceContext quiet = TraceContext::newRoot(rng);
        const TraceContext busy = TraceContext::newRoot(rng);
        store.record(makeSpan(quiet, 0, "quiet", 1));
        std::thread noisy([&] {
            for (int i = 0; i < 100; ++i)
                store.record(makeSpan(busy, 0, "busy", 100 + i));
        });
        noisy.join();
        QCOMPARE(store.trace(quiet.traceIdHi, quiet.traceIdLo).size(), std::size_t(1));
        QCOMPARE(store.trace(busy.traceIdHi, busy.traceIdLo).size(), std::size_t(4));
        QCOMPARE(store.recorded(), 101u);
    }

    void recentMergesThreadsByEndTime()
    {
        SpanStore store(16);
        SeededRandom rng(4);
        const TraceContext t = TraceContext::newRoot(rng);
        store.record(makeSpan(t, 0, "long", 0, 500)); // ends at 500
        std::thread other([&] {
            store.record(makeSpan(t, 0, "short", 100, 50)); // ends at 150
            store.record(makeSpan(t, 0, "late", 400, 200)); // ends at 600
        });
        other.join();
        const auto latest = store.recent(2);
        QCOMPARE(latest.size(), std::size_t(2));
        QCOMPARE(latest[0].name(), std::string_view("late"));
        QCOMPARE(latest[1].name(), std::string_view("long"));
    }

    void clearForgetsEverything()
    {
        SpanStore store(8);
        SeededRandom rng(5);
        const TraceContext trace = TraceContext::newRoot(rng);
        for (int i = 0; i < 12; ++i)
            store.record(makeSpan(trace, 0, "x", i));
        std::thread t([&] { store.record(makeSpan(trace, 0, "y", 100)); });
        t.join();
        store.clear();
        QCOMPARE(store.recorded(), 0u);
        QVERIFY(store.trace(trace.traceIdHi, trace.traceIdLo).empty());
        QVERIFY(store.recent(10).empty());
        // Usable again, and old slots do not resurface.
        store.record(makeSpan(trace, 0, "after", 50));
        const auto spans = store.trace(trace.traceIdHi, trace.traceIdLo);
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].name(), std::string_view("after"));
        QCOMPARE(store.recent(10).size(), std::size_t(1));
    }

    void severalStoresStayApart()
    {
        // More stores than the per-thread cache has entries, used from the same threads.
        SeededRandom rng(6);
        const TraceContext trace = TraceContext::newRoot(rng);
        std::vector<std::unique_ptr<SpanStore>> stores;
        for (int i = 0; i < 7; ++i)
            stores.push_back(std::make_unique<SpanStore>(64));
        auto work = [&](Micros base) {
            for (int round = 0; round < 3; ++round) {
                for (std::size_t s = 0; s < stores.size(); ++s)
                    stores[s]->record(makeSpan(trace, 0, "s", base + Micros(s)));
            }
        };
        std::thread t1(work, 0), t2(work, 1000);
        t1.join();
        t2.join();
        work(2000); // and the main thread
        for (std::size_t s = 0; s < stores.size(); ++s) {
            const auto spans = stores[s]->trace(trace.traceIdHi, trace.traceIdLo);
            QCOMPARE(spans.size(), std::size_t(9));
            for (const auto &span : spans)
                QCOMPARE(span.start % 1000, Micros(s));
            QCOMPARE(stores[s]->recorded(), 9u);
        }
    }

    void aStoreReplacingADestroyedOneStartsEmpty()
    {
        // The thread's cache still names the dead store; the new one (possibly at the
        // same address) must not inherit its shard.
        SeededRandom rng(9);
        const TraceContext trace = TraceContext::newRoot(rng);
        auto first = std::make_unique<SpanStore>(16);
        first->record(makeSpan(trace, 0, "old", 1));
        first.reset();
        auto second = std::make_unique<SpanStore>(16);
        QVERIFY(second->trace(trace.traceIdHi, trace.traceIdLo).empty());
        second->record(makeSpan(trace, 0, "new", 2));
        const auto spans = second->trace(trace.traceIdHi, trace.traceIdLo);
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].name(), std::string_view("new"));
    }

    void globalIsASingleton()
    {
        QCOMPARE(&SpanStore::global(), &SpanStore::global());
        QCOMPARE(SpanStore::global().capacityPerThread(), SpanStore::kGlobalCapacityPerThread);
    }
};

QTEST_APPLESS_MAIN(TestSpanStore)
#include "tst_span_store.moc"
