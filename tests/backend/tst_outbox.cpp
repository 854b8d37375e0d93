// Tests the Outbox store: durable group appends, sequences that never repeat, acks, keys, the capacity bound.
#include "backend/ingestion/Outbox.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace dd::backend;
using namespace dronedelivery::v1;

namespace {

Outbox::Append schedule(const std::string &deliveryId, const std::string &key = {})
{
    Outbox::Append append;
    append.request.set_delivery_id(deliveryId);
    append.request.set_owner_id("owner-" + deliveryId);
    append.request.set_accepted_at_us(1000);
    append.idempotencyKey = key;
    return append;
}

std::vector<std::uint64_t> sequencesOf(const std::vector<DeliveryRequest> &requests)
{
    std::vector<std::uint64_t> sequences;
    for (const auto &request : requests)
        sequences.push_back(request.stream_sequence());
    return sequences;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void aGroupIsOneCommitWithContiguousSequences()
    {
        Outbox outbox(path("group"), 1000);
        std::vector<Outbox::Append> group;
        for (int i = 0; i < 100; ++i)
            group.push_back(schedule("d-" + std::to_string(i)));
        const auto results = outbox.append(group, 1);
        QCOMPARE(results.size(), std::size_t(100));
        for (std::size_t i = 0; i < results.size(); ++i) {
            QCOMPARE(int(results[i].outcome), int(Outbox::Outcome::Appended));
            QCOMPARE(results[i].request.stream_sequence(), std::uint64_t(i + 1));
            QCOMPARE(results[i].request.delivery_id(), "d-" + std::to_string(i));
        }
        QCOMPARE(outbox.commits(), std::uint64_t(1));
        QCOMPARE(outbox.lastSequence(), std::uint64_t(100));
        QCOMPARE(outbox.backlog(), std::uint64_t(100));
        QCOMPARE(outbox.rowCount(), std::uint64_t(100));
    }

    void rowsSurviveReopening()
    {
        {
            Outbox outbox(path("reopen"), 1000);
            outbox.append({schedule("a"), schedule("b"), schedule("c")}, 1);
        }
        Outbox reopened(path("reopen"), 1000);
        QCOMPARE(reopened.backlog(), std::uint64_t(3));
        const auto pending = reopened.pending(0, 10);
        QCOMPARE(sequencesOf(pending), (std::vector<std::uint64_t>{1, 2, 3}));
        QCOMPARE(pending[1].delivery_id(), std::string("b"));
        QCOMPARE(pending[1].owner_id(), std::string("owner-b"));
    }

    void pendingIsOrderedAndLimited()
    {
        Outbox outbox(path("pending"), 1000);
        std::vector<Outbox::Append> group;
        for (int i = 0; i < 10; ++i)
            group.push_back(schedule("d" + std::to_string(i)));
        outbox.append(group, 1);
        QCOMPARE(sequencesOf(outbox.pending(3, 4)), (std::vector<std::uint64_t>{4, 5, 6, 7}));
        QCOMPARE(sequencesOf(outbox.pending(8, 100)), (std::vector<std::uint64_t>{9, 10}));
        QVERIFY(outbox.pending(10, 100).empty());
        QVERIFY(outbox.pending(0, 0).empty());
    }

    void acknowledgeDeletesThroughTheSequence()
    {
        Outbox outbox(path("ack"), 1000);
        outbox.append({schedule("a"), schedule("b"), schedule("c")}, 1);
        QCOMPARE(outbox.acknowledge(2), std::uint64_t(2));
        QCOMPARE(outbox.ackedThrough(), std::uint64_t(2));
        QCOMPARE(outbox.backlog(), std::uint64_t(1));
        QCOMPARE(outbox.rowCount(), std::uint64_t(1));
        QCOMPARE(sequencesOf(outbox.pending(outbox.ackedThrough(), 10)), (std::vector<std::uint64_t>{3}));
        // A repeated or older ack changes nothing; one past the end only covers what exists.
        QCOMPARE(outbox.acknowledge(2), std::uint64_t(0));
        QCOMPARE(outbox.acknowledge(1), std::uint64_t(0));
        QCOMPARE(outbox.acknowledge(99), std::uint64_t(1));
        QCOMPARE(outbox.ackedThrough(), std::uint64_t(3));
        QCOMPARE(outbox.rowCount(), std::uint64_t(0));
    }

    void sequencesNeverRepeatAfterEverythingWasAcknowledged()
    {
        {
            Outbox outbox(path("seq"), 1000);
            outbox.append({schedule("a"), schedule("b")}, 1);
            outbox.acknowledge(2);
            QCOMPARE(outbox.rowCount(), std::uint64_t(0));
        }
        // The Scheduler skips sequences it has seen: reusing 1 and 2 would lose requests.
        Outbox reopened(path("seq"), 1000);
        QCOMPARE(reopened.lastSequence(), std::uint64_t(2));
        QCOMPARE(reopened.ackedThrough(), std::uint64_t(2));
        QCOMPARE(reopened.backlog(), std::uint64_t(0));
        const auto results = reopened.append({schedule("c")}, 1);
        QCOMPARE(results[0].request.stream_sequence(), std::uint64_t(3));
    }

    void anIdempotencyKeyReplaysTheFirstAnswer()
    {
        Outbox outbox(path("keys"), 1000);
        const auto first = outbox.append({schedule("first", "key-1")}, 1);
        QCOMPARE(int(first[0].outcome), int(Outbox::Outcome::Appended));
        const auto again = outbox.append({schedule("second", "key-1"), schedule("third", "key-2")}, 2);
        QCOMPARE(int(again[0].outcome), int(Outbox::Outcome::Replayed));
        QCOMPARE(again[0].request.delivery_id(), std::string("first"));
        QCOMPARE(again[0].request.stream_sequence(), std::uint64_t(1));
        QCOMPARE(int(again[1].outcome), int(Outbox::Outcome::Appended));
        QCOMPARE(outbox.rowCount(), std::uint64_t(2));
        // The key outlives the acknowledged row.
        outbox.acknowledge(2);
        const auto afterAck = outbox.append({schedule("fourth", "key-1")}, 3);
        QCOMPARE(int(afterAck[0].outcome), int(Outbox::Outcome::Replayed));
        QCOMPARE(afterAck[0].request.delivery_id(), std::string("first"));
        QCOMPARE(outbox.rowCount(), std::uint64_t(0));
    }

    void aKeyRepeatedInOneGroupIsWrittenOnce()
    {
        Outbox outbox(path("samegroup"), 1000);
        const auto results = outbox.append({schedule("x", "k"), schedule("y", "k"), schedule("z")}, 1);
        QCOMPARE(int(results[0].outcome), int(Outbox::Outcome::Appended));
        QCOMPARE(int(results[1].outcome), int(Outbox::Outcome::Replayed));
        QCOMPARE(results[1].request.delivery_id(), std::string("x"));
        QCOMPARE(results[2].request.stream_sequence(), std::uint64_t(2));
        QCOMPARE(outbox.rowCount(), std::uint64_t(2));
    }

    void keysAreKeptAcrossReopeningAndPrunedByAge()
    {
        {
            Outbox outbox(path("prune"), 1000);
            outbox.append({schedule("old", "k-old")}, 100);
            outbox.append({schedule("new", "k-new")}, 200);
        }
        Outbox reopened(path("prune"), 1000);
        QVERIFY(reopened.findKey("k-old").has_value());
        QCOMPARE(reopened.pruneKeys(150), std::size_t(1));
        QVERIFY(!reopened.findKey("k-old").has_value());
        QCOMPARE(reopened.findKey("k-new")->delivery_id(), std::string("new"));
        QVERIFY(!reopened.findKey("never-seen").has_value());
    }

    void aFullBacklogRefusesAndWritesNothing()
    {
        Outbox outbox(path("full"), 2);
        const auto results = outbox.append({schedule("a"), schedule("b"), schedule("c", "k-c")}, 1);
        QCOMPARE(int(results[0].outcome), int(Outbox::Outcome::Appended));
        QCOMPARE(int(results[1].outcome), int(Outbox::Outcome::Appended));
        QCOMPARE(int(results[2].outcome), int(Outbox::Outcome::Full));
        QCOMPARE(outbox.rowCount(), std::uint64_t(2));
        QCOMPARE(outbox.lastSequence(), std::uint64_t(2));
        // A refused request did not store its key: retried later it is a fresh request.
        QVERIFY(!outbox.findKey("k-c").has_value());
        const auto stillFull = outbox.append({schedule("d")}, 1);
        QCOMPARE(int(stillFull[0].outcome), int(Outbox::Outcome::Full));
        QCOMPARE(outbox.commits(), std::uint64_t(1)); // nothing written, no commit
        // Once the Scheduler acknowledges, there is room again.
        QCOMPARE(outbox.acknowledge(1), std::uint64_t(1));
        const auto retried = outbox.append({schedule("c", "k-c")}, 2);
        QCOMPARE(int(retried[0].outcome), int(Outbox::Outcome::Appended));
        QCOMPARE(retried[0].request.stream_sequence(), std::uint64_t(3));
    }

    void aReplayIsAnsweredWhenTheBacklogIsFull()
    {
        Outbox outbox(path("fullreplay"), 1);
        outbox.append({schedule("a", "k")}, 1);
        const auto results = outbox.append({schedule("b", "k"), schedule("c")}, 2);
        QCOMPARE(int(results[0].outcome), int(Outbox::Outcome::Replayed));
        QCOMPARE(results[0].request.delivery_id(), std::string("a"));
        QCOMPARE(int(results[1].outcome), int(Outbox::Outcome::Full));
    }

    void aFileThatIsNotADatabaseIsRefused()
    {
        const std::string garbage = path("garbage");
        QFile file(QString::fromStdString(garbage));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        QVERIFY_THROWS_EXCEPTION(SqliteError, Outbox(garbage, 10));
    }

private:
    std::string path(const char *name) const { return m_dir.filePath(QString(name) + ".sqlite").toStdString(); }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
