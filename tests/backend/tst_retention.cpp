// Tests the retention seam: the sweeper's slices and timer, --retention on the command line, the subscriber reset.
#include "../net/PubSubTestSupport.h"
#include "BackendOptions.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/delivery/DeliveryStore.h"
#include "backend/common/SqliteDb.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <mutex>

using namespace dd;
using namespace dd::backend;
using namespace dronedelivery::v1;

namespace {
constexpr net::Micros kHour = 3600 * net::kSeconds;

Delivery delivery(const std::string &id, DeliveryStage stage, net::Micros updatedAt)
{
    Delivery d;
    d.set_delivery_id(id);
    d.set_owner_id("owner");
    d.set_stage(stage);
    d.set_updated_at_us(updatedAt);
    return d;
}

std::optional<app::BackendOptions> parse(const QStringList &arguments, std::string *error)
{
    return app::BackendOptions::parse(arguments, error);
}
} // namespace

class TestRetention : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void sweepIntervalFollowsTheAge()
    {
        RetentionPolicy policy;
        QCOMPARE(policy.age, 7 * 24 * kHour);
        QCOMPARE(policy.sweepInterval(), 60 * net::kSeconds); // a week: once a minute
        policy.age = 30 * net::kSeconds;
        QCOMPARE(policy.sweepInterval(), 3 * net::kSeconds);
        policy.age = 2 * net::kSeconds;
        QCOMPARE(policy.sweepInterval(), net::kSeconds); // never busier than once a second
        policy.interval = 5 * net::kSeconds;
        QCOMPARE(policy.sweepInterval(), 5 * net::kSeconds);
        QCOMPARE(policy.cutoff(10 * kHour), 10 * kHour - policy.age);
    }

    void aSweepRunsInSlicesOnePerLoopTurnUntilNothingIsLeft()
    {
        net::ManualClock clock(100 * kHour);
        net::ServiceLoop loop("retention-slices", clock);
        loop.start();
        std::unique_ptr<DeliveryStore> store;
        std::unique_ptr<RetentionSweeper> sweeper;
        std::mutex mutex;
        std::vector<std::uint64_t> sliceTurns; // loop iteration of each slice
        std::vector<std::size_t> sliceSizes;
        int slicesBeforeTheRequest = -1;
        loop.invoke([&] {
            store = std::make_unique<DeliveryStore>(path("delivery"), clock);
            store->db().transaction([&] {
                for (int i = 0; i < 100; ++i)
                    store->save(delivery("done-" + std::to_string(i), STAGE_COMPLETED, 10 * kHour));
                for (int i = 0; i < 5; ++i)
                    store->save(delivery("flying-" + std::to_string(i), STAGE_HEADED_TO_PICKUP, 10 * kHour));
                for (int i = 0; i < 3; ++i)
                    store->save(delivery("done-recent-" + std::to_string(i), STAGE_COMPLETED, 99 * kHour));
            });
            RetentionPolicy policy;
            policy.age = 24 * kHour; // cutoff 76 h: the 100 completed at 10 h go
            policy.slice = 7;
            sweeper = std::make_unique<RetentionSweeper>(loop, policy);
            sweeper->add("deliveries", [&](net::Micros cutoff, std::size_t slice) {
                const std::size_t removed = store->pruneDeliveriesBefore(cutoff, slice);
                std::lock_guard lock(mutex);
                sliceTurns.push_back(loop.iterations());
                sliceSizes.push_back(removed);
                if (sliceTurns.size() == 1) // a request that arrives while the sweep is under way
                    loop.post([&] {
                        std::lock_guard lock(mutex);
                        slicesBeforeTheRequest = int(sliceTurns.size());
                    });
                return removed;
            });
        });
        loop.post([&] { sweeper->sweepNow(); });
        QTRY_COMPARE_WITH_TIMEOUT(sweeper->sweepsDone(), std::uint64_t(1), 10000);

        std::lock_guard lock(mutex);
        QCOMPARE(sweeper->rowsRemoved(), std::uint64_t(100));
        QCOMPARE(sliceSizes.size(), std::size_t(16)); // 14 of 7, one of 2, the empty one that ends it
        QCOMPARE(sliceSizes.front(), std::size_t(7));
        QCOMPARE(sliceSizes.back(), std::size_t(0));
        for (std::size_t i = 1; i < sliceTurns.size(); ++i)
            QVERIFY2(sliceTurns[i] > sliceTurns[i - 1], "two slices ran in one loop turn");
        QCOMPARE(slicesBeforeTheRequest, 1); // it ran before the second slice, not after the sweep
        loop.invoke([&] {
            QCOMPARE(store->deliveryCount(), std::uint64_t(8));
            QCOMPARE(store->unfinished().size(), std::size_t(5));
            QVERIFY(store->find("done-recent-0"));
            QVERIFY(!store->find("done-0"));
            sweeper.reset();
            store.reset();
        });
        loop.stop();
    }

    void theTimerStartsASweepEveryIntervalWithItsOwnCutoff()
    {
        net::ManualClock clock(100 * kHour);
        net::ServiceLoop loop("retention-timer", clock);
        std::atomic<int> calls{0};
        std::atomic<net::Micros> lastCutoff{0};
        std::atomic<net::Micros> keyCutoff{0};
        RetentionPolicy policy;
        policy.age = 10 * kHour;
        policy.interval = 60 * net::kSeconds;
        RetentionSweeper sweeper(loop, policy);
        sweeper.add("rows", [&](net::Micros cutoff, std::size_t) {
            ++calls;
            lastCutoff = cutoff;
            return std::size_t(0);
        });
        // A step with a shorter age of its own (Idempotency-Keys), and one that fails: the rest go on.
        sweeper.add("keys", [&](net::Micros cutoff, std::size_t) {
            keyCutoff = cutoff;
            return std::size_t(0);
        }, kHour);
        sweeper.add("broken", [&](net::Micros, std::size_t) -> std::size_t { throw SqliteError("disk I/O error"); });
        loop.invoke([&] { sweeper.start(); });
        loop.start();
        QCOMPARE(sweeper.sweepsDone(), std::uint64_t(0));
        clock.advance(60 * net::kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(sweeper.sweepsDone(), std::uint64_t(1), 10000);
        QCOMPARE(lastCutoff.load(), 100 * kHour + 60 * net::kSeconds - 10 * kHour);
        QCOMPARE(keyCutoff.load(), 100 * kHour + 60 * net::kSeconds - kHour);
        QCOMPARE(sweeper.failures(), std::uint64_t(1));
        clock.advance(60 * net::kSeconds);
        loop.wake();
        QTRY_COMPARE_WITH_TIMEOUT(sweeper.sweepsDone(), std::uint64_t(2), 10000);
        QCOMPARE(calls.load(), 2);
        QCOMPARE(lastCutoff.load(), 100 * kHour + 120 * net::kSeconds - 10 * kHour);
        loop.invoke([&] { sweeper.stop(); });
        loop.stop();
    }

    void retentionFlagTakesADuration()
    {
        std::string error;
        auto defaults = parse({}, &error);
        QVERIFY(defaults);
        QCOMPARE(defaults->retentionUs, 7 * 24 * kHour);
        const std::pair<const char *, net::Micros> good[] = {
            {"30s", 30 * net::kSeconds}, {"15m", 15 * 60 * net::kSeconds}, {"12h", 12 * kHour},
            {"7d", 7 * 24 * kHour},      {"90", 90 * net::kSeconds}};
        for (const auto &[text, micros] : good) {
            auto options = parse({"--retention", text}, &error);
            QVERIFY2(options, text);
            QCOMPARE(options->retentionUs, micros);
        }
        for (const char *bad : {"7w", "0d", "-1h", "", "1.5h", "h"}) {
            error.clear();
            QVERIFY2(!parse({"--retention", bad}, &error), bad);
            QVERIFY2(error.find("--retention needs a duration such as") != std::string::npos, error.c_str());
            QVERIFY2(error.find(std::string("\"") + bad + "\"") != std::string::npos, error.c_str());
        }
        QVERIFY(!parse({"--retention"}, &error));
        QCOMPARE(error, std::string("--retention needs a duration"));
    }

    void retentionFromTheConfigFile()
    {
        const QString file = m_dir.filePath("backend.conf");
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("# a short retention for a test deployment\nretention = 2d\n");
        out.close();
        std::string error;
        auto options = parse({"--config", file}, &error);
        QVERIFY2(options, error.c_str());
        QCOMPARE(options->retentionUs, 2 * 24 * kHour);
        // The command line wins over the file.
        options = parse({"--config", file, "--retention", "45m"}, &error);
        QVERIFY2(options, error.c_str());
        QCOMPARE(options->retentionUs, 45 * 60 * net::kSeconds);
    }

    void aReplayFromPrunedEventsIsAnExplicitReset()
    {
        using namespace dd::net;
        using namespace dd::net::test;
        DurableLog log;
        PublisherOptions options;
        options.replayCapacity = 10; // the buffer holds 41..50, the log the rest
        log.attachTo(options);
        Rig rig("reset", std::move(options));
        for (int i = 1; i <= 50; ++i)
            rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i));
        {
            // Retention pruned 1..30 from the log.
            std::lock_guard lock(log.mutex);
            log.events.erase(log.events.begin(), log.events.begin() + 30);
        }
        std::mutex mutex;
        std::vector<StreamReset> resets;
        Subscriber &sub = rig.attach({"delivery."}, true);
        rig.loop.invoke([&] {
            sub.setResetHandler([&](const StreamReset &reset) {
                std::lock_guard lock(mutex);
                resets.push_back(reset);
            });
            sub.resumeFrom(rig.service, 5); // it had handled 1..5, then was away
        });
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.status"), 20, 10000);
        const auto seen = rig.seen.events();
        QCOMPARE(seen.front().sequence, std::uint64_t(31));
        QCOMPARE(seen.back().sequence, std::uint64_t(50));
        QVERIFY(consecutive(seen));
        QCOMPARE(sub.resets(), std::uint64_t(1));
        std::lock_guard lock(mutex);
        QCOMPARE(resets.size(), std::size_t(1));
        QCOMPARE(resets[0].source, rig.service);
        QCOMPARE(resets[0].missingFrom, std::uint64_t(6));
        QCOMPARE(resets[0].resumedAt, std::uint64_t(31));
    }

    void aReplayThatFindsEverythingIsNoReset()
    {
        using namespace dd::net;
        using namespace dd::net::test;
        DurableLog log;
        PublisherOptions options;
        options.replayCapacity = 10;
        log.attachTo(options);
        Rig rig("no-reset", std::move(options));
        for (int i = 1; i <= 30; ++i)
            rig.publisher.publishRaw("delivery.status", "DeliveryStatusChanged", std::to_string(i));
        Subscriber &sub = rig.attach({"delivery."}, true);
        rig.loop.invoke([&] { sub.resumeFrom(rig.service, 5); });
        QTRY_COMPARE_WITH_TIMEOUT(rig.seen.count("delivery.status"), 25, 10000);
        QCOMPARE(rig.seen.events().front().sequence, std::uint64_t(6));
        QCOMPARE(sub.resets(), std::uint64_t(0));
    }

private:
    std::string path(const char *name) { return m_dir.filePath(QString(name) + ".sqlite").toStdString(); }
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
