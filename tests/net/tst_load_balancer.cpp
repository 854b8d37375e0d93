// Tests of the load-balancing policies, peak-EWMA latency and weighted version routing.
#include "net/resilience/Clock.h"
#include "net/resilience/LoadBalancer.h"
#include "net/resilience/Random.h"
#include "net/resilience/VersionRouter.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace dd::net;

namespace {
constexpr Micros kNow = 1'700'000'000 * kSeconds;

std::vector<InstanceLoad> pool(int n)
{
    return std::vector<InstanceLoad>(std::size_t(n));
}

const LbPolicy kAllPolicies[] = {LbPolicy::Random, LbPolicy::RoundRobin, LbPolicy::LeastOutstanding,
                                 LbPolicy::PeakEwma};
} // namespace

class TestLoadBalancer : public QObject
{
    Q_OBJECT

private slots:
    void policyNames()
    {
        for (LbPolicy p : kAllPolicies)
            QCOMPARE(parseLbPolicy(toString(p)), std::optional<LbPolicy>(p));
        QCOMPARE(parseLbPolicy("Round-Robin"), std::optional<LbPolicy>(LbPolicy::RoundRobin));
        QCOMPARE(parseLbPolicy("p2c"), std::optional<LbPolicy>(LbPolicy::LeastOutstanding));
        QCOMPARE(parseLbPolicy("least_request"), std::optional<LbPolicy>(LbPolicy::LeastOutstanding));
        QCOMPARE(parseLbPolicy("PEAK_EWMA"), std::optional<LbPolicy>(LbPolicy::PeakEwma));
        QVERIFY(!parseLbPolicy("fastest").has_value());
        QVERIFY(!parseLbPolicy("").has_value());
        QCOMPARE(toString(LbPolicy::RoundRobin), "round_robin");
    }

    void noneEligibleGivesNothing()
    {
        SeededRandom rng(1);
        for (LbPolicy p : kAllPolicies) {
            auto lb = makeLoadBalancer(p, rng);
            QVERIFY(!lb->pick({}, kNow).has_value());
            auto v = pool(4);
            for (auto &l : v)
                l.eligible = false;
            QVERIFY2(!lb->pick(v, kNow).has_value(), toString(p));
        }
    }

