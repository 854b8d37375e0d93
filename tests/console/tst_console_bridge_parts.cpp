// Tests the bridge's pure pieces: route health from metrics, the trace waterfall, telemetry coalescing, the form.
#include "bridge/DeliveryForm.h"
#include "bridge/RouteHealthSampler.h"
#include "bridge/TelemetryCoalescer.h"
#include "bridge/TraceWaterfall.h"
#include "models/ConsoleNames.h"
#include "net/rpc/RpcStatus.h"

#include <QDateTime>
#include <QJsonArray>
#include <QtTest>

using namespace dd;
using namespace dd::console;

namespace {

const RouteRecord *routeOf(const RouteHealthSampler::Result &result, const char *caller, const char *callee)
{
    for (const RouteRecord &route : result.routes)
        if (route.caller == QLatin1String(caller) && route.callee == QLatin1String(callee))
            return &route;
    return nullptr;
}

const ServiceNodeRecord *nodeOf(const RouteHealthSampler::Result &result, const char *name)
{
    for (const ServiceNodeRecord &node : result.services)
        if (node.name == QLatin1String(name))
            return &node;
    return nullptr;
}

void calls(net::RouteMetrics &route, int n, net::Outcome outcome)
{
    for (int i = 0; i < n; ++i) {
        route.onRequest(10);
        route.onOutcome(outcome, 500, 10);
    }
}

net::Span span(std::uint64_t id, std::uint64_t parent, net::Micros start, net::Micros duration, const char *name)
{
    net::Span s{};
    s.traceIdHi = 1;
    s.traceIdLo = 2;
    s.spanId = id;
    s.parentSpanId = parent;
    s.start = start;
    s.duration = duration;
    s.kind = net::SpanKind::Client;
    s.attempt = 1;
    s.setName(name);
    s.setService("scheduler");
    return s;
}

dronedelivery::v1::DroneTelemetry telemetry(const char *id, double latitude)
{
    dronedelivery::v1::DroneTelemetry t;
    t.set_drone_id(id);
    t.set_latitude(latitude);
    t.set_state(dronedelivery::v1::FLYING_TO_PICKUP);
    return t;
}

} // namespace

class TestConsoleBridgeParts : public QObject
{
    Q_OBJECT

private slots:
    void requestsPerSecondComeFromDeltasBetweenSamples()
    {
        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        RouteHealthSampler sampler(metrics);
        auto &route = metrics.route("scheduler", "drone");
        calls(route, 100, net::Outcome::Success);
        clock.advance(10 * net::kSeconds);
        auto first = sampler.sample(clock.now());
        QCOMPARE(routeOf(first, "scheduler", "drone")->requestsPerSecond, 0.0); // nothing to compare with yet
        calls(route, 50, net::Outcome::Success);
        clock.advance(2 * net::kSeconds);
        auto second = sampler.sample(clock.now()); // 50 calls in 2 s
        const RouteRecord *r = routeOf(second, "scheduler", "drone");
        QCOMPARE(r->requestsPerSecond, 25.0);
        QCOMPARE(r->successRate, 1.0);
        QCOMPARE(r->health, QString("healthy"));
        QCOMPARE(r->history, (QVariantList{0.0, 25.0}));
        QCOMPARE(nodeOf(second, "drone")->requestsPerSecond, 25.0);
        QVERIFY(nodeOf(second, "scheduler")); // callers are nodes too
    }

