// Tests of the Package service over the mesh: validation, first-write-wins upsert, delete, durability.
#include "ServiceUnderTest.h"
#include "backend/domain/PackageRules.h"
#include "backend/package/PackageService.h"
#include "backend/package/PackageStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace dd::backend;
using namespace dronedelivery::v1;
using Running = test::ServiceUnderTest<PackageService>;

namespace {

PackageCreateRequest createRequest(const std::string &packageId, const std::string &deliveryId, double weight = 2.5,
                                   PackageSize size = MEDIUM, const std::string &tag = "fragile")
{
    PackageCreateRequest request;
    request.mutable_package()->set_package_id(packageId);
    request.mutable_package()->set_weight(weight);
    request.mutable_package()->set_size(size);
    request.mutable_package()->set_tag(tag);
    request.set_delivery_id(deliveryId);
    return request;
}

PackageIdRequest idRequest(const std::string &packageId)
{
    PackageIdRequest request;
    request.set_package_id(packageId);
    return request;
}

/// Starts at the real time so the mesh's deadline checks behave; moves only when told.
dd::net::ManualClock realStartClock()
{
    return dd::net::ManualClock(dd::net::Clock::system().now());
}

} // namespace

class TestPackageService : public QObject
{
    Q_OBJECT

private slots:
    void createStoresAndGetReturnsIt();
    void createRefusesInvalidInput_data();
    void createRefusesInvalidInput();
    void weightLimitIsInclusive();
    void createTwiceForTheSameDeliveryKeepsOneRow();
    void createForAnotherDeliveryConflicts();
    void getUnknownIsNotFoundAndEmptyIsBadRequest();
    void deleteTwiceIsFineAndFreesTheId();
    void garbagePayloadsAreBadRequest();
    void packagesSurviveARestartAndStayIdempotent();
};

void TestPackageService::createStoresAndGetReturnsIt()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto clock = realStartClock();
    Running package("package", dir.path(), &clock);

    const auto created = package.call<Package>("Create", createRequest("pkg-1", "d-1", 2.5, LARGE, "glass"));
    QVERIFY2(created.ok(), created.status.toString().c_str());
    QCOMPARE(created.reply.info().package_id(), std::string("pkg-1"));
    QCOMPARE(created.reply.delivery_id(), std::string("d-1"));
    QCOMPARE(int(created.reply.info().size()), int(LARGE));
    QCOMPARE(created.reply.info().weight(), 2.5);
    QCOMPARE(created.reply.info().tag(), std::string("glass"));
    QCOMPARE(created.reply.created_at_us(), clock.now()); // stamped with the service's clock

    const auto got = package.call<Package>("Get", idRequest("pkg-1"));
    QVERIFY(got.ok());
    QCOMPARE(got.reply.SerializeAsString(), created.reply.SerializeAsString());
}

void TestPackageService::createRefusesInvalidInput_data()
{
    QTest::addColumn<QString>("packageId");
    QTest::addColumn<double>("weight");
    QTest::addColumn<int>("size");
    QTest::addColumn<QString>("field");
    const QString weight = "packageInfo.weight";
    QTest::newRow("no package id") << "" << 1.0 << int(SMALL) << "packageInfo.packageId";
    QTest::newRow("zero weight") << "p" << 0.0 << int(SMALL) << weight;
    QTest::newRow("negative weight") << "p" << -1.0 << int(SMALL) << weight;
    QTest::newRow("over the carriers' limit")
        << "p" << dd::domain::PackageRules::kMaxWeightKg + 0.01 << int(SMALL) << weight;
    QTest::newRow("NaN weight") << "p" << std::numeric_limits<double>::quiet_NaN() << int(SMALL) << weight;
    QTest::newRow("infinite weight") << "p" << std::numeric_limits<double>::infinity() << int(SMALL) << weight;
    QTest::newRow("size unspecified") << "p" << 1.0 << int(PACKAGE_SIZE_UNSPECIFIED) << "packageInfo.size";
    QTest::newRow("size not in the enum") << "p" << 1.0 << 42 << "packageInfo.size";
}