    void singleEligibleIsAlwaysChosen()
    {
        SeededRandom rng(2);
        for (LbPolicy p : kAllPolicies) {
            auto lb = makeLoadBalancer(p, rng);
            auto v = pool(5);
            for (auto &l : v)
                l.eligible = false;
            v[3].eligible = true;
            v[3].outstanding = 50; // loaded, but the only choice
            for (int i = 0; i < 200; ++i)
                QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(3));
        }
    }

    void randomIsUniformOverEligible()
    {
        SeededRandom rng(3);
        auto lb = makeLoadBalancer(LbPolicy::Random, rng);
        auto v = pool(5);
        v[2].eligible = false;
        int counts[5] = {};
        const int n = 40000;
        for (int i = 0; i < n; ++i)
            counts[*lb->pick(v, kNow)]++;
        QCOMPARE(counts[2], 0);
        for (int i : {0, 1, 3, 4})
            QVERIFY2(std::abs(counts[i] - n / 4) < n / 4 / 20, qPrintable(QString::number(counts[i])));
    }

    void randomWithMostlyIneligible()
    {
        // Exercises the counting fallback once rejection sampling keeps missing.
        SeededRandom rng(4);
        auto lb = makeLoadBalancer(LbPolicy::Random, rng);
        auto v = pool(100);
        for (auto &l : v)
            l.eligible = false;
        v[17].eligible = true;
        v[71].eligible = true;
        int c17 = 0;
        for (int i = 0; i < 10000; ++i) {
            const auto pick = lb->pick(v, kNow);
            QVERIFY(pick == std::optional<std::size_t>(17) || pick == std::optional<std::size_t>(71));
            c17 += *pick == 17 ? 1 : 0;
        }
        QVERIFY2(std::abs(c17 - 5000) < 300, qPrintable(QString::number(c17)));
    }

    void roundRobinRotatesAndSkipsIneligible()
    {
        SeededRandom rng(5);
        auto lb = makeLoadBalancer(LbPolicy::RoundRobin, rng);
        auto v = pool(4);
        v[1].eligible = false;
        std::vector<std::size_t> seq;
        for (int i = 0; i < 6; ++i)
            seq.push_back(*lb->pick(v, kNow));
        QCOMPARE(seq, (std::vector<std::size_t>{0, 2, 3, 0, 2, 3}));
        v[1].eligible = true; // back in rotation at its turn
        QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(0));
        QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(1));
        // A shrinking pool keeps the cursor in range.
        v.resize(2);
        for (int i = 0; i < 4; ++i)
            QVERIFY(*lb->pick(v, kNow) < 2);
    }

    void leastOutstandingPrefersLessLoadedOfTwo()
    {
        // With two instances the two distinct choices are both of them.
        ScriptedRandom rng{0.1, 0.6}; // first choice index 0, second index 1
        auto lb = makeLoadBalancer(LbPolicy::LeastOutstanding, rng);
        auto v = pool(2);
        v[0].outstanding = 5;
        v[1].outstanding = 1;
        QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(1));
        v[0].outstanding = 1;
        v[1].outstanding = 5;
        QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(0));

        // Distinct choices: the loaded one of two never wins, whatever the draws.
        SeededRandom seeded(6);
        auto lb2 = makeLoadBalancer(LbPolicy::LeastOutstanding, seeded);
        v[0].outstanding = 0;
        v[1].outstanding = 3;
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(lb2->pick(v, kNow), std::optional<std::size_t>(0));
    }

    void leastOutstandingStatistics()
    {
        SeededRandom rng(7);
        auto lb = makeLoadBalancer(LbPolicy::LeastOutstanding, rng);
        auto v = pool(10);
        for (auto &l : v)
            l.outstanding = 5;
        v[0].outstanding = 100; // overloaded: loses every comparison
        v[9].outstanding = 0;   // idle: wins every comparison it is in
        v[4].eligible = false;
        int counts[10] = {};
        const int n = 10000;
        for (int i = 0; i < n; ++i)
            counts[*lb->pick(v, kNow)]++;
        QCOMPARE(counts[0], 0);
        QCOMPARE(counts[4], 0);
        // 9 eligible: the idle one is in 2 of 9 pairs (22 %) against 11 % for uniform.
        QVERIFY2(counts[9] > n * 18 / 100 && counts[9] < n * 26 / 100, qPrintable(QString::number(counts[9])));
    }

    void peakEwmaTracksPeaksAndDecays()
    {
        PeakEwma e(10 * kSeconds);
        QVERIFY(!e.known());
        QCOMPARE(e.value(kNow), 0.0);
        e.observe(100 * kMillis, kNow);
        QVERIFY(e.known());
        QCOMPARE(e.value(kNow), double(100 * kMillis));
        // A slower answer replaces the estimate at once.
        e.observe(300 * kMillis, kNow + 1);
        QVERIFY(std::abs(e.value(kNow + 1) - 300.0 * kMillis) < 1.0);
        // A fast answer right after does not wipe out the peak (alpha ~ 0).
        e.observe(10 * kMillis, kNow + 2);
        QVERIFY(e.value(kNow + 2) > 299.0 * kMillis);
        // Without samples the estimate fades by e^-1 per decay time.
        const double later = e.value(kNow + 2 + 10 * kSeconds);
        QVERIFY(std::abs(later - e.value(kNow + 2) * std::exp(-1.0)) < 1.0);
        // A sample below the estimate after a while pulls it between sample and estimate.
        const Micros t = kNow + 2 + 10 * kSeconds;
        const double before = e.value(t);
        e.observe(100 * kMillis, t);
        QVERIFY(e.value(t) <= before);
        QVERIFY(e.value(t) >= 100.0 * kMillis);
    }

    void peakEwmaBalancerPrefersFastAndAccountsForLoad()
    {
        SeededRandom rng(8);
        auto lb = makeLoadBalancer(LbPolicy::PeakEwma, rng);
        auto v = pool(2);
        v[0].latency.observe(100 * kMillis, kNow);
        v[1].latency.observe(10 * kMillis, kNow);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(1));
        // 10 ms x 21 outstanding costs more than 100 ms x 1.
        v[1].outstanding = 20;
        for (int i = 0; i < 100; ++i)
            QCOMPARE(lb->pick(v, kNow), std::optional<std::size_t>(0));
        // A new instance without samples gets traffic.
        v.push_back(InstanceLoad{});
        v[0].outstanding = 0;
        v[1].outstanding = 0;
        int fresh = 0;
        for (int i = 0; i < 300; ++i)
            fresh += *lb->pick(v, kNow) == 2 ? 1 : 0;
        QVERIFY2(fresh > 150, qPrintable(QString::number(fresh))); // in 2 of 3 pairs, wins both
    }

    void versionWeightsSplitTraffic()
    {
        VersionRouter r;
        r.setWeights({{"v1", 90}, {"v2", 10}});
        SeededRandom rng(9);
        std::map<std::string, int> counts;
        for (int i = 0; i < 10000; ++i)
            counts[std::string(r.choose({}, rng))]++;
        QCOMPARE(int(counts.size()), 2);
        // Expected 1000, standard deviation 30.
        QVERIFY2(std::abs(counts["v2"] - 1000) < 120, qPrintable(QString::number(counts["v2"])));
        QCOMPARE(counts["v1"] + counts["v2"], 10000);
    }

    void versionOverrideAndEdgeCases()
    {
        VersionRouter r;
        SeededRandom rng(10);
        QCOMPARE(r.choose({}, rng), std::string_view());
        QCOMPARE(r.choose("v2", rng), std::string_view()); // unknown: no weights, any version
        QVERIFY(!r.hasVersion("v1"));

        r.setWeights({{"v1", 100}, {"v2", 0}});
        QVERIFY(r.hasVersion("v1"));
        QVERIFY(r.hasVersion("v2"));
        QVERIFY(!r.hasVersion("v3"));
        for (int i = 0; i < 500; ++i) {
            QCOMPARE(r.choose({}, rng), std::string_view("v1"));   // weight 0 never drawn
            QCOMPARE(r.choose("v2", rng), std::string_view("v2")); // ... but reachable by header
            QCOMPARE(r.choose("v9", rng), std::string_view("v1")); // unknown override ignored
        }
        ScriptedRandom edge{0.0, 0.99999};
        r.setWeights({{"a", 1}, {"b", 1}, {"a", 2}}); // a: 3, b: 1
        QCOMPARE(r.choose({}, edge), std::string_view("a"));
        QCOMPARE(r.choose({}, edge), std::string_view("b"));
        r.setWeights({{"v1", 0}});
        QCOMPARE(r.choose({}, rng), std::string_view()); // nothing weighted: any
        r.setWeights({});
        QVERIFY(!r.hasVersion("v1"));
    }
};

QTEST_APPLESS_MAIN(TestLoadBalancer)
#include "tst_load_balancer.moc"