    void healthIsTheGatewaysAndRefusalsAreNotErrors()
    {
        // One verdict for the console and /api/services: no calls is "idle", not "healthy".
        QCOMPARE(backend::ServicesReport::health(0, 0), QString("idle"));
        QCOMPARE(backend::ServicesReport::health(1000, 1), QString("healthy"));  // exactly 0.1 %
        QCOMPARE(backend::ServicesReport::health(1000, 2), QString("degraded")); // above 0.1 %
        QCOMPARE(backend::ServicesReport::health(100, 10), QString("degraded")); // exactly 10 %
        QCOMPARE(backend::ServicesReport::health(100, 11), QString("failing"));

        // NOT_FOUND / CONFLICT / BAD_REQUEST / PERMISSION_DENIED are answers, not failures.
        for (auto code : {dronedelivery::v1::NOT_FOUND, dronedelivery::v1::CONFLICT, dronedelivery::v1::BAD_REQUEST,
                          dronedelivery::v1::PERMISSION_DENIED})
            QCOMPARE(int(net::outcomeOf(code)), int(net::Outcome::Rejected));
        QCOMPARE(int(net::outcomeOf(dronedelivery::v1::FATAL)), int(net::Outcome::Fatal));

        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        RouteHealthSampler sampler(metrics);
        auto &supervisor = metrics.route("console", "supervisor");
        sampler.sample(clock.now());
        calls(supervisor, 10, net::Outcome::Success);
        calls(supervisor, 40, net::Outcome::Rejected); // a dispatcher's refused approvals
        clock.advance(net::kSeconds);
        auto result = sampler.sample(clock.now());
        QCOMPARE(routeOf(result, "console", "supervisor")->health, QString("healthy"));
        QCOMPARE(routeOf(result, "console", "supervisor")->successRate, 1.0);

        auto &delivery = metrics.route("scheduler", "delivery");
        calls(delivery, 5, net::Outcome::Fatal);
        calls(delivery, 15, net::Outcome::Success);
        clock.advance(net::kSeconds);
        result = sampler.sample(clock.now());
        QCOMPARE(routeOf(result, "scheduler", "delivery")->health, QString("failing"));
        QCOMPARE(routeOf(result, "scheduler", "delivery")->successRate, 0.75);
        QCOMPARE(routeOf(result, "scheduler", "delivery")->errorRate, 0.25);
        QCOMPARE(routeOf(result, "scheduler", "delivery")->windowCalls, qint64(20));
        QCOMPARE(nodeOf(result, "delivery")->health, QString("failing"));
        QCOMPARE(nodeOf(result, "delivery")->errorRate, 0.25);
    }

    void aBurstOfErrorsClearsOnceItLeavesTheSelectedWindow()
    {
        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        RouteHealthSampler sampler(metrics);
        auto &route = metrics.route("scheduler", "package");
        sampler.sample(clock.now());
        for (int i = 0; i < 10; ++i) { // a delay fault: 800 ms calls that fail
            route.onRequest(10);
            route.onOutcome(net::Outcome::Transient, 800 * net::kMillis, 10);
        }
        clock.advance(net::kSeconds);
        QCOMPARE(routeOf(sampler.sample(clock.now()), "scheduler", "package")->health, QString("failing"));
        // The fault is cleared: two minutes of fast calls, sampled every second as the bridge does.
        RouteHealthSampler::Result result;
        for (int second = 0; second < 120; ++second) {
            for (int i = 0; i < 5; ++i) {
                route.onRequest(10);
                route.onOutcome(net::Outcome::Success, 2 * net::kMillis, 10);
            }
            clock.advance(net::kSeconds);
            result = sampler.sample(clock.now());
        }
        const RouteRecord *lastMinute = routeOf(result, "scheduler", "package");
        QCOMPARE(lastMinute->health, QString("healthy"));
        QVERIFY2(lastMinute->p99Ms < 3, qPrintable(QString::number(lastMinute->p99Ms))); // not since start
        // Five minutes still hold the slow failures, as /api/services?window=5m does.
        QVERIFY(sampler.setWindow(5 * 60 * net::kSeconds));
        QVERIFY(!sampler.setWindow(2 * 60 * net::kSeconds)); // not a window /api/services answers
        QCOMPARE(sampler.window(), 5 * 60 * net::kSeconds);
        const RouteHealthSampler::Result longer = sampler.sample(clock.now());
        const RouteRecord *fiveMinutes = routeOf(longer, "scheduler", "package");
        QVERIFY(fiveMinutes->p99Ms > 700);
        QCOMPARE(fiveMinutes->health, QString("degraded")); // 10 failures in 610 calls
        QCOMPARE(fiveMinutes->windowCalls, qint64(610));
    }

    void theConsoleShowsTheNumbersOfApiServices()
    {
        // The same registry through the gateway's report and through the console's sampler.
        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        backend::ServicesReport gateway(metrics);
        RouteHealthSampler sampler(metrics);
        auto &route = metrics.route("scheduler", "drone");
        for (int second = 0; second < 90; ++second) {
            for (int i = 0; i < 20; ++i) {
                route.onRequest(10);
                const bool slow = second < 20 && i % 4 == 0;
                route.onOutcome(slow ? net::Outcome::Timeout : net::Outcome::Success,
                                (slow ? 400 : 3 + i) * net::kMillis, 10);
            }
            if (second % 5 == 0) // the gateway's sample timer
                gateway.sample(clock.now());
            sampler.sample(clock.now());
            clock.advance(net::kSeconds);
        }
        for (const auto &[window, name] : {std::pair{60 * net::kSeconds, "1m"}, std::pair{15 * 60 * net::kSeconds, "15m"}}) {
            QVERIFY(sampler.setWindow(window));
            const RouteHealthSampler::Result sampled = sampler.sample(clock.now());
            const RouteRecord *console = routeOf(sampled, "scheduler", "drone");
            const QJsonObject report = gateway.build(clock.now(), nullptr, window);
            QCOMPARE(report.value("window").toString(), QString(name));
            QJsonObject api;
            for (const auto &value : report.value("routes").toArray())
                if (value.toObject().value("callee").toString() == QLatin1String("drone"))
                    api = value.toObject();
            QCOMPARE(console->health, api.value("health").toString());
            QCOMPARE(console->errorRate, api.value("errorRate").toDouble());
            QCOMPARE(console->p50Ms, api.value("latencyMs").toObject().value("p50").toDouble());
            QCOMPARE(console->p99Ms, api.value("latencyMs").toObject().value("p99").toDouble());
        }
    }

