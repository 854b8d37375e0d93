// Delivery's status events go out only after their commit (a real full disk makes it fail), and a restart never reuses a heard sequence.
#include "DeliveryTestSupport.h"
#include "SmallDisk.h"

#include <QtTest>

#include <map>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dronedelivery::v1;
using Service = DeliveryUnderTest;

namespace {
/// The sequence the recorder heard `delivery.<id>` with, 0 if it has not.
std::uint64_t heardSequence(const Recorder &recorder, const std::string &id)
{
    for (const Heard &heard : recorder.heard())
        if (heard.topic == "delivery." + id)
            return heard.sequence;
    return 0;
}

/// Creates warm-up deliveries until the recorder's subscription is live (PUB/SUB joins late).
bool untilHeard(Service &delivery, Recorder &recorder, const std::string &prefix)
{
    for (int i = 0; i < 200; ++i) {
        const std::string id = prefix + std::to_string(i);
        if (!delivery.call<Delivery>("Create", newDelivery(id)).ok())
            return false;
        if (QTest::qWaitFor([&] { return recorder.size() > 0; }, 50))
            return true;
    }
    return false;
}
} // namespace

class TestDeliveryEvents : public QObject
{
    Q_OBJECT

private slots:
    void aFailedCommitPublishesNothingAndARestartNeverReusesAHeardSequence()
    {
        SmallDisk disk(4 * 1024 * 1024);
        if (!disk.available())
            QSKIP(qPrintable("needs a tmpfs of its own (run as root): " + disk.why()));
        std::map<std::uint64_t, std::string> heardBefore; // sequence → topic, everything a subscriber got
        std::uint64_t lastHeard = 0;
        {
            Service delivery("delivery", trackingContext(disk.path()));
            Recorder recorder("delivery", delivery.context().endpoints.endpoint("delivery.events"), "delivery.",
                              dd::net::HwmPolicy::Lossless);
            QVERIFY(untilHeard(delivery, recorder, "warm-"));
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-1")).ok());
            QTRY_VERIFY_WITH_TIMEOUT(heardSequence(recorder, "d-1") != 0, 10000);
            const std::uint64_t first = heardSequence(recorder, "d-1");

            // The disk fills up: the group commit fails, so the caller gets an error and nobody hears of d-2.
            QVERIFY(disk.fill() > 0);
            const auto refused = delivery.call<Delivery>("Create", newDelivery("d-2"));
            QVERIFY2(!refused.ok(), "the commit should have failed on a full disk");
            QCOMPARE(refused.code(), QByteArray("TRANSIENT")); // disk full passes once space is freed
            QCOMPARE(delivery.call<Delivery>("Get", idOf("d-2")).code(), QByteArray("NOT_FOUND"));

            // Space freed: writes succeed again without a restart; the unheard number is used, no gap.
            disk.freeSpace();
            QVERIFY(delivery.call<Delivery>("Create", newDelivery("d-3")).ok());
            QTRY_VERIFY_WITH_TIMEOUT(heardSequence(recorder, "d-3") != 0, 10000);
            QCOMPARE(heardSequence(recorder, "d-2"), std::uint64_t(0));
            QCOMPARE(heardSequence(recorder, "d-3"), first + 1);

            // Full again right before a stop: what failed last must not leave a number behind.
            QVERIFY(disk.fill() > 0);
            QVERIFY(!delivery.call<Delivery>("Create", newDelivery("d-4")).ok());
            QVERIFY(delivery.call<Delivery>("Get", idOf("d-3")).ok()); // reads still work
            for (const Heard &heard : recorder.heard()) {
                QVERIFY2(heardBefore.emplace(heard.sequence, heard.topic).second, "a sequence was heard twice");
                lastHeard = std::max(lastHeard, heard.sequence);
            }
            QCOMPARE(heardBefore.rbegin()->second, std::string("delivery.d-3"));
        }
        disk.freeSpace();

        Service restarted("delivery", trackingContext(disk.path()));
        Recorder recorder("delivery", restarted.context().endpoints.endpoint("delivery.events"), "delivery.",
                          dd::net::HwmPolicy::Lossless);
        QVERIFY(untilHeard(restarted, recorder, "after-"));
        const auto afterRestart = recorder.heard();
        QVERIFY2(afterRestart.front().sequence > lastHeard,
                 qPrintable(QString("sequence %1 after the restart, %2 heard before it")
                                .arg(afterRestart.front().sequence)
                                .arg(lastHeard)));
        // Every event anybody heard is the one the store has under that number.
        std::map<std::uint64_t, std::string> stored;
        for (const Replayed &event : replay(restarted, 1))
            stored.emplace(event.sequence, event.topic);
        for (const auto &[sequence, topic] : heardBefore)
            QCOMPARE(stored[sequence], topic);
        QCOMPARE(restarted.call<Delivery>("Get", idOf("d-4")).code(), QByteArray("NOT_FOUND"));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryEvents)
#include "tst_delivery_events.moc"
