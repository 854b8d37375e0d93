// Tests IngestionService: durable group commit, idempotency keys, the bounded backlog, the stream to the Scheduler.
#include "../net/RpcTestSupport.h"
#include "FakeScheduler.h"
#include "backend/ingestion/IngestionService.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <future>
#include <set>
#include <thread>

using namespace dd;
using namespace dd::backend;
using dd::backend::test::FakeScheduler;
using namespace dronedelivery::v1;

namespace {

IngestionOptions testOptions()
{
    IngestionOptions options;
    options.stream.deadline = 500 * net::kMillis;
    options.stream.backoffMin = 20 * net::kMillis;
    options.stream.backoffMax = 200 * net::kMillis;
    options.stream.creditProbeInterval = 20 * net::kMillis;
    return options;
}

DeliveryRequest scheduleRequest(const std::string &owner = "owner-1")
{
    DeliveryRequest request;
    request.set_operation(SCHEDULE);
    request.set_owner_id(owner);
    request.set_pickup_location("47.60,-122.33");
    request.set_dropoff_location("47.62,-122.30");
    request.mutable_package_info()->set_package_id("pkg-1");
    request.mutable_package_info()->set_size(SMALL);
    request.mutable_package_info()->set_weight(2.0);
    return request;
}

/// One Ingestion instance on a data dir, streaming to `schedulerEndpoint`.
struct Ingestion
{
    ServiceContext context; // the service keeps a reference: declared first
    std::unique_ptr<IngestionService> service;

    Ingestion(const QString &dataDir, const std::string &schedulerEndpoint, IngestionOptions options = testOptions())
    {
        context.dataDir = dataDir.toStdString();
        context.endpoints.add({"scheduler", schedulerEndpoint, "v1"});
        service = std::make_unique<IngestionService>(context, options);
        service->start();
    }
    ~Ingestion() { service->stop(); }

    AcceptResult accept(DeliveryRequest request, std::string key = {})
    {
        auto promise = std::make_shared<std::promise<AcceptResult>>();
        auto future = promise->get_future();
        service->accept(std::move(request), std::move(key),
                        [promise](AcceptResult result) { promise->set_value(std::move(result)); });
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
            qFatal("accept did not answer within 30 s");
        return future.get();
    }

    /// Fires `count` accepts without waiting; `answered` counts the done callbacks.
    void acceptMany(int count, std::atomic<int> &answered, std::vector<std::string> *ids = nullptr,
                    std::mutex *idsMutex = nullptr)
    {
        for (int i = 0; i < count; ++i)
            service->accept(scheduleRequest("owner-" + std::to_string(i)), {}, [&, ids, idsMutex](AcceptResult r) {
                if (ids) {
                    std::lock_guard lock(*idsMutex);
                    ids->push_back(r.request.delivery_id());
                }
                ++answered;
            });
    }
};

/// Reads the outbox file through a second connection: what is on disk, not what the service believes.
std::int64_t rowsOnDisk(const std::string &path, const std::string &deliveryId = {})
{
    sqlite3 *db = nullptr;
    std::int64_t rows = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        const char *sql = deliveryId.empty() ? "SELECT COUNT(*) FROM outbox"
                                             : "SELECT COUNT(*) FROM outbox WHERE delivery_id = ?";
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
            if (!deliveryId.empty())
                sqlite3_bind_text(stmt, 1, deliveryId.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(stmt) == SQLITE_ROW)
                rows = sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return rows;
}

std::vector<std::uint64_t> oneTo(std::uint64_t n)
{
    std::vector<std::uint64_t> sequence(n);
    for (std::uint64_t i = 0; i < n; ++i)
        sequence[i] = i + 1;
    return sequence;
}

} // namespace

