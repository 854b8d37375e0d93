// Tests of the ThirdParty service over the mesh: bookings, pricing, carriers, cancel/refund, durability.
#include "ServiceUnderTest.h"
#include "backend/common/Geo.h"
#include "backend/thirdparty/ThirdPartyService.h"
#include "backend/thirdparty/ThirdPartyStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <limits>
#include <set>

using namespace dd::backend;
using namespace dronedelivery::v1;
using Running = test::ServiceUnderTest<ThirdPartyService>;

namespace {

Location at(double latitude, double longitude)
{
    Location location;
    location.set_latitude(latitude);
    location.set_longitude(longitude);
    return location;
}

const Location kPickup = at(47.6062, -122.3321);
const Location kDropoff = at(47.6205, -122.3493);

ThirdPartyScheduleRequest scheduleRequest(const std::string &deliveryId, double weight = 12.0,
                                          const Location &pickup = kPickup, const Location &dropoff = kDropoff)
{
    ThirdPartyScheduleRequest request;
    request.set_delivery_id(deliveryId);
    *request.mutable_pickup() = pickup;
    *request.mutable_dropoff() = dropoff;
    request.set_weight(weight);
    return request;
}

ThirdPartyCancelRequest cancelRequest(const std::string &deliveryId)
{
    ThirdPartyCancelRequest request;
    request.set_delivery_id(deliveryId);
    return request;
}

} // namespace

class TestThirdPartyService : public QObject
{
    Q_OBJECT

private slots:
    void carrierIsStableAndSpreadAcrossCarriers();
    void costGrowsWithDistanceAndWeight();
    void scheduleBooksAPaidCarrier();
    void scheduleTwiceForTheSameDeliveryIsTheSameBooking();
    void eachDeliveryGetsItsOwnBooking();
    void scheduleRefusesInvalidInput_data();
    void scheduleRefusesInvalidInput();
    void cancelRefundsAndIsReplayable();
    void cancelOfUnknownOrEmptyDelivery();
    void scheduleAfterCancelBooksAnew();
    void garbagePayloadsAreBadRequest();
    void bookingsSurviveARestart();
};

void TestThirdPartyService::carrierIsStableAndSpreadAcrossCarriers()
{
    std::set<std::string_view> used;
    for (int i = 0; i < 60; ++i) {
        const std::string id = "delivery-" + std::to_string(i);
        const auto carrier = ThirdPartyService::carrierFor(id);
        QCOMPARE(ThirdPartyService::carrierFor(id), carrier);
        used.insert(carrier);
    }
    QCOMPARE(used.size(), ThirdPartyService::kCarriers.size());
    // FNV-1a pinned: the same delivery goes to the same carrier in every build.
    QCOMPARE(std::string(ThirdPartyService::carrierFor("d-1")), std::string("Fabrikam Freight"));
    QCOMPARE(std::string(ThirdPartyService::carrierFor("d-3")), std::string("Contoso Couriers"));
}

void TestThirdPartyService::costGrowsWithDistanceAndWeight()
{
    const auto base = ThirdPartyService::costCents(0, 0);
    QVERIFY(base > 0); // a booking is never free
    QVERIFY(ThirdPartyService::costCents(5000, 0) > base);
    QVERIFY(ThirdPartyService::costCents(10000, 0) > ThirdPartyService::costCents(5000, 0));
    QVERIFY(ThirdPartyService::costCents(5000, 20) > ThirdPartyService::costCents(5000, 2));
    QCOMPARE(ThirdPartyService::costCents(1234, 5.5), ThirdPartyService::costCents(1234, 5.5));
}

