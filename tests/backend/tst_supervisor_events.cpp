// The Supervisor's "supervisor.events" survive a restart: sequences continue, replay returns the old events unchanged, the log stays bounded.
#include "ServiceUnderTest.h"
#include "backend/supervisor/SupervisorService.h"
#include "backend/supervisor/TransactionStore.h"
#include "mesh.pb.h"
#include "net/pubsub/Subscriber.h"
#include "net/rpc/RpcClient.h"
#include "net/transport/ServiceLoop.h"
#include "workflow.pb.h"

#include <QTemporaryDir>
#include <QtTest>

#include <mutex>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;

namespace {
constexpr std::size_t kSmallLog = 6;

/// A Supervisor whose event log keeps only kSmallLog events, so pruning shows in a few saves.
class SmallLogSupervisor : public SupervisorService
{
public:
    explicit SmallLogSupervisor(const ServiceContext &context)
        : SupervisorService(context, [] {
              SupervisorOptions options;
              options.replayCapacity = kSmallLog;
              return options;
          }())
    {
    }
};

/// Fresh endpoints on `dataDir` for the Supervisor and everything it calls (inproc names are
/// process-wide: a restarted instance on new names never races the old sockets' teardown).
ServiceContext supervisorContext(const QString &dataDir)
{
    ServiceContext context;
    context.dataDir = dataDir.toStdString();
    for (const char *name : {"supervisor", "supervisor.events", "drone", "thirdparty", "package", "delivery", "scheduler"})
        context.endpoints.add({name, dd::net::test::uniqueEndpoint(name), "v1"});
    return context;
}

/// A failed transaction with nothing costly to undo: the Supervisor compensates it at once
/// (two events: compensating, then compensated) without calling another service.
FailedTransaction accountOnly(const std::string &id)
{
    FailedTransaction tx;
    tx.set_transaction_id(id);
    tx.set_delivery_id("d-" + id);
    tx.set_failed_step(STEP_PACKAGE);
    tx.set_error("package refused");
    CompletedStep *done = tx.add_completed();
    done->set_step(STEP_ACCOUNT);
    done->set_resource_id("owner-1");
    return tx;
}

struct Replayed
{
    std::uint64_t sequence = 0;
    std::string topic, envelope, payload;
    bool operator==(const Replayed &) const = default;
};

template <typename Service>
std::pair<ReplayReply, std::vector<Replayed>> replay(ServiceUnderTest<Service> &supervisor, std::uint64_t from)
{
    ReplayRequest request;
    request.set_from_sequence(from);
    const auto answer = supervisor.template call<ReplayReply>("Events.Replay", request);
    std::vector<Replayed> out;
    for (const auto &e : answer.reply.events()) {
        dd::net::Envelope envelope;
        envelope.ParseFromString(e.envelope());
        out.push_back({envelope.sequence(), e.topic(), e.envelope(), e.payload()});
    }
    return {answer.reply, out};
}

template <typename Service>
bool report(ServiceUnderTest<Service> &supervisor, const std::string &id)
{
    return supervisor.template call<FailedTransaction>("Report", accountOnly(id)).ok();
}

/// The transaction's state as the Supervisor stores it.
template <typename Service>
TransactionState stateOf(ServiceUnderTest<Service> &supervisor, const std::string &id)
{
    TransactionIdRequest request;
    request.set_transaction_id(id);
    return supervisor.template call<FailedTransaction>("Get", request).reply.state();
}

/// A lossless subscriber that already handled the stream up to some sequence (one that lived
/// through the Supervisor's restart, as in split mode), with a replay client for gaps.
class ResumedSubscriber
{
public:
    ResumedSubscriber(const ServiceContext &context, std::uint64_t lastSeen) : m_loop("resumed")
    {
        m_loop.start();
        m_loop.invoke([&] {
            m_replay = std::make_unique<dd::net::RpcClient>(m_loop, "tester", "supervisor", context.endpoints);
            m_subscriber = std::make_unique<dd::net::Subscriber>(
                m_loop, "tester", "supervisor",
                std::vector<std::string>{context.endpoints.endpoint("supervisor.events")});
            m_subscriber->subscribe("transaction.");
            m_subscriber->setReplayClient(m_replay.get());
            m_subscriber->setHandler([this](const dd::net::Event &event) {
                std::lock_guard lock(m_mutex);
                m_heard.push_back({event.envelope.sequence(), std::string(event.topic), {}, {}});
                m_live += event.replayed ? 0 : 1;
            });
            m_subscriber->resumeFrom("supervisor", lastSeen);
        });
    }
    ~ResumedSubscriber()
    {
        m_loop.invoke([&] {
            m_subscriber.reset();
            m_replay.reset();
        });
        m_loop.stop();
    }
    std::vector<Replayed> heard() const
    {
        std::lock_guard lock(m_mutex);
        return m_heard;
    }
    /// Events that came on the live stream (not through replay): the subscription has joined.
    int live() const
    {
        std::lock_guard lock(m_mutex);
        return m_live;
    }
    int count(const std::string &topic) const
    {
        int n = 0;
        for (const Replayed &r : heard())
            n += r.topic == topic;
        return n;
    }

private:
    dd::net::ServiceLoop m_loop;
    std::unique_ptr<dd::net::RpcClient> m_replay;
    std::unique_ptr<dd::net::Subscriber> m_subscriber;
    mutable std::mutex m_mutex;
    std::vector<Replayed> m_heard;
    int m_live = 0;
};
} // namespace

