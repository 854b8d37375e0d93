// Tests GET /api/services' window: latency and error rates over the last 1/5/15 minutes, ?window= parsing.
#include "GatewayTestSupport.h"

#include <QJsonArray>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dd::backend::test;

namespace {
QJsonObject routeOf(const QJsonObject &report, const QString &caller, const QString &callee)
{
    for (const auto &value : report.value("routes").toArray()) {
        const QJsonObject route = value.toObject();
        if (route.value("caller").toString() == caller && route.value("callee").toString() == callee)
            return route;
    }
    return {};
}
} // namespace

class TestServicesWindow : public QObject
{
    Q_OBJECT

private slots:
    void slowPeriodLeavesTheDefaultWindowButNotTheLongerOnes()
    {
        net::ManualClock clock;
        net::MetricsRegistry metrics(clock);
        ServicesReport report(metrics);
        net::RouteMetrics &route = metrics.route("scheduler", "drone");
        report.sample(clock.now());
        // A delay fault: 800 ms calls, a fifth of them timing out.
        for (int i = 0; i < 50; ++i) {
            route.onRequest(10);
            route.onOutcome(i % 5 == 0 ? net::Outcome::Timeout : net::Outcome::Success, 800 * net::kMillis, 10);
        }
        clock.advance(5 * net::kSeconds);
        report.sample(clock.now());
        QJsonObject now = routeOf(report.build(clock.now(), nullptr), "scheduler", "drone");
        QVERIFY(now.value("latencyMs").toObject().value("p99").toDouble() > 700);
        QCOMPARE(now.value("health").toString(), QString("failing"));

        // The fault is cleared: 2 min of fast, successful calls, sampled every 5 s as the gateway does.
        for (int step = 0; step < 24; ++step) {
            clock.advance(5 * net::kSeconds);
            for (int i = 0; i < 10; ++i) {
                route.onRequest(10);
                route.onOutcome(net::Outcome::Success, 2 * net::kMillis, 10);
            }
            report.sample(clock.now());
        }
        const QJsonObject lastMinute = report.build(clock.now(), nullptr);
        QCOMPARE(lastMinute.value("window").toString(), QString("1m"));
        now = routeOf(lastMinute, "scheduler", "drone");
        const QJsonObject latency = now.value("latencyMs").toObject();
        QVERIFY2(latency.value("p99").toDouble() < 3, qPrintable(QJsonDocument(now).toJson()));
        QVERIFY(latency.value("windowSeconds").toDouble() >= 60 && latency.value("windowSeconds").toDouble() <= 70);
        QCOMPARE(now.value("health").toString(), QString("healthy"));
        QCOMPARE(now.value("errorRate").toDouble(), 0.0);
        QCOMPARE(now.value("requests").toInt(), 50 + 240); // counters stay since start

        const QJsonObject fiveMinutes = report.build(clock.now(), nullptr, 5 * 60 * net::kSeconds);
        QCOMPARE(fiveMinutes.value("window").toString(), QString("5m"));
        now = routeOf(fiveMinutes, "scheduler", "drone");
        QVERIFY(now.value("latencyMs").toObject().value("p99").toDouble() > 700);
        QVERIFY(now.value("errorRate").toDouble() > 0.01);
        QVERIFY(fiveMinutes.value("windowSeconds").toDouble() > 60);
    }

    void windowParameter()
    {
        QCOMPARE(ServicesReport::parseWindow(""), std::optional<net::Micros>(60 * net::kSeconds));
        QCOMPARE(ServicesReport::parseWindow("15m"), std::optional<net::Micros>(15 * 60 * net::kSeconds));
        QVERIFY(!ServicesReport::parseWindow("2m"));
        QVERIFY(!ServicesReport::parseWindow("5"));

        Fixture f;
        const Response byDefault = f.send("GET", "/api/services");
        QCOMPARE(byDefault.status, 200);
        QCOMPARE(byDefault.json.value("window").toString(), QString("1m"));
        const Response fifteen = f.send("GET", "/api/services?window=15m");
        QCOMPARE(fifteen.status, 200);
        QCOMPARE(fifteen.json.value("window").toString(), QString("15m"));
        const Response bad = f.send("GET", "/api/services?window=1h");
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.json.value("field").toString(), QString("window"));
    }
};

QTEST_MAIN(TestServicesWindow)
#include "tst_services_window.moc"
