// Tests of RouteMetrics and MetricsRegistry: stable references, exact concurrent sums, Prometheus text.
#include "net/resilience/Random.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QtTest>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace dd::net;

namespace {

struct Sample
{
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct Exposition
{
    std::vector<Sample> samples;
    std::map<std::string, std::string> types; // family -> type
    std::map<std::string, std::string> help;
    QString error; // empty when the text is well-formed
};

bool isNameChar(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
}

// The family a sample belongs to: histogram series carry suffixes.
std::string familyOf(const std::string &name, const std::map<std::string, std::string> &types)
{
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            const std::string base = name.substr(0, name.size() - s.size());
            auto it = types.find(base);
            if (it != types.end() && it->second == "histogram")
                return base;
        }
    }
    return name;
}

// A strict reader of text format 0.0.4: what a Prometheus server would reject fails here.
Exposition parseExposition(const std::string &text)
{
    Exposition e;
    std::set<std::string> closedFamilies; // families whose samples have ended
    std::string currentFamily;
    std::size_t lineNo = 0;
    std::size_t pos = 0;
    auto fail = [&](const QString &why) {
        e.error = QStringLiteral("line %1: %2").arg(lineNo).arg(why);
        return e;
    };
    if (text.empty() || text.back() != '\n')
        return fail("text must end with a newline");
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (line.empty())
            return fail("empty line");
        if (line[0] == '#') {
            const bool isHelp = line.rfind("# HELP ", 0) == 0;
            const bool isType = line.rfind("# TYPE ", 0) == 0;
            if (!isHelp && !isType)
                return fail("unexpected comment");
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            if (space == std::string::npos)
                return fail("comment without text");
            const std::string family = rest.substr(0, space);
            auto &table = isHelp ? e.help : e.types;
            if (table.count(family))
                return fail(QString::fromStdString("duplicate comment for " + family));
            if (family != currentFamily) {
                if (!currentFamily.empty())
                    closedFamilies.insert(currentFamily);
                if (closedFamilies.count(family))
                    return fail(QString::fromStdString("family split: " + family));
                currentFamily = family;
            }
            table[family] = rest.substr(space + 1);
            if (isType) {
                const std::string type = rest.substr(space + 1);
                if (type != "counter" && type != "gauge" && type != "histogram")
                    return fail("bad type");
            }
            continue;
        }
        Sample s;
        std::size_t i = 0;
        while (i < line.size() && isNameChar(line[i], i == 0))
            ++i;
        if (i == 0)
            return fail("no metric name");
        s.name = line.substr(0, i);
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (i < line.size() && line[i] != '}') {
                const std::size_t nameStart = i;
                while (i < line.size() && isNameChar(line[i], i == nameStart))
                    ++i;
                const std::string label = line.substr(nameStart, i - nameStart);
                if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
                    return fail("bad label");
                i += 2;
                std::string value;
                for (;;) {
                    if (i >= line.size())
                        return fail("unterminated label value");
                    const char c = line[i++];
                    if (c == '"')
                        break;
                    if (c == '\\') {
                        if (i >= line.size())
                            return fail("dangling escape");
                        const char x = line[i++];
                        if (x == 'n')
                            value += '\n';
                        else if (x == '\\' || x == '"')
                            value += x;
                        else
                            return fail("bad escape");
                    } else {
                        value += c;
                    }
                }
                if (s.labels.count(label))
                    return fail("duplicate label");
                s.labels[label] = value;
                if (i < line.size() && line[i] == ',')
                    ++i;
            }
            if (i >= line.size())
                return fail("unterminated labels");
            ++i; // '}'
        }
        if (i >= line.size() || line[i] != ' ')
            return fail("no value");
        const QString valueText = QString::fromStdString(line.substr(i + 1));
        bool ok = false;
        s.value = valueText == "+Inf" ? qInf() : valueText.toDouble(&ok);
        if (!ok && valueText != "+Inf")
            return fail("bad value " + valueText);
        const std::string family = familyOf(s.name, e.types);
        if (!e.types.count(family) || !e.help.count(family))
            return fail(QString::fromStdString("sample before HELP/TYPE: " + s.name));
        if (family != currentFamily)
            return fail(QString::fromStdString("sample outside its family block: " + s.name));
        e.samples.push_back(std::move(s));
    }
    return e;
}

