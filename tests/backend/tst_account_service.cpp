// Tests of the Account service over the mesh: seeded owners, suspensions, bad input, durability.
#include "ServiceUnderTest.h"
#include "backend/account/AccountService.h"
#include "backend/account/AccountStore.h"
#include "backend/account/DemoAccounts.h"

#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace dd::backend;
using namespace dronedelivery::v1;
using Running = test::ServiceUnderTest<AccountService>;

namespace {

AccountCheckRequest owner(const std::string &id)
{
    AccountCheckRequest request;
    request.set_owner_id(id);
    return request;
}

} // namespace

class TestAccountService : public QObject
{
    Q_OBJECT

private slots:
    void demoListHasFiftyOwnersAndAFewSuspended();
    void checkAnswersAnActiveSeededOwner();
    void suspendedOwnersAreOkButInactiveWithReason_data();
    void suspendedOwnersAreOkButInactiveWithReason();
    void getAnswersLikeCheck();
    void unknownOwnerIsNotFound_data();
    void unknownOwnerIsNotFound();
    void unknownOwnerIsRegisteredOnFirstUse();
    void emptyOwnerIsBadRequestOnBothMethods();
    void garbagePayloadIsBadRequest();
    void unknownMethodIsRefused();
    void seedsOnceAndKeepsLaterChangesAcrossRestarts();
    void answersAtItsDefaultEmbeddedEndpoint();
};

void TestAccountService::demoListHasFiftyOwnersAndAFewSuspended()
{
    const auto accounts = demoAccounts();
    QCOMPARE(accounts.size(), std::size_t(50));
    std::set<std::string> ids;
    std::set<std::string> suspended;
    for (const auto &account : accounts) {
        ids.insert(account.owner_id());
        QVERIFY2(!account.name().empty(), account.owner_id().c_str());
        // A reason exactly when suspended.
        QCOMPARE(account.suspension_reason().empty(), account.active());
        if (!account.active())
            suspended.insert(account.owner_id());
    }
    QCOMPARE(ids.size(), std::size_t(50));
    QVERIFY(ids.count("owner-001") && ids.count("owner-050") && !ids.count("owner-000"));
    QVERIFY(suspended.count("owner-007") && suspended.count("owner-013") && suspended.count("owner-042"));
    QVERIFY(suspended.size() < 10);
    // The same list every time: seeding on two machines gives the same demo.
    QCOMPARE(demoAccounts()[41].SerializeAsString(), accounts[41].SerializeAsString());
}

void TestAccountService::checkAnswersAnActiveSeededOwner()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    const auto answer = account.call<Account>("Check", owner("owner-001"));
    QVERIFY2(answer.ok(), answer.status.toString().c_str());
    QCOMPARE(answer.reply.owner_id(), std::string("owner-001"));
    QCOMPARE(answer.reply.name(), demoAccounts().front().name());
    QVERIFY(answer.reply.active());
    QVERIFY(answer.reply.suspension_reason().empty());
}

void TestAccountService::suspendedOwnersAreOkButInactiveWithReason_data()
{
    QTest::addColumn<QString>("ownerId");
    QTest::addColumn<QString>("reason");
    QTest::newRow("owner-007") << "owner-007" << "payment overdue";
    QTest::newRow("owner-013") << "owner-013" << "fraud review";
    QTest::newRow("owner-042") << "owner-042" << "chargeback dispute";
}

void TestAccountService::suspendedOwnersAreOkButInactiveWithReason()
{
    QFETCH(QString, ownerId);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    const auto answer = account.call<Account>("Check", owner(ownerId.toStdString()));
    QVERIFY2(answer.ok(), answer.status.toString().c_str()); // the Scheduler decides, not Account
    QCOMPARE(QString::fromStdString(answer.reply.owner_id()), ownerId);
    QVERIFY(!answer.reply.active());
    QCOMPARE(QString::fromStdString(answer.reply.suspension_reason()), reason);
}

void TestAccountService::getAnswersLikeCheck()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    for (const char *id : {"owner-002", "owner-013", "owner-050"}) {
        const auto checked = account.call<Account>("Check", owner(id));
        const auto got = account.call<Account>("Get", owner(id));
        QVERIFY2(checked.ok() && got.ok(), id);
        QCOMPARE(got.reply.SerializeAsString(), checked.reply.SerializeAsString());
        QCOMPARE(got.reply.owner_id(), std::string(id));
    }
    QCOMPARE(account.call<Account>("Get", owner("owner-404")).code(), QByteArray("NOT_FOUND"));
}

void TestAccountService::unknownOwnerIsNotFound_data()
{
    QTest::addColumn<QString>("ownerId");
    QTest::newRow("past the seeded range") << "owner-051";
    QTest::newRow("below the seeded range") << "owner-000";
    QTest::newRow("demo-* is not a wildcard") << "demo-1";
    QTest::newRow("ids are case-sensitive") << "OWNER-001";
    QTest::newRow("no trimming") << " owner-001";
    QTest::newRow("sql-looking") << "owner-001' OR '1'='1";
}