class TestSupervisorEvents : public QObject
{
    Q_OBJECT

private slots:
    void sequencesContinueAcrossARestartAndReplayReturnsTheOldEvents()
    {
        QTemporaryDir dir;
        std::vector<Replayed> before;
        {
            ServiceUnderTest<SupervisorService> supervisor("supervisor", supervisorContext(dir.path()));
            QVERIFY(report(supervisor, "tx-1"));
            QVERIFY(report(supervisor, "tx-2"));
            QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(supervisor, "tx-2")), int(TX_COMPENSATED), 10000);
            before = replay(supervisor, 1).second;
            QCOMPARE(before.size(), std::size_t(4)); // compensating + compensated, twice
            for (std::size_t i = 0; i < before.size(); ++i)
                QCOMPARE(before[i].sequence, std::uint64_t(i + 1));
        }
        const std::uint64_t lastBefore = before.back().sequence;

        const ServiceContext context = supervisorContext(dir.path());
        ServiceUnderTest<SupervisorService> restarted("supervisor", context);
        // Heard everything up to lastBefore: a stream restarting at 1 would look like duplicates to it.
        ResumedSubscriber subscriber(context, lastBefore);
        // PUB/SUB joins late: warm-ups until one is heard live (with the stream restarted at 1,
        // every one of them would be dropped as a duplicate and this would never happen).
        int warmUps = 0;
        while (subscriber.live() == 0 && warmUps < 100) {
            QVERIFY(report(restarted, "warm-" + std::to_string(++warmUps)));
            (void)QTest::qWaitFor([&] { return subscriber.live() > 0; }, 100);
        }
        QVERIFY2(subscriber.live() > 0, "the resumed subscriber never heard the restarted stream");
        QVERIFY(report(restarted, "tx-3"));
        QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(restarted, "tx-3")), int(TX_COMPENSATED), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(subscriber.count("transaction.tx-3"), 2, 10000);
        // The first events after the restart too (a stream restarted at 1 has them below lastBefore).
        QCOMPARE(subscriber.count("transaction.warm-1"), 2);
        // Nothing heard twice, nothing skipped: the new events are exactly lastBefore+1, +2, ...
        const auto heard = subscriber.heard();
        for (std::size_t i = 0; i < heard.size(); ++i)
            QCOMPARE(heard[i].sequence, lastBefore + 1 + i);

        const auto [reply, after] = replay(restarted, 1);
        QCOMPARE(reply.first_available(), std::uint64_t(1));
        QCOMPARE(after.size(), before.size() + heard.size());
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY2(after[i] == before[i], qPrintable(QString("event %1 changed across the restart").arg(i + 1)));
        for (std::size_t i = before.size(); i < after.size(); ++i) {
            QCOMPARE(after[i].sequence, lastBefore + 1 + (i - before.size()));
            QCOMPARE(after[i].topic, heard[i - before.size()].topic);
        }
        QCOMPARE(after.back().topic, std::string("transaction.tx-3"));
        QCOMPARE(reply.last_sequence(), after.back().sequence);
    }

    void theLogKeepsTheNewestEventsAndReplayStartsAtTheOldestKept()
    {
        QTemporaryDir dir;
        {
            ServiceUnderTest<SmallLogSupervisor> supervisor("supervisor", supervisorContext(dir.path()));
            for (int i = 1; i <= 5; ++i)
                QVERIFY(report(supervisor, "tx-" + std::to_string(i)));
            QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(supervisor, "tx-5")), int(TX_COMPENSATED), 10000);
            const auto [reply, events] = replay(supervisor, 1);
            QCOMPARE(reply.first_available(), std::uint64_t(10 - kSmallLog + 1));
            QCOMPARE(events.size(), kSmallLog);
            QCOMPARE(events.back().sequence, std::uint64_t(10));
        }
        {
            TransactionStore store(supervisorContext(dir.path()).storePath("supervisor"));
            QCOMPARE(store.eventCount(), std::uint64_t(kSmallLog)); // pruned on disk, not only in memory
            QCOMPARE(store.lastEventSequence(), std::uint64_t(10));
        }
        ServiceUnderTest<SmallLogSupervisor> restarted("supervisor", supervisorContext(dir.path()));
        QVERIFY(report(restarted, "tx-6"));
        QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(restarted, "tx-6")), int(TX_COMPENSATED), 10000);
        const auto [reply, events] = replay(restarted, 1);
        QCOMPARE(events.size(), kSmallLog);
        QCOMPARE(events.front().sequence, std::uint64_t(12 - kSmallLog + 1));
        QCOMPARE(events.back().sequence, std::uint64_t(12));
        QCOMPARE(events.back().topic, std::string("transaction.tx-6"));
    }
};

QTEST_GUILESS_MAIN(TestSupervisorEvents)
#include "tst_supervisor_events.moc"