void TestThirdPartyService::scheduleBooksAPaidCarrier()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const auto answer = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 12.0));
    QVERIFY2(answer.ok(), answer.status.toString().c_str());
    const auto &booking = answer.reply;
    QCOMPARE(booking.booking_id(), std::string("tp-1"));
    QCOMPARE(booking.delivery_id(), std::string("d-1"));
    QCOMPARE(booking.carrier(), std::string(ThirdPartyService::carrierFor("d-1")));
    QVERIFY(booking.paid());
    const double meters = geo::distanceMeters(kPickup, kDropoff);
    QVERIFY(meters > 1000); // the fixture is a real trip
    QCOMPARE(booking.cost_cents(), ThirdPartyService::costCents(meters, 12.0));
    QVERIFY(booking.cost_cents() > ThirdPartyService::costCents(0, 0));
}

void TestThirdPartyService::scheduleTwiceForTheSameDeliveryIsTheSameBooking()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const auto first = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 12.0));
    QVERIFY(first.ok());
    // A replay with a new message id (the mesh does not de-duplicate it) and drifted weight.
    const auto second = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 30.0));
    QVERIFY2(second.ok(), second.status.toString().c_str());
    QCOMPARE(second.reply.SerializeAsString(), first.reply.SerializeAsString());
    thirdparty.stop();
    ThirdPartyStore store(thirdparty.storePath());
    QCOMPARE(store.count(), std::int64_t(1));
    QCOMPARE(store.findActive("d-1")->SerializeAsString(), first.reply.SerializeAsString());
}

void TestThirdPartyService::eachDeliveryGetsItsOwnBooking()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const auto a = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-a"));
    const auto b = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-b"));
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a.reply.booking_id(), std::string("tp-1"));
    QCOMPARE(b.reply.booking_id(), std::string("tp-2"));
    QCOMPARE(b.reply.delivery_id(), std::string("d-b"));
}

void TestThirdPartyService::scheduleRefusesInvalidInput_data()
{
    QTest::addColumn<QString>("deliveryId");
    QTest::addColumn<double>("weight");
    QTest::addColumn<double>("pickupLatitude");
    QTest::addColumn<double>("dropoffLongitude");
    QTest::addColumn<bool>("withDropoff");
    QTest::addColumn<QString>("field");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("no delivery id") << "" << 1.0 << 47.6 << -122.3 << true << "deliveryId";
    QTest::newRow("latitude past the pole") << "d" << 1.0 << 91.0 << -122.3 << true << "pickup";
    QTest::newRow("NaN latitude") << "d" << 1.0 << nan << -122.3 << true << "pickup";
    QTest::newRow("longitude out of range") << "d" << 1.0 << 47.6 << -181.0 << true << "dropoff";
    QTest::newRow("no dropoff") << "d" << 1.0 << 47.6 << -122.3 << false << "dropoff";
    QTest::newRow("negative weight") << "d" << -0.5 << 47.6 << -122.3 << true << "weight";
    QTest::newRow("NaN weight") << "d" << nan << 47.6 << -122.3 << true << "weight";
    QTest::newRow("absurd weight") << "d" << 5000.0 << 47.6 << -122.3 << true << "weight";
}

void TestThirdPartyService::scheduleRefusesInvalidInput()
{
    QFETCH(QString, deliveryId);
    QFETCH(double, weight);
    QFETCH(double, pickupLatitude);
    QFETCH(double, dropoffLongitude);
    QFETCH(bool, withDropoff);
    QFETCH(QString, field);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());

    auto request = scheduleRequest(deliveryId.toStdString(), weight, at(pickupLatitude, -122.3),
                                   at(47.61, dropoffLongitude));
    if (!withDropoff)
        request.clear_dropoff();
    QCOMPARE(QString::fromStdString(ThirdPartyService::invalidField(request)), field);
    const auto answer = thirdparty.call<ThirdPartyBooking>("Schedule", request);
    QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(answer.field(), field.toUtf8());
    thirdparty.stop();
    QCOMPARE(ThirdPartyStore(thirdparty.storePath()).count(), std::int64_t(0)); // nothing booked
}