void TestPackageService::createRefusesInvalidInput()
{
    QFETCH(QString, packageId);
    QFETCH(double, weight);
    QFETCH(int, size);
    QFETCH(QString, field);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());

    const auto request = createRequest(packageId.toStdString(), "d-1", weight, PackageSize(size));
    QCOMPARE(QString::fromStdString(PackageService::invalidField(request)), field);
    const auto answer = package.call<Package>("Create", request);
    QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(answer.field(), field.toUtf8());
    if (!packageId.isEmpty()) // nothing was stored
        QCOMPARE(package.call<Package>("Get", idRequest(packageId.toStdString())).code(), QByteArray("NOT_FOUND"));
    package.stop();
    QCOMPARE(PackageStore(package.storePath()).count(), std::int64_t(0));
}

void TestPackageService::weightLimitIsInclusive()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());
    // Up to what a carrier takes: heavier than a drone carries is a third party's job, not a refusal.
    QVERIFY(package.call<Package>("Create", createRequest("heavy", "d-1", dd::domain::PackageRules::kMaxWeightKg, LARGE))
                .ok());
    QVERIFY(package.call<Package>("Create", createRequest("light", "d-2", 0.001, SMALL)).ok());
}

void TestPackageService::createTwiceForTheSameDeliveryKeepsOneRow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto clock = realStartClock();
    Running package("package", dir.path(), &clock);

    const auto first = package.call<Package>("Create", createRequest("pkg-1", "d-1", 2.5, MEDIUM, "first"));
    QVERIFY(first.ok());
    clock.advance(5 * dd::net::kSeconds);
    // A replay (new message id, so not caught by the mesh's de-duplication) with drifted fields.
    const auto second = package.call<Package>("Create", createRequest("pkg-1", "d-1", 9.0, SMALL, "second"));
    QVERIFY2(second.ok(), second.status.toString().c_str());
    QCOMPARE(second.reply.SerializeAsString(), first.reply.SerializeAsString()); // the stored one, unchanged
    QCOMPARE(second.reply.info().tag(), std::string("first"));
    QCOMPARE(second.reply.created_at_us(), first.reply.created_at_us());

    const auto got = package.call<Package>("Get", idRequest("pkg-1"));
    QCOMPARE(got.reply.SerializeAsString(), first.reply.SerializeAsString());
    package.stop();
    QCOMPARE(PackageStore(package.storePath()).count(), std::int64_t(1));
}

void TestPackageService::createForAnotherDeliveryConflicts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());
    const auto first = package.call<Package>("Create", createRequest("pkg-1", "d-1"));
    QVERIFY(first.ok());

    const auto other = package.call<Package>("Create", createRequest("pkg-1", "d-2"));
    QCOMPARE(other.code(), QByteArray("CONFLICT"));
    QVERIFY(other.status.message.find("d-1") != std::string::npos); // says who owns it

    const auto got = package.call<Package>("Get", idRequest("pkg-1"));
    QCOMPARE(got.reply.delivery_id(), std::string("d-1"));
    package.stop();
    QCOMPARE(PackageStore(package.storePath()).count(), std::int64_t(1));
}

void TestPackageService::getUnknownIsNotFoundAndEmptyIsBadRequest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());
    QVERIFY(package.call<Package>("Create", createRequest("pkg-1", "d-1")).ok());
    QCOMPARE(package.call<Package>("Get", idRequest("pkg-2")).code(), QByteArray("NOT_FOUND"));
    QCOMPARE(package.call<Package>("Get", idRequest("PKG-1")).code(), QByteArray("NOT_FOUND"));
    for (const char *method : {"Get", "Delete"}) {
        const auto answer = package.call<Package>(method, idRequest(""));
        QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(answer.field(), QByteArray("packageId"));
    }
}