class TestIngestionService : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_endpoint = net::test::uniqueEndpoint("scheduler");
    }

    void anAcceptedRequestIsOnDiskWhenDoneRuns()
    {
        Ingestion ingestion(m_dir->path(), m_endpoint); // no Scheduler: nothing is acknowledged
        const std::string path = ingestion.context.storePath("ingestion");
        std::atomic<int> answered{0};
        std::atomic<int> onDisk{0};
        for (int i = 0; i < 20; ++i)
            ingestion.service->accept(scheduleRequest(), {}, [&](AcceptResult result) {
                if (result.kind == AcceptResult::Kind::Accepted && rowsOnDisk(path, result.request.delivery_id()) == 1)
                    ++onDisk;
                ++answered;
            });
        QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 20, 20000);
        QCOMPARE(onDisk.load(), 20);
        QCOMPARE(ingestion.service->stats().accepted, std::uint64_t(20));
        QCOMPARE(ingestion.service->stats().backlog, std::uint64_t(20));
    }

    void acceptsQueuedDuringACommitShareTheNextOne()
    {
        Ingestion ingestion(m_dir->path(), m_endpoint);
        // Hold the service thread as if a commit were running, queue 1,000 accepts from
        // four threads meanwhile, then let it go: they must all land in one transaction.
        std::promise<void> gate;
        auto gateOpen = gate.get_future().share();
        ingestion.service->loop().post([gateOpen] { gateOpen.wait(); });
        std::atomic<int> answered{0};
        std::vector<std::string> ids;
        std::mutex idsMutex;
        std::vector<std::thread> producers;
        for (int t = 0; t < 4; ++t)
            producers.emplace_back([&] { ingestion.acceptMany(250, answered, &ids, &idsMutex); });
        for (auto &producer : producers)
            producer.join();
        QCOMPARE(answered.load(), 0); // nothing is answered before its commit
        gate.set_value();
        QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 1000, 20000);
        const auto stats = ingestion.service->stats();
        QCOMPARE(stats.accepted, std::uint64_t(1000));
        QCOMPARE(stats.commits, std::uint64_t(1));
        QCOMPARE(rowsOnDisk(ingestion.context.storePath("ingestion")), std::int64_t(1000));
        // Server-assigned ids: "d-" + 12 base32 characters, all different.
        std::set<std::string> unique(ids.begin(), ids.end());
        QCOMPARE(unique.size(), std::size_t(1000));
        for (const auto &id : ids) {
            QCOMPARE(id.size(), std::size_t(14));
            QVERIFY(id.rfind("d-", 0) == 0);
        }
    }

    void concurrentAcceptsNeedFewerCommitsThanRequests()
    {
        Ingestion ingestion(m_dir->path(), m_endpoint);
        std::atomic<int> answered{0};
        std::vector<std::thread> producers;
        for (int t = 0; t < 4; ++t)
            producers.emplace_back([&] { ingestion.acceptMany(500, answered); });
        for (auto &producer : producers)
            producer.join();
        QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 2000, 30000);
        const auto stats = ingestion.service->stats();
        QCOMPARE(stats.accepted, std::uint64_t(2000));
        QVERIFY2(stats.commits < 2000, QByteArray::number(qulonglong(stats.commits)));
    }

    void anIdempotencyKeyReplaysTheFirstAnswer()
    {
        FakeScheduler scheduler(m_endpoint);
        std::string firstId;
        {
            Ingestion ingestion(m_dir->path(), m_endpoint);
            const auto first = ingestion.accept(scheduleRequest("alice"), "key-1");
            QCOMPARE(toString(first.kind), "accepted");
            firstId = first.request.delivery_id();
            const auto again = ingestion.accept(scheduleRequest("bob"), "key-1");
            QCOMPARE(toString(again.kind), "replayed");
            QCOMPARE(again.request.delivery_id(), firstId);
            QCOMPARE(again.request.owner_id(), std::string("alice"));
            QCOMPARE(again.request.stream_sequence(), first.request.stream_sequence());
            const auto other = ingestion.accept(scheduleRequest("carol"), "key-2");
            QCOMPARE(toString(other.kind), "accepted");
            QVERIFY(other.request.delivery_id() != firstId);
            QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(2), 20000);
            // The acknowledgement is committed a moment after the Scheduler answers:
            // wait for it, so the restart below really finds nothing left to stream.
            QTRY_COMPARE_WITH_TIMEOUT(ingestion.service->stats().backlog, std::uint64_t(0), 20000);
            QCOMPARE(ingestion.service->stats().accepted, std::uint64_t(2));
            QCOMPARE(ingestion.service->stats().replayed, std::uint64_t(1));
        }
        // After a restart, and after the Scheduler acknowledged the row, the key still replays.
        Ingestion restarted(m_dir->path(), m_endpoint);
        const auto replay = restarted.accept(scheduleRequest("dave"), "key-1");
        QCOMPARE(toString(replay.kind), "replayed");
        QCOMPARE(replay.request.delivery_id(), firstId);
        QCOMPARE(restarted.service->stats().backlog, std::uint64_t(0));
        QCOMPARE(scheduler.processedCount(), std::size_t(2));
    }

    void aFullBacklogIsRefusedAndNothingIsWritten()
    {
        IngestionOptions options = testOptions();
        options.maxBacklog = 3;
        Ingestion ingestion(m_dir->path(), m_endpoint, options); // no Scheduler yet
        for (int i = 0; i < 3; ++i)
            QCOMPARE(toString(ingestion.accept(scheduleRequest()).kind), "accepted");
        const auto refused = ingestion.accept(scheduleRequest(), "key-refused");
        QCOMPARE(toString(refused.kind), "backlog_full");
        QVERIFY(refused.retryAfterSeconds >= 1);
        auto stats = ingestion.service->stats();
        QCOMPARE(stats.rejectedFull, std::uint64_t(1));
        QCOMPARE(stats.backlog, std::uint64_t(3));
        QCOMPARE(stats.accepted, std::uint64_t(3));
        QCOMPARE(rowsOnDisk(ingestion.context.storePath("ingestion")), std::int64_t(3));

        // The Scheduler comes up and drains the backlog: the same request is accepted now.
        FakeScheduler scheduler(m_endpoint);
        QTRY_COMPARE_WITH_TIMEOUT(ingestion.service->stats().backlog, std::uint64_t(0), 20000);
        QCOMPARE(scheduler.processed(), oneTo(3));
        const auto retried = ingestion.accept(scheduleRequest(), "key-refused");
        QCOMPARE(toString(retried.kind), "accepted");
        QCOMPARE(retried.request.stream_sequence(), std::uint64_t(4));
    }

    void everyRequestReachesTheSchedulerOnceInOrderWithinCredit()
    {
        FakeScheduler scheduler(m_endpoint);
        scheduler.credit = 100; // smaller than a batch: the producer must respect it
        Ingestion ingestion(m_dir->path(), m_endpoint);
        std::atomic<int> answered{0};
        std::vector<std::string> ids;
        std::mutex idsMutex;
        ingestion.acceptMany(1200, answered, &ids, &idsMutex);
        QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 1200, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(1200), 30000);
        QCOMPARE(scheduler.processed(), oneTo(1200));
        QCOMPARE(scheduler.creditViolations(), 0);
        QCOMPARE(scheduler.duplicates(), 0);
        QVERIFY(scheduler.largestBatch() <= 500);
        // The payload travels intact: the n-th sequence is the n-th accepted request.
        std::set<std::string> sent;
        for (const auto &request : scheduler.requests()) {
            QCOMPARE(int(request.operation()), int(SCHEDULE));
            QVERIFY(request.trace_id_hi() != 0 || request.trace_id_lo() != 0);
            QVERIFY(request.accepted_at_us() > 0);
            sent.insert(request.delivery_id());
        }
        QCOMPARE(sent, std::set<std::string>(ids.begin(), ids.end()));
        QTRY_COMPARE_WITH_TIMEOUT(ingestion.service->stats().acked, std::uint64_t(1200), 20000);
        QCOMPARE(ingestion.service->stats().backlog, std::uint64_t(0));
        QCOMPARE(rowsOnDisk(ingestion.context.storePath("ingestion")), std::int64_t(0));
    }

    void noCreditPausesTheStreamUntilTheSchedulerGrantsMore()
    {
        FakeScheduler scheduler(m_endpoint);
        scheduler.credit = 0;
        Ingestion ingestion(m_dir->path(), m_endpoint);
        ingestion.accept(scheduleRequest());
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(1), 20000); // the initial credit
        for (int i = 0; i < 10; ++i)
            ingestion.accept(scheduleRequest());
        // The ack granted nothing: only empty probes go out, nothing more is processed.
        QTRY_VERIFY_WITH_TIMEOUT(scheduler.emptyBatches() >= 3, 20000);
        QCOMPARE(scheduler.processedCount(), std::size_t(1));
        QCOMPARE(ingestion.service->stats().backlog, std::uint64_t(10));
        scheduler.credit = 500;
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(11), 20000);
        QCOMPARE(scheduler.processed(), oneTo(11));
        QCOMPARE(scheduler.creditViolations(), 0);
    }

    void aTransientFailureIsRedelivered()
    {
        FakeScheduler scheduler(m_endpoint);
        scheduler.failNext = 2;
        Ingestion ingestion(m_dir->path(), m_endpoint);
        for (int i = 0; i < 50; ++i)
            ingestion.accept(scheduleRequest());
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(50), 20000);
        QCOMPARE(scheduler.processed(), oneTo(50));
        QVERIFY(scheduler.submits() >= 3);
        QVERIFY(ingestion.service->stats().redeliveries >= 2);
        QTRY_COMPARE_WITH_TIMEOUT(ingestion.service->stats().backlog, std::uint64_t(0), 20000);
    }

    void aTimedOutBatchIsRedelivered()
    {
        FakeScheduler scheduler(m_endpoint);
        scheduler.holdNext = 1; // the first Submit is never answered
        Ingestion ingestion(m_dir->path(), m_endpoint);
        for (int i = 0; i < 30; ++i)
            ingestion.accept(scheduleRequest());
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(30), 20000);
        QCOMPARE(scheduler.processed(), oneTo(30));
        QVERIFY(ingestion.service->stats().redeliveries >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(ingestion.service->stats().backlog, std::uint64_t(0), 20000);
    }

    void aRestartResumesTheUnacknowledgedRows()
    {
        std::vector<std::string> ids;
        {
            Ingestion ingestion(m_dir->path(), m_endpoint); // the Scheduler is down
            for (int i = 0; i < 40; ++i)
                ids.push_back(ingestion.accept(scheduleRequest()).request.delivery_id());
            QCOMPARE(ingestion.service->stats().backlog, std::uint64_t(40));
        }
        FakeScheduler scheduler(m_endpoint);
        Ingestion restarted(m_dir->path(), m_endpoint);
        QCOMPARE(restarted.service->stats().backlog, std::uint64_t(40));
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.processedCount(), std::size_t(40), 20000);
        QCOMPARE(scheduler.processed(), oneTo(40));
        const auto requests = scheduler.requests();
        for (std::size_t i = 0; i < ids.size(); ++i)
            QCOMPARE(requests[i].delivery_id(), ids[i]);
        QTRY_COMPARE_WITH_TIMEOUT(restarted.service->stats().backlog, std::uint64_t(0), 20000);
        // New requests continue the sequence.
        QCOMPARE(restarted.accept(scheduleRequest()).request.stream_sequence(), std::uint64_t(41));
    }

    void aKilledProcessLosesNothingItAnswered()
    {
        // A child process accepts as fast as it can and prints each id once its done
        // callback ran; we SIGKILL it mid-stream, then every printed id must be on disk.
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("DD_INGESTION_CHILD_DIR", m_dir->path());
        child.setProcessEnvironment(environment);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted(20000));
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += child.readAllStandardOutput()).count('\n') >= 300, 30000);
        child.kill();
        QVERIFY(child.waitForFinished(20000));
        output += child.readAllStandardOutput();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        std::set<std::string> answered;
        for (const QByteArray &line : output.split('\n'))
            if (line.startsWith("d-") && line.size() == 14) // a line cut by the kill is not an answer
                answered.insert(line.toStdString());
        QVERIFY(answered.size() >= 300);
        Outbox outbox(m_dir->filePath("ingestion.sqlite").toStdString(), 1000000);
        std::set<std::string> stored;
        for (const auto &request : outbox.pending(0, 1000000))
            stored.insert(request.delivery_id());
        for (const auto &id : answered)
            QVERIFY2(stored.count(id) == 1, id.c_str());
        QCOMPARE(outbox.backlog(), std::uint64_t(stored.size()));
    }

    void rescheduleAndCancelKeepTheirIdsAndBadRequestsAreRefused()
    {
        Ingestion ingestion(m_dir->path(), m_endpoint);
        DeliveryRequest reschedule;
        reschedule.set_operation(RESCHEDULE);
        reschedule.set_delivery_id("d-existing");
        reschedule.set_deadline("tomorrow");
        const auto rescheduled = ingestion.accept(reschedule);
        QCOMPARE(toString(rescheduled.kind), "accepted");
        QCOMPARE(rescheduled.request.delivery_id(), std::string("d-existing"));
        QCOMPARE(int(rescheduled.request.operation()), int(RESCHEDULE));

        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        const auto noId = ingestion.accept(cancel);
        QCOMPARE(toString(noId.kind), "invalid");
        QCOMPARE(noId.field, std::string("deliveryId"));

        DeliveryRequest unknown = scheduleRequest();
        unknown.set_operation(RequestOperation(42));
        QCOMPARE(toString(ingestion.accept(unknown).kind), "invalid");

        // A client cannot choose the id of a new delivery.
        DeliveryRequest chosen = scheduleRequest();
        chosen.set_delivery_id("mine");
        const auto scheduled = ingestion.accept(chosen);
        QVERIFY(scheduled.request.delivery_id() != "mine");
        QCOMPARE(ingestion.service->stats().accepted, std::uint64_t(2));
    }

    void aStoppedServiceAnswersUnavailableAtOnce()
    {
        Ingestion ingestion(m_dir->path(), m_endpoint);
        ingestion.service->stop();
        bool answered = false;
        AcceptResult result;
        ingestion.service->accept(scheduleRequest(), {}, [&](AcceptResult r) {
            answered = true;
            result = std::move(r);
        });
        QVERIFY(answered); // synchronously: nobody waits on a stopped service
        QCOMPARE(toString(result.kind), "unavailable");
        QVERIFY(result.retryAfterSeconds >= 1);
    }

    void acceptOverTheMeshStoresAndMapsRefusals()
    {
        IngestionOptions options = testOptions();
        options.maxBacklog = 1; // no Scheduler: the second request finds the backlog full
        Ingestion ingestion(m_dir->path(), m_endpoint, options);
        net::test::ClientHarness mesh("ingestion", ingestion.context.endpoints);

        const auto accepted = mesh.callAndWait("Accept", scheduleRequest("alice").SerializeAsString());
        QVERIFY2(accepted.status.ok(), accepted.status.toString().c_str());
        DeliveryRequest stored;
        QVERIFY(stored.ParseFromString(accepted.payload));
        QVERIFY(stored.delivery_id().rfind("d-", 0) == 0);
        QCOMPARE(stored.owner_id(), std::string("alice"));
        QCOMPARE(stored.pickup().latitude(), 47.60); // resolved once, at accept
        QCOMPARE(rowsOnDisk(ingestion.context.storePath("ingestion"), stored.delivery_id()), std::int64_t(1));
        // The caller's trace is the workflow's, so its waterfall starts at the caller.
        QCOMPARE(stored.trace_id_hi(), accepted.trace.traceIdHi);
        QCOMPARE(stored.trace_id_lo(), accepted.trace.traceIdLo);

        const auto full = mesh.callAndWait("Accept", scheduleRequest("bob").SerializeAsString());
        QCOMPARE(int(full.status.code), int(OVERLOADED));
        QVERIFY2(full.status.message.find("retry after") != std::string::npos, full.status.message.c_str());

        DeliveryRequest cancelWithoutId;
        cancelWithoutId.set_operation(CANCEL);
        const auto invalid = mesh.callAndWait("Accept", cancelWithoutId.SerializeAsString());
        QCOMPARE(int(invalid.status.code), int(BAD_REQUEST));
        QCOMPARE(invalid.status.field, std::string("deliveryId"));
        // The console submits here: the request rules refuse for it as for the HTTP gateway.
        DeliveryRequest typo = scheduleRequest("carol");
        typo.set_dropoff_location("Fremnt");
        const auto unknownPlace = mesh.callAndWait("Accept", typo.SerializeAsString());
        QCOMPARE(int(unknownPlace.status.code), int(BAD_REQUEST));
        QCOMPARE(unknownPlace.status.field, std::string("dropOffLocation"));
        QVERIFY2(unknownPlace.status.message.find("did you mean Fremont?") != std::string::npos,
                 unknownPlace.status.message.c_str());
        QCOMPARE(ingestion.service->stats().accepted, std::uint64_t(1));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_endpoint;
};

/// The child of aKilledProcessLosesNothingItAnswered: accepts until it is killed.
int runAcceptingChild(const QString &dataDir)
{
    ServiceContext context;
    context.dataDir = dataDir.toStdString();
    context.endpoints.add({"scheduler", net::test::uniqueEndpoint("absent-scheduler"), "v1"});
    IngestionOptions options;
    options.maxBacklog = 1000000;
    IngestionService service(context, options);
    service.start();
    std::atomic<int> inFlight{0};
    for (;;) {
        if (inFlight.load() > 200) {
            std::this_thread::yield();
            continue;
        }
        ++inFlight;
        service.accept(scheduleRequest(), {}, [&inFlight](AcceptResult result) {
            if (result.kind == AcceptResult::Kind::Accepted) {
                std::printf("%s\n", result.request.delivery_id().c_str());
                std::fflush(stdout);
            }
            --inFlight;
        });
    }
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("DD_INGESTION_CHILD_DIR"))
        return runAcceptingChild(qEnvironmentVariable("DD_INGESTION_CHILD_DIR"));
    QCoreApplication app(argc, argv);
    TestIngestionService test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_ingestion_service.moc"
