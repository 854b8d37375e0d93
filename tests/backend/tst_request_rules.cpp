// Tests RequestRules and PackageRules: what a schedule or reschedule must carry, what it is resolved to, what is
// refused.
#include "backend/domain/PackageRules.h"
#include "backend/domain/RequestRules.h"
#include "backend/domain/RequestedDelivery.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace dd::domain;
using namespace dronedelivery::v1;

namespace {

// 2026-12-01T12:00:00Z: times are judged against an injected now, never the wall clock.
constexpr std::int64_t kNow = 1'796'126'400LL * 1'000'000;
constexpr std::int64_t kHour = 3600LL * 1'000'000;

DeliveryRequest schedule()
{
    DeliveryRequest request;
    request.set_operation(SCHEDULE);
    request.set_owner_id("owner-1");
    request.set_pickup_location("Pike Place Market");
    request.set_dropoff_location("47.6205,-122.3493");
    request.mutable_package_info()->set_package_id("pkg-1");
    request.mutable_package_info()->set_size(MEDIUM);
    request.mutable_package_info()->set_weight(2.5);
    return request;
}

std::optional<FieldError> prepare(DeliveryRequest &request, PlacePolicy places = PlacePolicy::Lenient)
{
    return RequestRules::prepare(request, RequestPolicy {places}, kNow);
}

} // namespace

class TestRequestRules : public QObject
{
    Q_OBJECT

private slots:
    void aValidScheduleIsResolved()
    {
        DeliveryRequest request = schedule();
        const auto error = prepare(request);
        QVERIFY2(!error, error ? error->message.c_str() : "");
        QCOMPARE(request.pickup().place(), std::string("Pike Place Market"));
        QCOMPARE(request.pickup().latitude(), 47.6097);
        QCOMPARE(request.dropoff().latitude(), 47.6205);
        QVERIFY(request.dropoff().place().empty());
        QCOMPARE(request.pickup_time_us(), std::int64_t(0)); // none given: as soon as possible
        QCOMPARE(int(request.package_info().size()), int(MEDIUM));
        QCOMPARE(request.pickup_location(), std::string("Pike Place Market")); // the text stays as written
    }

    void scheduleRefusals_data()
    {
        QTest::addColumn<QByteArray>("what");
        QTest::addColumn<QString>("field");
        QTest::newRow("no owner") << QByteArray("owner") << "ownerId";
        QTest::newRow("no pickup") << QByteArray("pickup") << "pickupLocation";
        QTest::newRow("dropoff at 0,0") << QByteArray("dropoff") << "dropOffLocation";
        QTest::newRow("no packageInfo") << QByteArray("package") << "packageInfo";
        QTest::newRow("weight 0") << QByteArray("weight0") << "packageInfo.weight";
        QTest::newRow("negative weight") << QByteArray("weight-") << "packageInfo.weight";
        QTest::newRow("NaN weight") << QByteArray("weightNaN") << "packageInfo.weight";
        QTest::newRow("heavier than any carrier") << QByteArray("weight+") << "packageInfo.weight";
        QTest::newRow("size not in the enum") << QByteArray("size42") << "packageInfo.size";
        QTest::newRow("pickupTime no date") << QByteArray("time?") << "pickupTime";
        QTest::newRow("pickupTime 8 days ahead") << QByteArray("time+8d") << "pickupTime";
    }

    void scheduleRefusals()
    {
        QFETCH(QByteArray, what);
        QFETCH(QString, field);
        DeliveryRequest request = schedule();
        PackageInfo &package = *request.mutable_package_info();
        if (what == "owner")
            request.clear_owner_id();
        else if (what == "pickup")
            request.clear_pickup_location();
        else if (what == "dropoff")
            request.set_dropoff_location("0,0");
        else if (what == "package")
            request.clear_package_info();
        else if (what == "weight0")
            package.set_weight(0);
        else if (what == "weight-")
            package.set_weight(-1);
        else if (what == "weightNaN")
            package.set_weight(std::numeric_limits<double>::quiet_NaN());
        else if (what == "weight+")
            package.set_weight(PackageRules::kMaxWeightKg + 0.01);
        else if (what == "size42")
            package.set_size(PackageSize(42));
        else if (what == "time?")
            request.set_pickup_time("next tuesday");
        else if (what == "time+8d")
            request.set_pickup_time("2026-12-09T12:00:00Z");
        const auto error = prepare(request);
        QVERIFY(error);
        QCOMPARE(QString::fromStdString(error->field), field);
        QVERIFY(!error->message.empty());
    }

    void packageRules()
    {
        PackageInfo package;
        package.set_weight(PackageRules::kMaxWeightKg); // inclusive: the heaviest a carrier takes
        QVERIFY(!PackageRules::prepare(package));
        QCOMPARE(int(package.size()), int(SMALL)); // no size: Small, as the reference's ModelsConverter
        package.set_weight(0.001);
        package.set_size(LARGE);
        QVERIFY(!PackageRules::prepare(package));
        QCOMPARE(int(package.size()), int(LARGE));
        package.set_weight(1200);
        const auto tooHeavy = PackageRules::prepare(package);
        QVERIFY(tooHeavy);
        QCOMPARE(tooHeavy->message,
            std::string("packageInfo.weight must be at most 1000 kg (the heaviest a carrier takes)"));
        // Drones carry far less: everything between them and the limit is a carrier's job, so
        // the Package step no longer refuses what a carrier would take (it refused > 50 kg).
        QVERIFY(PackageRules::validWeight(50.01));
        QVERIFY(PackageRules::validWeight(999));
        QVERIFY(!PackageRules::validWeight(std::numeric_limits<double>::infinity()));
        QVERIFY(!PackageRules::validSize(PACKAGE_SIZE_UNSPECIFIED));
    }

