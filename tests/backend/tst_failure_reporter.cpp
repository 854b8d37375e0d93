// The Scheduler's failed-transaction queue: a window of reports in flight, the rest in order, redelivery after a failure.
#include "backend/scheduler/FailureReporter.h"
#include "net/rpc/RpcServer.h"
#include "net/resilience/Clock.h"
#include "services.pb.h"

#include <QtTest>

#include <mutex>

using namespace dd;
using namespace dronedelivery::v1;
using net::kMillis;
using net::kSeconds;

namespace {

/// A real server that holds every call until the test answers it, and remembers what it was asked.
struct HoldingServer
{
    net::ServiceLoop loop;
    std::unique_ptr<net::RpcServer> server;
    std::mutex mutex;
    std::vector<std::pair<std::string, net::Responder>> held; ///< transaction id, its call
    std::vector<std::string> asked;                          ///< every call in arrival order

    HoldingServer(const std::string &service, const std::string &method) : loop("srv-" + service)
    {
        server = std::make_unique<net::RpcServer>(loop, service, "inproc://" + service);
        server->handleRaw(method, net::Idempotency::Idempotent,
                          [this, method](const net::CallContext &, std::string_view payload, net::Responder r) {
                              std::string id;
                              if (method == "RecordFailure") {
                                  DeliveryFailureRequest record;
                                  record.ParseFromArray(payload.data(), int(payload.size()));
                                  id = record.failure().transaction_id();
                              } else {
                                  FailedTransaction tx;
                                  tx.ParseFromArray(payload.data(), int(payload.size()));
                                  id = tx.transaction_id();
                              }
                              std::lock_guard lock(mutex);
                              asked.push_back(id);
                              held.emplace_back(id, std::move(r));
                          });
        loop.start();
    }
    ~HoldingServer()
    {
        loop.invoke([this] {
            held.clear();
            server.reset();
        });
        loop.stop();
    }
    std::size_t heldCount()
    {
        std::lock_guard lock(mutex);
        return held.size();
    }
    std::size_t askedCount()
    {
        std::lock_guard lock(mutex);
        return asked.size();
    }
    /// Answers every held call, OK or with `code`; on the server's loop, as a handler would.
    void answerAll(StatusCode code = OK)
    {
        loop.invoke([this, code] {
            std::vector<std::pair<std::string, net::Responder>> calls;
            {
                std::lock_guard lock(mutex);
                calls.swap(held);
            }
            for (auto &[id, r] : calls)
                code == OK ? r.replyBytes({}) : r.fail(code, "try later");
        });
    }
};

/// The reporter on its own loop (a ManualClock drives its pause before redelivery).
struct Reporter
{
    // From now: the call's deadline travels as a wall time, and the servers read the real one.
    net::ManualClock clock{net::Clock::system().now()};
    net::ServiceLoop loop{"scheduler", clock};
    std::unique_ptr<net::RpcClient> delivery, supervisor;
    std::unique_ptr<backend::FailureReporter> reporter;
    std::mutex mutex;
    std::vector<std::string> delivered;

    Reporter(std::size_t window, net::Micros retryAfter)
    {
        net::ClientOptions options;
        options.retry.maxAttempts = 1; // the reporter's own redelivery is under test, not the client's
        options.deadline = 3600 * kSeconds;
        options.heartbeatInterval = 3600 * kSeconds;
        net::EndpointTable table;
        loop.invoke([&] {
            delivery = std::make_unique<net::RpcClient>(loop, "scheduler", "delivery", table, options);
            supervisor = std::make_unique<net::RpcClient>(loop, "scheduler", "supervisor", table, options);
            reporter = std::make_unique<backend::FailureReporter>(
                loop, *delivery, *supervisor, retryAfter,
                [this](const std::string &id) {
                    std::lock_guard lock(mutex);
                    delivered.push_back(id);
                },
                window);
        });
        loop.start();
    }
    ~Reporter()
    {
        loop.invoke([this] {
            reporter.reset();
            delivery.reset();
            supervisor.reset();
        });
        loop.stop();
    }
    void report(int from, int to)
    {
        loop.invoke([this, from, to] {
            for (int i = from; i < to; ++i) {
                FailedTransaction tx;
                tx.set_transaction_id("tx-" + std::to_string(i));
                tx.set_delivery_id("d-" + std::to_string(i));
                reporter->report(tx);
            }
        });
    }
    std::pair<std::size_t, std::size_t> inFlightAndQueued()
    {
        std::pair<std::size_t, std::size_t> out;
        loop.invoke([&] { out = {reporter->inFlight(), reporter->queued()}; });
        return out;
    }
    std::vector<std::string> deliveredIds()
    {
        std::lock_guard lock(mutex);
        return delivered;
    }
};

} // namespace