    void anIsolatedRouteIsNotHealthyAfterAQuietWindow()
    {
        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        RouteHealthSampler sampler(metrics);
        auto &route = metrics.route("scheduler", "thirdparty");
        calls(route, 20, net::Outcome::Success);
        route.setBreakerState(3, "isolated"); // an operator isolated it; nothing calls it any more
        RouteHealthSampler::Result result;
        for (int second = 0; second < 16 * 60; second += 1) { // longer than the longest window
            clock.advance(net::kSeconds);
            result = sampler.sample(clock.now());
        }
        const RouteRecord *isolated = routeOf(result, "scheduler", "thirdparty");
        QCOMPARE(isolated->windowCalls, qint64(0));
        QCOMPARE(isolated->health, QString("failing"));
        QCOMPARE(isolated->breakerState, QString("isolated"));
        QCOMPARE(isolated->breakerName, QString("Isolated"));
        QCOMPARE(nodeOf(result, "thirdparty")->health, QString("failing"));
        QCOMPARE(nodeOf(result, "thirdparty")->breakerState, QString("isolated"));
        // The gateway says the same of the same route.
        QCOMPARE(backend::ServicesReport::health(0, 0, "isolated"), QString("failing"));
        QCOMPARE(backend::ServicesReport::health(0, 0, "open"), QString("failing"));
        QCOMPARE(backend::ServicesReport::health(100, 0, "half_open"), QString("degraded"));
        QCOMPARE(backend::ServicesReport::health(100, 20, "half_open"), QString("failing"));
        QCOMPARE(backend::ServicesReport::health(100, 0, "forced_closed"), QString("healthy"));
        // Reset: closed and quiet is idle (grey), never a green "100 %".
        route.setBreakerState(0, "closed");
        clock.advance(net::kSeconds);
        QCOMPARE(routeOf(sampler.sample(clock.now()), "scheduler", "thirdparty")->health, QString("idle"));
    }

    void breakerStatesHaveHumanNames()
    {
        QCOMPARE(ConsoleNames::breakerState("closed"), QString("Closed"));
        QCOMPARE(ConsoleNames::breakerState("open"), QString("Open"));
        QCOMPARE(ConsoleNames::breakerState("half_open"), QString("Half-open"));
        QCOMPARE(ConsoleNames::breakerState("half-open"), QString("Half-open"));
        QCOMPARE(ConsoleNames::breakerState("isolated"), QString("Isolated"));
        QCOMPARE(ConsoleNames::breakerState("forced_closed"), QString("Forced closed"));
        QCOMPARE(ConsoleNames::breakerState("FORCED-CLOSED"), QString("Forced closed"));
        QCOMPARE(ConsoleNames::breakerState("some_new_state"), QString("Some new state"));
        QCOMPARE(ConsoleNames::breakerState(""), QString());
        QCOMPARE(ConsoleNames::breakerKey("Forced-Closed"), QString("forced_closed"));
    }

    void serviceNodesHaveLayoutHints()
    {
        net::MetricsRegistry metrics;
        RouteHealthSampler sampler(metrics);
        metrics.route("tester", "account");
        const auto result = sampler.sample(0);
        for (const ServiceNodeRecord &node : result.services) {
            QVERIFY2(node.x >= 0 && node.x <= 1 && node.y >= 0 && node.y <= 1, qPrintable(node.name));
        }
        QVERIFY(nodeOf(result, "ingestion")->x < nodeOf(result, "scheduler")->x); // call order, left to right
        QVERIFY(nodeOf(result, "tester"));
    }

