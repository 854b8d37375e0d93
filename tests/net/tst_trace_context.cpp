// Tests of TraceContext: W3C traceparent round trip, strict rejection of malformed headers, child spans.
#include "net/resilience/Random.h"
#include "net/telemetry/TraceContext.h"

#include <QtTest>

#include <set>
#include <string>

using namespace dd::net;

namespace {
// The example of the W3C recommendation.
constexpr const char *kW3cExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
} // namespace

class TestTraceContext : public QObject
{
    Q_OBJECT

private slots:
    void defaultIsInvalid()
    {
        TraceContext context;
        QVERIFY(!context.valid());
        context.traceIdLo = 1;
        QVERIFY(!context.valid()); // span id still zero
        context.spanId = 1;
        QVERIFY(context.valid());
    }

    void parsesTheW3cExample()
    {
        const auto context = TraceContext::parse(kW3cExample);
        QVERIFY(context.has_value());
        QCOMPARE(context->traceIdHi, 0x4bf92f3577b34da6ULL);
        QCOMPARE(context->traceIdLo, 0xa3ce929d0e0e4736ULL);
        QCOMPARE(context->spanId, 0x00f067aa0ba902b7ULL);
        QCOMPARE(context->flags, std::uint8_t(1));
        QCOMPARE(context->traceparent(), std::string(kW3cExample));
        QCOMPARE(context->traceIdHex(), std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    void acceptsOtherFlags()
    {
        const auto unsampled = TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        QVERIFY(unsampled.has_value());
        QCOMPARE(unsampled->flags, std::uint8_t(0));
        const auto other = TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
        QVERIFY(other.has_value());
        QCOMPARE(other->flags, std::uint8_t(0xff));
        // Only the trace id's halves may be zero individually.
        QVERIFY(TraceContext::parse("00-00000000000000000000000000000001-0000000000000001-01").has_value());
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("header");
        QTest::newRow("empty") << "";
        QTest::newRow("upper-case hex") << "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01";
        QTest::newRow("upper-case flags") << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A";
        QTest::newRow("version ff") << "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QTest::newRow("version 01") << "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QTest::newRow("zero trace id") << "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
        QTest::newRow("zero parent id") << "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01";
        QTest::newRow("short trace id") << "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01";
        QTest::newRow("long trace id") << "00-4bf92f3577b34da6a3ce929d0e0e47360-00f067aa0ba902b7-01";
        QTest::newRow("short parent id") << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01";
        QTest::newRow("short flags") << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1";
        QTest::newRow("trailing data") << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra";
        QTest::newRow("trailing space") << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ";
        QTest::newRow("leading space") << " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QTest::newRow("non-hex") << "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01";
        QTest::newRow("underscores") << "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01";
        QTest::newRow("dash moved") << "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01";
        QTest::newRow("sign in hex") << "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QTest::newRow("garbage") << "not a traceparent at all, but it has fifty-five chars!!";
    }

    void rejectsMalformed()
    {
        QFETCH(QString, header);
        const std::string text = header.toStdString();
        QVERIFY(!TraceContext::parse(text).has_value());
    }

    void rootAndChild()
    {
        SeededRandom rng(2024);
        const TraceContext root = TraceContext::newRoot(rng);
        QVERIFY(root.valid());
        QCOMPARE(root.flags, TraceContext::kSampled);
        const TraceContext child = root.child(rng);
        QVERIFY(child.valid());
        QCOMPARE(child.traceIdHi, root.traceIdHi);
        QCOMPARE(child.traceIdLo, root.traceIdLo);
        QCOMPARE(child.flags, root.flags);
        QVERIFY(child.spanId != root.spanId);
        QCOMPARE(child.traceIdHex(), root.traceIdHex());

        const auto parsed = TraceContext::parse(child.traceparent());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, child);
    }

    void childrenGetDistinctSpanIds()
    {
        SeededRandom rng(1);
        const TraceContext root = TraceContext::newRoot(rng);
        std::set<std::uint64_t> ids{root.spanId};
        for (int i = 0; i < 1000; ++i)
            ids.insert(root.child(rng).spanId);
        QCOMPARE(ids.size(), std::size_t(1001));
    }

    void seededRandomIsDeterministic()
    {
        SeededRandom a(99), b(99);
        QCOMPARE(TraceContext::newRoot(a).traceparent(), TraceContext::newRoot(b).traceparent());
    }

    void childOfNeverReusesSpanIdEvenWithAFixedRandom()
    {
        // A generator stuck on the parent's span id must not produce a child equal to it.
        struct Stuck : Random
        {
            std::uint64_t calls = 0;
            std::uint64_t next() override { return ++calls < 5 ? 0x42 : 0x43; }
        } stuck;
        TraceContext parent;
        parent.traceIdLo = 7;
        parent.spanId = 0x42;
        QCOMPARE(parent.child(stuck).spanId, 0x43ULL);
    }

    void writeTraceparentWithoutAllocation()
    {
        SeededRandom rng(5);
        const TraceContext context = TraceContext::newRoot(rng);
        char buf[TraceContext::kTraceparentSize + 1];
        buf[TraceContext::kTraceparentSize] = '#';
        context.writeTraceparent(buf);
        QCOMPARE(buf[TraceContext::kTraceparentSize], '#'); // wrote exactly 55 bytes
        QCOMPARE(std::string(buf, TraceContext::kTraceparentSize), context.traceparent());
        QVERIFY(context.traceparent().find_first_of("ABCDEF") == std::string::npos);
    }

    void parseTraceId()
    {
        const auto id = TraceContext::parseTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
        QVERIFY(id.has_value());
        QCOMPARE(id->first, 0x4bf92f3577b34da6ULL);
        QCOMPARE(id->second, 0xa3ce929d0e0e4736ULL);
        QCOMPARE(TraceContext::parseTraceId("4BF92F3577B34DA6A3CE929D0E0E4736"), id); // typed by a person
        QVERIFY(!TraceContext::parseTraceId("00000000000000000000000000000000").has_value());
        QVERIFY(!TraceContext::parseTraceId("4bf92f3577b34da6a3ce929d0e0e473").has_value());
        QVERIFY(!TraceContext::parseTraceId("4bf92f3577b34da6a3ce929d0e0e47361").has_value());
        QVERIFY(!TraceContext::parseTraceId("4bf92f3577b34da6-3ce929d0e0e4736").has_value());
        QVERIFY(!TraceContext::parseTraceId("").has_value());

        SeededRandom rng(3);
        const TraceContext context = TraceContext::newRoot(rng);
        const auto back = TraceContext::parseTraceId(context.traceIdHex());
        QVERIFY(back.has_value());
        QCOMPARE(back->first, context.traceIdHi);
        QCOMPARE(back->second, context.traceIdLo);
    }
};

QTEST_APPLESS_MAIN(TestTraceContext)
#include "tst_trace_context.moc"