void TestPackageService::deleteTwiceIsFineAndFreesTheId()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());
    QVERIFY(package.call<Package>("Create", createRequest("pkg-1", "d-1")).ok());
    QVERIFY(package.call<Package>("Create", createRequest("pkg-2", "d-2")).ok());

    const auto first = package.call<PackageDeleteReply>("Delete", idRequest("pkg-1"));
    QVERIFY(first.ok());
    QVERIFY(first.reply.existed());
    const auto second = package.call<PackageDeleteReply>("Delete", idRequest("pkg-1"));
    QVERIFY(second.ok());
    QVERIFY(!second.reply.existed());
    const auto unknown = package.call<PackageDeleteReply>("Delete", idRequest("never-created"));
    QVERIFY(unknown.ok());
    QVERIFY(!unknown.reply.existed());

    QCOMPARE(package.call<Package>("Get", idRequest("pkg-1")).code(), QByteArray("NOT_FOUND"));
    QVERIFY(package.call<Package>("Get", idRequest("pkg-2")).ok()); // only the one asked for
    // A compensated package id may be used again, even by another delivery.
    const auto reused = package.call<Package>("Create", createRequest("pkg-1", "d-3"));
    QVERIFY2(reused.ok(), reused.status.toString().c_str());
    QCOMPARE(reused.reply.delivery_id(), std::string("d-3"));
}

void TestPackageService::garbagePayloadsAreBadRequest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running package("package", dir.path());
    const std::string garbage("\xff\xff\xff\xff\x0f garbage", 13);
    for (const char *method : {"Create", "Get", "Delete"})
        QCOMPARE(package.callBytes<Package>(method, garbage).code(), QByteArray("BAD_REQUEST"));
    // An empty Create parses as an empty request: refused on its first missing field.
    QCOMPARE(package.callBytes<Package>("Create", std::string()).field(), QByteArray("packageInfo.packageId"));
    QVERIFY(package.call<Package>("Create", createRequest("pkg-1", "d-1")).ok());
}

void TestPackageService::packagesSurviveARestartAndStayIdempotent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::string path;
    Package stored;
    {
        Running package("package", dir.path());
        path = package.storePath();
        const auto created = package.call<Package>("Create", createRequest("pkg-1", "d-1", 4.2, SMALL, "keep"));
        QVERIFY(created.ok());
        stored = created.reply;
        QVERIFY(package.call<Package>("Create", createRequest("pkg-2", "d-2")).ok());
        QVERIFY(package.call<Package>("Create", createRequest("pkg-3", "d-3")).ok());
        QVERIFY(package.call<PackageDeleteReply>("Delete", idRequest("pkg-3")).reply.existed());
    }
    {
        // A new instance: the mesh's de-duplication memory is gone, only the store remembers.
        Running package("package", dir.path());
        const auto got = package.call<Package>("Get", idRequest("pkg-1"));
        QVERIFY2(got.ok(), got.status.toString().c_str());
        QCOMPARE(got.reply.SerializeAsString(), stored.SerializeAsString());
        QCOMPARE(package.call<Package>("Get", idRequest("pkg-3")).code(), QByteArray("NOT_FOUND"));

        const auto replay = package.call<Package>("Create", createRequest("pkg-1", "d-1", 7.0, LARGE, "replay"));
        QVERIFY(replay.ok());
        QCOMPARE(replay.reply.SerializeAsString(), stored.SerializeAsString());
        QCOMPARE(package.call<Package>("Create", createRequest("pkg-2", "d-9")).code(), QByteArray("CONFLICT"));
    }
    PackageStore store(path);
    QCOMPARE(store.count(), std::int64_t(2));
    QCOMPARE(store.find("pkg-1")->SerializeAsString(), stored.SerializeAsString());
}

QTEST_GUILESS_MAIN(TestPackageService)
#include "tst_package_service.moc"