    void theWaterfallNestsChildrenUnderParents()
    {
        // Out of order on purpose; a span whose parent is unknown is a root.
        const auto layout = TraceWaterfall::build({span(3, 2, 1300, 200, "drone.Schedule"),
                                                   span(1, 0, 1000, 2000, "ingestion.Accept"),
                                                   span(2, 1, 1100, 1500, "Submit"),
                                                   span(9, 77, 1200, 100, "orphan")});
        QCOMPARE(int(layout.spans.size()), 4);
        QCOMPARE(layout.spans[0].name, QString("ingestion.Accept"));
        QCOMPARE(layout.spans[0].depth, 0);
        QCOMPARE(layout.spans[1].name, QString("Submit"));
        QCOMPARE(layout.spans[1].depth, 1);
        QCOMPARE(layout.spans[2].name, QString("drone.Schedule"));
        QCOMPARE(layout.spans[2].depth, 2);
        QCOMPARE(layout.spans[2].startOffsetMs, 0.3);
        QCOMPARE(layout.spans[3].name, QString("orphan"));
        QCOMPARE(layout.spans[3].depth, 0);
        QCOMPARE(layout.totalMs, 2.0);
        QCOMPARE(layout.spans[0].kind, QString("client"));
        QCOMPARE(layout.spans[0].status, QString("ok"));
        QVERIFY(TraceWaterfall::build({}).spans.empty());
    }

    void theCoalescerKeepsTheLatestPerDrone()
    {
        TelemetryCoalescer coalescer;
        for (int i = 0; i < 100; ++i) {
            coalescer.add(telemetry("drone-1", 47.0 + i * 0.001));
            coalescer.add(telemetry("drone-2", 48.0));
        }
        const auto map = coalescer.takeForMap();
        QCOMPARE(int(map.size()), 2);
        QCOMPARE(map[0].latitude, 47.0 + 99 * 0.001);
        QCOMPARE(coalescer.pendingForMap(), std::size_t(0));
        // The list drains on its own schedule: what the map took is still there for it.
        QCOMPARE(coalescer.pendingForList(), std::size_t(2));
        coalescer.add(telemetry("drone-1", 49.0));
        const auto list = coalescer.takeForList();
        QCOMPARE(int(list.size()), 2);
        QCOMPARE(list[0].latitude, 49.0);
        QCOMPARE(coalescer.received(), std::uint64_t(201));
    }

    void theFormFollowsTheGatewaysRules()
    {
        QVariantMap form{{"ownerId", "owner-001"},
                         {"pickupLocation", "47.61,-122.33"},
                         {"dropOffLocation", "Space Needle"},
                         {"pickupTime", QDateTime(QDate(2026, 11, 26), QTime(10, 0), Qt::UTC)},
                         {"expedited", true},
                         {"confirmationRequired", "fingerprint"},
                         {"packageId", ""},
                         {"size", "medium"},
                         {"weight", "2.5"},
                         {"tag", "books"}};
        auto ok = DeliveryForm::schedule(form);
        QVERIFY2(ok.ok, qPrintable(ok.message));
        QCOMPARE(ok.request.owner_id(), std::string("owner-001"));
        QCOMPARE(ok.request.dropoff_location(), std::string("Space Needle"));
        QCOMPARE(ok.request.pickup_time(), std::string("2026-11-26T10:00:00.000Z"));
        QCOMPARE(int(ok.request.package_info().size()), int(dronedelivery::v1::MEDIUM));
        QCOMPARE(ok.request.package_info().weight(), 2.5);
        QVERIFY(ok.request.package_info().package_id().empty()); // empty box: the server assigns it
        QCOMPARE(int(ok.request.confirmation_required()), int(dronedelivery::v1::FINGERPRINT));

        QVariantMap noOwner = form;
        noOwner.remove("ownerId");
        auto missing = DeliveryForm::schedule(noOwner);
        QVERIFY(!missing.ok);
        QCOMPARE(missing.field, QString("ownerId"));

        QVariantMap badSize = form;
        badSize["size"] = "Huge";
        auto size = DeliveryForm::schedule(badSize);
        QVERIFY(!size.ok);
        QCOMPARE(size.field, QString("size")); // the form's key, not packageInfo.size
        QVERIFY(size.message.contains("Small, Medium, Large"));

        QVariantMap badTime = form;
        badTime["pickupTime"] = "next tuesday";
        QCOMPARE(DeliveryForm::schedule(badTime).field, QString("pickupTime"));
        QVariantMap negative = form;
        negative["weight"] = -1;
        QCOMPARE(DeliveryForm::schedule(negative).field, QString("weight"));

        auto reschedule = DeliveryForm::reschedule(QStringLiteral("d-abc"), {{"dropoffLocation", "47.62,-122.35"}});
        QVERIFY(reschedule.ok);
        QCOMPARE(int(reschedule.request.operation()), int(dronedelivery::v1::RESCHEDULE));
        QCOMPARE(reschedule.request.delivery_id(), std::string("d-abc"));
        QCOMPARE(DeliveryForm::reschedule(QStringLiteral("bad id!"), {}).field, QString("deliveryId"));
    }
};

QTEST_GUILESS_MAIN(TestConsoleBridgeParts)
#include "tst_console_bridge_parts.moc"