void TestThirdPartyService::cancelRefundsAndIsReplayable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    QVERIFY(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1")).ok());
    QVERIFY(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-2")).ok());

    for (int round = 0; round < 2; ++round) { // the second is a replay: same answer, no second refund
        const auto answer = thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest("d-1"));
        QVERIFY2(answer.ok(), answer.status.toString().c_str());
        QVERIFY(answer.reply.existed());
        QVERIFY(answer.reply.paid());
        QVERIFY(answer.reply.refunded());
    }
    thirdparty.stop();
    ThirdPartyStore store(thirdparty.storePath());
    QCOMPARE(store.count(), std::int64_t(2));
    QCOMPARE(store.countActive(), std::int64_t(1)); // d-2 untouched
    QVERIFY(!store.findActive("d-1"));
    QVERIFY(store.findActive("d-2"));
}

void TestThirdPartyService::cancelOfUnknownOrEmptyDelivery()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const auto unknown = thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest("never-booked"));
    QVERIFY(unknown.ok());
    QVERIFY(!unknown.reply.existed());
    QVERIFY(!unknown.reply.refunded());
    QVERIFY(!unknown.reply.paid());
    const auto empty = thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest(""));
    QCOMPARE(empty.code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(empty.field(), QByteArray("deliveryId"));
}

void TestThirdPartyService::scheduleAfterCancelBooksAnew()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const auto first = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 3.0));
    QVERIFY(first.ok());
    QVERIFY(thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest("d-1")).reply.refunded());

    // The refunded booking is spent: a new schedule is a new, paid booking with a new id.
    const auto again = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 8.0));
    QVERIFY2(again.ok(), again.status.toString().c_str());
    QCOMPARE(again.reply.booking_id(), std::string("tp-2"));
    QVERIFY(again.reply.paid());
    QCOMPARE(again.reply.carrier(), first.reply.carrier());
    QVERIFY(again.reply.cost_cents() > first.reply.cost_cents()); // priced for the new weight
    // ...and it is the delivery's booking from now on.
    QCOMPARE(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1")).reply.booking_id(),
             std::string("tp-2"));
}

void TestThirdPartyService::garbagePayloadsAreBadRequest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running thirdparty("thirdparty", dir.path());
    const std::string garbage("\xff\xff\xff\xff\x0f garbage", 13);
    for (const char *method : {"Schedule", "Cancel"})
        QCOMPARE(thirdparty.callBytes<ThirdPartyBooking>(method, garbage).code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(thirdparty.callBytes<ThirdPartyBooking>("Schedule", std::string()).field(), QByteArray("deliveryId"));
    QVERIFY(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1")).ok());
}

void TestThirdPartyService::bookingsSurviveARestart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::string path;
    ThirdPartyBooking kept;
    {
        Running thirdparty("thirdparty", dir.path());
        path = thirdparty.storePath();
        const auto booked = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1"));
        QVERIFY(booked.ok());
        kept = booked.reply;
        QVERIFY(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-2")).ok());
        QVERIFY(thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest("d-2")).reply.existed());
    }
    {
        // A new instance: the mesh's de-duplication memory is gone, only the store remembers.
        Running thirdparty("thirdparty", dir.path());
        const auto replay = thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-1", 40.0));
        QVERIFY2(replay.ok(), replay.status.toString().c_str());
        QCOMPARE(replay.reply.SerializeAsString(), kept.SerializeAsString());
        const auto cancelled = thirdparty.call<ThirdPartyCancelReply>("Cancel", cancelRequest("d-2"));
        QVERIFY(cancelled.reply.existed() && cancelled.reply.refunded());
        // Booking ids keep counting: tp-1 and tp-2 were handed out before the restart.
        QCOMPARE(thirdparty.call<ThirdPartyBooking>("Schedule", scheduleRequest("d-3")).reply.booking_id(),
                 std::string("tp-3"));
    }
    ThirdPartyStore store(path);
    QCOMPARE(store.count(), std::int64_t(3));
    QCOMPARE(store.countActive(), std::int64_t(2));
    QCOMPARE(store.findActive("d-1")->SerializeAsString(), kept.SerializeAsString());
}

QTEST_GUILESS_MAIN(TestThirdPartyService)
#include "tst_thirdparty_service.moc"