class TestFailureReporter : public QObject
{
    Q_OBJECT
private slots:
    void onlyAWindowOfReportsIsInFlightAndTheRestFollowInOrder()
    {
        HoldingServer delivery("delivery", "RecordFailure");
        HoldingServer supervisor("supervisor", "Report");
        Reporter reporter(8, 100 * kMillis);
        reporter.report(0, 50);
        QTRY_COMPARE(delivery.heldCount(), std::size_t(8));
        // The window is full: the other 42 wait here, none is on the wire.
        QCOMPARE(reporter.inFlightAndQueued(), std::make_pair(std::size_t(8), std::size_t(42)));
        QCOMPARE(delivery.askedCount(), std::size_t(8));

        delivery.answerAll();
        QTRY_COMPARE(supervisor.heldCount(), std::size_t(8));
        QCOMPARE(delivery.askedCount(), std::size_t(8)); // a place frees only when the Supervisor has it
        supervisor.answerAll();
        QTRY_COMPARE(reporter.deliveredIds().size(), std::size_t(8));
        QTRY_COMPARE(delivery.heldCount(), std::size_t(8)); // the next eight
        QCOMPARE(reporter.inFlightAndQueued(), std::make_pair(std::size_t(8), std::size_t(34)));

        // Drain the rest, a window at a time; they arrive in the order they were reported.
        for (std::size_t done = 8; done < 50;) {
            const std::size_t batch = std::min<std::size_t>(8, 50 - done);
            QTRY_COMPARE(delivery.heldCount(), batch);
            delivery.answerAll();
            QTRY_COMPARE(supervisor.heldCount(), batch);
            supervisor.answerAll();
            done += batch;
            QTRY_COMPARE(reporter.deliveredIds().size(), done);
        }
        std::vector<std::string> expected;
        for (int i = 0; i < 50; ++i)
            expected.push_back("tx-" + std::to_string(i));
        QCOMPARE(delivery.asked, expected);
        QCOMPARE(reporter.deliveredIds(), expected);
        QCOMPARE(reporter.inFlightAndQueued(), std::make_pair(std::size_t(0), std::size_t(0)));
    }

    void aFailedReportIsRedeliveredAfterThePauseAndDeliveredOnce()
    {
        HoldingServer delivery("delivery", "RecordFailure");
        HoldingServer supervisor("supervisor", "Report");
        Reporter reporter(4, 5 * kSeconds);
        reporter.report(0, 1);
        QTRY_COMPARE(delivery.heldCount(), std::size_t(1));
        delivery.answerAll();
        QTRY_COMPARE(supervisor.heldCount(), std::size_t(1));
        supervisor.answerAll(TRANSIENT); // the Supervisor could not commit it
        // Its place is free at once, but it is not sent again before the pause has passed.
        QTRY_COMPARE(reporter.inFlightAndQueued(), std::make_pair(std::size_t(0), std::size_t(0)));
        QCOMPARE(delivery.askedCount(), std::size_t(1));
        QVERIFY(reporter.deliveredIds().empty());

        reporter.clock.advance(5 * kSeconds);
        reporter.loop.wake();
        QTRY_COMPARE(delivery.askedCount(), std::size_t(2)); // redelivered, from the start
        delivery.answerAll();
        QTRY_COMPARE(supervisor.askedCount(), std::size_t(2));
        supervisor.answerAll();
        QTRY_COMPARE(reporter.deliveredIds(), std::vector<std::string>{"tx-0"});
    }
};

QTEST_GUILESS_MAIN(TestFailureReporter)
#include "tst_failure_reporter.moc"