void TestAccountService::unknownOwnerIsNotFound()
{
    QFETCH(QString, ownerId);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Under the strict policy an unknown owner stays unknown (the open policy's registration: below).
    ServiceContext strict;
    strict.dataDir = dir.path().toStdString();
    strict.strictAccounts = true;
    strict.endpoints.add({"account", dd::net::test::uniqueEndpoint("account"), "v1"});
    Running account("account", std::move(strict));
    const auto answer = account.call<Account>("Check", owner(ownerId.toStdString()));
    QCOMPARE(answer.code(), QByteArray("NOT_FOUND"));
    QVERIFY(answer.status.field.empty());
    QCOMPARE(account.call<Account>("Get", owner(ownerId.toStdString())).code(), QByteArray("NOT_FOUND"));
}

void TestAccountService::unknownOwnerIsRegisteredOnFirstUse()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        Running account("account", dir.path());
        QCOMPARE(account.call<Account>("Get", owner("myowner")).code(), QByteArray("NOT_FOUND")); // a read registers nothing
        const auto checked = account.call<Account>("Check", owner("myowner"));
        QVERIFY(checked.ok());
        QVERIFY(checked.reply.active());
        QVERIFY(checked.reply.registered_on_first_use());
        // Checked again: the same account, registered once.
        QVERIFY(account.call<Account>("Check", owner("myowner")).ok());
    }
    Running restarted("account", dir.path()); // durable before the answer
    const auto got = restarted.call<Account>("Get", owner("myowner"));
    QVERIFY(got.ok());
    QVERIFY(got.reply.registered_on_first_use());
    QCOMPARE(got.reply.changes_size(), 1);
    QCOMPARE(got.reply.changes(0).action(), std::string("registered"));
    AccountListRequest list;
    list.set_limit(1000);
    QCOMPARE(restarted.call<AccountList>("List", list).reply.total(), std::uint64_t(51));
}

void TestAccountService::emptyOwnerIsBadRequestOnBothMethods()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    for (const char *method : {"Check", "Get"}) {
        const auto answer = account.call<Account>(method, owner(""));
        QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
        QCOMPARE(answer.field(), QByteArray("ownerId"));
    }
    // An empty payload is a valid, empty AccountCheckRequest: the same answer.
    QCOMPARE(account.callBytes<Account>("Check", std::string()).field(), QByteArray("ownerId"));
}

void TestAccountService::garbagePayloadIsBadRequest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    const auto answer = account.callBytes<Account>("Check", std::string("\xff\xff\xff\xff garbage", 12));
    QCOMPARE(answer.code(), QByteArray("BAD_REQUEST"));
    // The service is still serving afterwards.
    QVERIFY(account.call<Account>("Check", owner("owner-003")).ok());
}

void TestAccountService::unknownMethodIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Running account("account", dir.path());
    QCOMPARE(account.call<Account>("Delete", owner("owner-001")).code(), QByteArray("UNKNOWN_METHOD"));
}

void TestAccountService::seedsOnceAndKeepsLaterChangesAcrossRestarts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::string path;
    {
        Running account("account", dir.path());
        path = account.storePath();
        QVERIFY(account.call<Account>("Check", owner("owner-050")).ok());
    }
    {
        AccountStore store(path); // the service is stopped: the file is ours now
        QCOMPARE(store.count(), std::int64_t(50));
        QCOMPARE(store.seedIfEmpty(demoAccounts()), 0); // already seeded: nothing inserted
        QCOMPARE(store.count(), std::int64_t(50));
    }
    {
        // An operator removes one owner and lifts a suspension, outside the service.
        SqliteDb db(path);
        db.exec("DELETE FROM accounts WHERE owner_id = 'owner-050'");
        db.exec("UPDATE accounts SET active = 1, suspension_reason = '' WHERE owner_id = 'owner-007'");
    }
    {
        Running account("account", dir.path());
        // Not re-seeded (the table was not empty), and the changes were durable.
        QCOMPARE(account.call<Account>("Get", owner("owner-050")).code(), QByteArray("NOT_FOUND"));
        const auto lifted = account.call<Account>("Check", owner("owner-007"));
        QVERIFY(lifted.ok());
        QVERIFY(lifted.reply.active());
        QVERIFY(lifted.reply.suspension_reason().empty());
        QVERIFY(account.call<Account>("Check", owner("owner-049")).ok());
    }
    AccountStore store(path);
    QCOMPARE(store.count(), std::int64_t(49));
}

void TestAccountService::answersAtItsDefaultEmbeddedEndpoint()
{
    // The embedded wiring, without the fixture's unique endpoint: the service binds
    // inproc://account and a client with a default table finds it (the only test here using that name).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ServiceContext context;
    context.dataDir = dir.path().toStdString();
    AccountService service(context);
    service.start();
    QVERIFY(service.running());
    {
        dd::net::test::ClientHarness client("account", dd::net::EndpointTable{});
        const auto outcome = client.callAndWait("Check", owner("owner-013").SerializeAsString());
        QVERIFY2(outcome.status.ok(), outcome.status.toString().c_str());
        Account account;
        QVERIFY(account.ParseFromString(outcome.payload));
        QCOMPARE(account.suspension_reason(), std::string("fraud review"));
    }
    service.stop();
    QVERIFY(!service.running());
}

QTEST_GUILESS_MAIN(TestAccountService)
#include "tst_account_service.moc"