const Sample *findSample(const Exposition &e, const std::string &name,
                         const std::map<std::string, std::string> &labels)
{
    for (const auto &s : e.samples) {
        if (s.name == name && s.labels == labels)
            return &s;
    }
    return nullptr;
}

double valueOf(const Exposition &e, const std::string &name, const std::map<std::string, std::string> &labels)
{
    const Sample *s = findSample(e, name, labels);
    return s ? s->value : -1;
}

} // namespace

class TestMetricsRegistry : public QObject
{
    Q_OBJECT

private slots:
    void outcomeNames()
    {
        QCOMPARE(toString(Outcome::Success), "success");
        QCOMPARE(toString(Outcome::CircuitOpen), "circuit_open");
        QCOMPARE(toString(Outcome::Rejected), "rejected");
        QCOMPARE(toString(Outcome::Count_), "unknown");
    }

    void routeSnapshotCountsEverything()
    {
        RouteMetrics r("scheduler", "account");
        for (int i = 0; i < 10; ++i)
            r.onRequest(100);
        for (int i = 0; i < 6; ++i)
            r.onOutcome(Outcome::Success, 1000 * (i + 1), 50);
        r.onOutcome(Outcome::Transient, 20 * kMillis, 0);
        r.onOutcome(Outcome::Timeout, 2 * kSeconds, 0);
        r.onOutcome(Outcome::CircuitOpen, 0, 0);
        r.onOutcome(Outcome::Rejected, 0, 0);
        r.onRetry();
        r.onRetry();
        const auto s = r.snapshot();
        QCOMPARE(s.caller, std::string("scheduler"));
        QCOMPARE(s.callee, std::string("account"));
        QCOMPARE(s.requests, 10u);
        QCOMPARE(s.successes, 6u);
        QCOMPARE(s.retries, 2u);
        QCOMPARE(s.bytesOut, 1000u);
        QCOMPARE(s.bytesIn, 300u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::Transient)], 1u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::Fatal)], 0u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::Timeout)], 1u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::CircuitOpen)], 1u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::Rejected)], 1u);
        // Local short-circuits are not latencies: 8 samples, not 10, so p50 is not 0.
        QCOMPARE(r.latency().count(), 8u);
        QVERIFY(std::abs(double(s.p50) - 4000) <= 4000 / 32.0 + 1);
        QCOMPARE(s.max, 2 * kSeconds);
        QVERIFY(std::abs(double(s.p99 - 2 * kSeconds)) <= 2.0 * kSeconds / 32);
        QVERIFY(s.p99 <= s.max);
        QVERIFY(std::abs(s.mean - (21000.0 + 20000 + 2000000) / 8) < 1e-6);
        QCOMPARE(s.breakerState, std::string("closed"));
    }

    void breakerStateByNameOrIndex()
    {
        RouteMetrics r("a", "b");
        r.setBreakerState(1, "open");
        QCOMPARE(r.breakerState(), std::string_view("open"));
        r.setBreakerState(99, "Half-Open");
        QCOMPARE(r.breakerState(), std::string_view("half_open"));
        r.setBreakerState(3, "something-else"); // unknown name: the index decides
        QCOMPARE(r.breakerState(), std::string_view("isolated"));
        r.setBreakerState(42, "nonsense"); // neither: ignored
        QCOMPARE(r.breakerState(), std::string_view("isolated"));
        r.setBreakerState(0, "forced_closed");
        QCOMPARE(r.snapshot().breakerState, std::string("forced_closed"));
    }

    void referencesAreStable()
    {
        MetricsRegistry reg;
        RouteMetrics &first = reg.route("scheduler", "account");
        std::atomic<std::uint64_t> &c = reg.counter("rpc_bad_frames_total", "drone");
        for (int i = 0; i < 500; ++i) {
            reg.route("caller" + std::to_string(i), "callee");
            reg.counter("c" + std::to_string(i), "svc");
        }
        QCOMPARE(&reg.route("scheduler", "account"), &first);
        QCOMPARE(&reg.counter("rpc_bad_frames_total", "drone"), &c);
        QVERIFY(&reg.route("account", "scheduler") != &first); // direction matters
        QVERIFY(&reg.counter("rpc_bad_frames_total", "delivery") != &c);
        QCOMPARE(first.caller(), std::string("scheduler"));
        QCOMPARE(reg.routes().size(), std::size_t(502));
    }

    void listingsAreSorted()
    {
        MetricsRegistry reg;
        reg.route("scheduler", "package").onRequest(1);
        reg.route("scheduler", "account").onRequest(1);
        reg.route("ingestion", "scheduler");
        reg.counter("zap_refused_total", "drone") += 3;
        reg.counter("pubsub_gaps_total", "delivery") += 2;
        const auto routes = reg.routes();
        QCOMPARE(routes.size(), std::size_t(3));
        QCOMPARE(routes[0].caller, std::string("ingestion"));
        QCOMPARE(routes[1].callee, std::string("account"));
        QCOMPARE(routes[2].callee, std::string("package"));
        QCOMPARE(routes[1].requests, 1u);
        const auto counters = reg.counters();
        QCOMPARE(counters.size(), std::size_t(2));
        QCOMPARE(std::get<0>(counters[0]), std::string("pubsub_gaps_total"));
        QCOMPARE(std::get<1>(counters[0]), std::string("delivery"));
        QCOMPARE(std::get<2>(counters[0]), 2u);
        QCOMPARE(std::get<2>(counters[1]), 3u);
    }

    void concurrentUpdatesSumExactly()
    {
        MetricsRegistry reg;
        constexpr int kCalls = 100000;
        // Each thread looks the route up itself (racing on creation), then updates
        // through its cached reference, as the RPC path does.
        auto work = [&reg](std::uint64_t seed) {
            SeededRandom rng(seed);
            RouteMetrics &route = reg.route("scheduler", "drone");
            auto &dropped = reg.counter("rpc_dropped_expired_total", "drone");
            for (int i = 0; i < kCalls; ++i) {
                route.onRequest(10);
                route.onOutcome(i % 10 == 0 ? Outcome::Transient : Outcome::Success,
                                Micros(rng.below(50 * kMillis)), 20);
                if (i % 4 == 0)
                    route.onRetry();
                dropped.fetch_add(1, std::memory_order_relaxed);
            }
        };
        std::thread t1(work, 1), t2(work, 2);
        t1.join();
        t2.join();
        const auto routes = reg.routes();
        QCOMPARE(routes.size(), std::size_t(1));
        const auto &s = routes[0];
        QCOMPARE(s.requests, std::uint64_t(2 * kCalls));
        QCOMPARE(s.successes, std::uint64_t(2 * kCalls * 9 / 10));
        QCOMPARE(s.outcomes[std::size_t(Outcome::Transient)], std::uint64_t(2 * kCalls / 10));
        QCOMPARE(s.retries, std::uint64_t(2 * kCalls / 4));
        QCOMPARE(s.bytesOut, std::uint64_t(2 * kCalls * 10));
        QCOMPARE(s.bytesIn, std::uint64_t(2 * kCalls * 20));
        QCOMPARE(reg.route("scheduler", "drone").latency().count(), std::uint64_t(2 * kCalls));
        QCOMPARE(std::get<2>(reg.counters().at(0)), std::uint64_t(2 * kCalls));
        // Uniform over 0..50 ms: the median is ~25 ms.
        QVERIFY(s.p50 > 24 * kMillis && s.p50 < 26 * kMillis);
    }

    void prometheusTextIsWellFormed()
    {
        MetricsRegistry reg;
        RouteMetrics &r = reg.route("scheduler", "account");
        for (int i = 0; i < 12; ++i)
            r.onRequest(64);
        for (int i = 0; i < 10; ++i)
            r.onOutcome(Outcome::Success, 300 + i, 32); // ~0.3 ms
        r.onOutcome(Outcome::Transient, 40 * kMillis, 0);
        r.onOutcome(Outcome::Timeout, 2 * kSeconds, 0);
        r.onRetry();
        r.setBreakerState(2, "half_open");
        reg.route("scheduler", "drone").onRequest(5);
        reg.counter("rpc_bad_frames_total", "drone") += 4;
        reg.counter("rpc_bad_frames_total", "account") += 1;
        reg.counter("zap_refused_total", "delivery") += 7;

        const std::string text = reg.prometheusText();
        const Exposition e = parseExposition(text);
        QVERIFY2(e.error.isEmpty(), qPrintable(e.error + "\n" + QString::fromStdString(text)));

        QCOMPARE(e.types.at("dd_route_requests_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_route_responses_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_route_retries_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_route_sent_bytes_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_route_received_bytes_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_route_latency_seconds"), std::string("histogram"));
        QCOMPARE(e.types.at("dd_route_breaker_state"), std::string("gauge"));
        QCOMPARE(e.types.at("dd_rpc_bad_frames_total"), std::string("counter"));
        QCOMPARE(e.types.at("dd_zap_refused_total"), std::string("counter"));

        const std::map<std::string, std::string> route = {{"caller", "scheduler"}, {"callee", "account"}};
        auto with = [&route](const char *k, const char *v) {
            auto l = route;
            l[k] = v;
            return l;
        };
        QVERIFY(text.find("dd_route_requests_total{caller=\"scheduler\",callee=\"account\"} 12\n")
                != std::string::npos);
        QCOMPARE(valueOf(e, "dd_route_responses_total", with("outcome", "success")), 10.0);
        QCOMPARE(valueOf(e, "dd_route_responses_total", with("outcome", "transient")), 1.0);
        QCOMPARE(valueOf(e, "dd_route_responses_total", with("outcome", "timeout")), 1.0);
        QCOMPARE(valueOf(e, "dd_route_responses_total", with("outcome", "fatal")), 0.0);
        QCOMPARE(valueOf(e, "dd_route_retries_total", route), 1.0);
        QCOMPARE(valueOf(e, "dd_route_sent_bytes_total", route), 12.0 * 64);
        QCOMPARE(valueOf(e, "dd_route_received_bytes_total", route), 10.0 * 32);
        QCOMPARE(valueOf(e, "dd_route_breaker_state", with("state", "half_open")), 1.0);
        QCOMPARE(valueOf(e, "dd_route_breaker_state", with("state", "closed")), 0.0);
        QCOMPARE(valueOf(e, "dd_rpc_bad_frames_total", {{"service", "drone"}}), 4.0);
        QCOMPARE(valueOf(e, "dd_rpc_bad_frames_total", {{"service", "account"}}), 1.0);
        QCOMPARE(valueOf(e, "dd_zap_refused_total", {{"service", "delivery"}}), 7.0);

        // Exactly one breaker state is 1 per route.
        int activeStates = 0;
        for (const auto &s : e.samples) {
            if (s.name == "dd_route_breaker_state" && s.labels.at("callee") == "account")
                activeStates += int(s.value);
        }
        QCOMPARE(activeStates, 1);

        // Histogram: le ascending, counts monotone, +Inf last and equal to _count.
        std::vector<std::pair<double, double>> buckets;
        for (const auto &s : e.samples) {
            if (s.name == "dd_route_latency_seconds_bucket" && s.labels.at("callee") == "account") {
                QCOMPARE(s.labels.size(), std::size_t(3));
                const QString le = QString::fromStdString(s.labels.at("le"));
                bool ok = false;
                const double bound = le == "+Inf" ? qInf() : le.toDouble(&ok);
                QVERIFY(ok || le == "+Inf");
                buckets.emplace_back(bound, s.value);
            }
        }
        QCOMPARE(buckets.size(), MetricsRegistry::latencyBucketsSeconds().size() + 1);
        for (std::size_t i = 1; i < buckets.size(); ++i) {
            QVERIFY(buckets[i].first > buckets[i - 1].first);
            QVERIFY(buckets[i].second >= buckets[i - 1].second);
        }
        QVERIFY(qIsInf(buckets.back().first));
        QCOMPARE(buckets.back().second, 12.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_count", route), 12.0);
        const double expectedSum = (3045 + 40000 + 2000000) / 1e6;
        QVERIFY(std::abs(valueOf(e, "dd_route_latency_seconds_sum", route) - expectedSum) < 1e-9);
        // The ~0.3 ms calls are under 0.5 ms, the 40 ms one under 50 ms, 2 s under 2.5 s.
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "0.00025")), 0.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "0.0005")), 10.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "0.025")), 10.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "0.05")), 11.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "1")), 11.0);
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_bucket", with("le", "2.5")), 12.0);

        // A route with no responses still exports a complete, zero histogram.
        const std::map<std::string, std::string> idle = {{"caller", "scheduler"}, {"callee", "drone"}};
        QCOMPARE(valueOf(e, "dd_route_latency_seconds_count", idle), 0.0);
        QCOMPARE(valueOf(e, "dd_route_requests_total", idle), 1.0);
    }

    void labelValuesAreEscaped()
    {
        MetricsRegistry reg;
        const std::string nasty = "we\"ird\\svc\nname";
        reg.route(nasty, "account").onRequest(1);
        reg.counter("rpc_unknown_method_total", nasty) += 2;
        reg.counter("odd-name.total", "x") += 1; // not a legal metric name as is
        const std::string text = reg.prometheusText();
        QVERIFY(text.find("caller=\"we\\\"ird\\\\svc\\nname\"") != std::string::npos);
        const Exposition e = parseExposition(text);
        QVERIFY2(e.error.isEmpty(), qPrintable(e.error + "\n" + QString::fromStdString(text)));
        QCOMPARE(valueOf(e, "dd_route_requests_total", {{"caller", nasty}, {"callee", "account"}}), 1.0);
        QCOMPARE(valueOf(e, "dd_rpc_unknown_method_total", {{"service", nasty}}), 2.0);
        QCOMPARE(valueOf(e, "dd_odd_name_total", {{"service", "x"}}), 1.0);
    }

    void parserRejectsMalformedText()
    {
        // Guards the guard: the checks above mean something only if this parser is strict.
        QVERIFY(!parseExposition("x 1\n").error.isEmpty());                               // no HELP/TYPE
        QVERIFY(!parseExposition("# HELP x h\n# TYPE x counter\nx{a=\"b} 1\n").error.isEmpty());
        QVERIFY(!parseExposition("# HELP x h\n# TYPE x counter\nx{a=\"\\q\"} 1\n").error.isEmpty());
        QVERIFY(!parseExposition("# HELP x h\n# TYPE x counter\n# HELP x h\n").error.isEmpty());
        QVERIFY(!parseExposition("# HELP x h\n# TYPE x counter\nx 1\n# HELP y h\n# TYPE y gauge\n"
                                 "y 1\nx 2\n")
                     .error.isEmpty());
        QVERIFY(parseExposition("# HELP x h\n# TYPE x counter\nx{a=\"\\\"\"} 1\n").error.isEmpty());
    }

    void resetZeroesButKeepsReferences()
    {
        MetricsRegistry reg;
        RouteMetrics &r = reg.route("a", "b");
        auto &c = reg.counter("pubsub_gaps_total", "delivery");
        r.onRequest(10);
        r.onOutcome(Outcome::Fatal, 100, 1);
        c += 5;
        reg.reset();
        QCOMPARE(&reg.route("a", "b"), &r);
        const auto s = r.snapshot();
        QCOMPARE(s.requests, 0u);
        QCOMPARE(s.outcomes[std::size_t(Outcome::Fatal)], 0u);
        QCOMPARE(s.bytesOut, 0u);
        QCOMPARE(s.p99, Micros(0));
        QCOMPARE(c.load(), 0u);
        r.onRequest(1);
        QCOMPARE(reg.routes().at(0).requests, 1u);
    }

    void globalIsASingleton()
    {
        QCOMPARE(&MetricsRegistry::global(), &MetricsRegistry::global());
    }
};

QTEST_APPLESS_MAIN(TestMetricsRegistry)
#include "tst_metrics_registry.moc"