    void pickupTimeIsNowOrAFutureWindow_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("the reference's 2019") << "2019-04-05T12:00:00.000Z" << qint64(0);
        QTest::newRow("a minute ago") << "2026-12-01T11:59:00Z" << qint64(0);
        QTest::newRow("in 15 minutes") << "2026-12-01T12:15:00Z" << qint64(kNow + kHour / 4);
        QTest::newRow("with an offset") << "2026-12-01T05:30:00-08:00" << qint64(kNow + kHour + kHour / 2);
        QTest::newRow("no offset is UTC") << "2026-12-01T13:00:00" << qint64(kNow + kHour);
        QTest::newRow("milliseconds") << "2026-12-01T12:00:00.250Z" << qint64(kNow + 250000);
        QTest::newRow("a date") << "2026-12-03" << qint64(kNow + 36 * kHour);
        QTest::newRow("7 days ahead exactly") << "2026-12-08T12:00:00Z" << qint64(kNow + 7 * 24 * kHour);
    }

    void pickupTimeIsNowOrAFutureWindow()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        DeliveryRequest request = schedule();
        request.set_pickup_time(text.toStdString());
        request.set_pickup_time_us(12345); // whatever the caller sent is recomputed
        const auto error = prepare(request);
        QVERIFY2(!error, error ? error->message.c_str() : "");
        QCOMPARE(qint64(request.pickup_time_us()), expected);
        QCOMPARE(request.pickup_time(), text.toStdString()); // kept as given
    }

    void theReferencePayloadIsScheduledWithStandIns()
    {
        DeliveryRequest request = schedule();
        request.set_owner_id("myowner");
        request.set_pickup_location("my pickup");
        request.set_dropoff_location("drop off");
        request.set_pickup_time("2019-04-05T12:00:00.000Z");
        QVERIFY(!prepare(request));
        QVERIFY(request.pickup().stand_in() && request.dropoff().stand_in());
        QCOMPARE(request.pickup_time_us(), std::int64_t(0));

        DeliveryRequest strict = request;
        const auto refused = prepare(strict, PlacePolicy::Strict);
        QVERIFY(refused);
        QCOMPARE(refused->field, std::string("pickupLocation"));
    }

    void aTypoNamesTheFieldAndTheSuggestion()
    {
        DeliveryRequest request = schedule();
        request.set_dropoff_location("Fremnt");
        const auto error = prepare(request);
        QVERIFY(error);
        QCOMPARE(error->field, std::string("dropOffLocation"));
        QCOMPARE(error->suggestions, std::vector<std::string> {"Fremont"});
    }

    void aRescheduleResolvesOnlyWhatItChanges()
    {
        DeliveryRequest request;
        request.set_operation(RESCHEDULE);
        request.set_delivery_id("d-1");
        request.set_dropoff_location("alki beach");
        request.set_pickup_location("  "); // blank: unchanged
        QVERIFY(!prepare(request));
        QVERIFY(!request.has_pickup());
        QCOMPARE(request.dropoff().place(), std::string("Alki Beach"));
        QCOMPARE(request.pickup_time_us(), std::int64_t(0));

        DeliveryRequest later;
        later.set_operation(RESCHEDULE);
        later.set_delivery_id("d-1");
        later.set_pickup_time("2026-12-01T14:00:00Z");
        QVERIFY(!prepare(later)); // no owner, no package: a reschedule needs neither
        QVERIFY(!later.has_pickup() && !later.has_dropoff());
        QCOMPARE(later.pickup_time_us(), kNow + 2 * kHour);

        DeliveryRequest far = later;
        far.set_pickup_location("0,0");
        const auto error = prepare(far);
        QVERIFY(error);
        QCOMPARE(error->field, std::string("pickupLocation"));
        far.set_pickup_location("47.61,-122.33");
        far.set_pickup_time("2027-01-01T00:00:00Z");
        QCOMPARE(prepare(far)->field, std::string("pickupTime"));
    }

    void aCancelCarriesNothingToCheck()
    {
        DeliveryRequest cancel;
        cancel.set_operation(CANCEL);
        cancel.set_delivery_id("d-1");
        QVERIFY(!prepare(cancel, PlacePolicy::Strict));
        QVERIFY(!cancel.has_pickup());
    }

    void theRequestedDeliveryNamesTheCallersTrace()
    {
        DeliveryRequest request = schedule();
        QCOMPARE(requestedDelivery(request).trace_id(), std::string());
        request.set_trace_id_hi(0x4bf92f3577b34da6ULL);
        request.set_trace_id_lo(0x00000000000000a1ULL);
        QCOMPARE(requestedDelivery(request).trace_id(), std::string("4bf92f3577b34da600000000000000a1"));
    }
};

QTEST_GUILESS_MAIN(TestRequestRules)
#include "tst_request_rules.moc"
