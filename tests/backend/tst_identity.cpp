// Tests who acts: the users file (PBKDF2, mode), signed credentials, and the Supervisor and Account refusing anything but a verified role.
#include "BackendUnderTest.h"

#include "backend/identity/CredentialSigner.h"
#include "backend/identity/UserDirectory.h"

#include <QFile>
#include <QtTest>

using namespace dd::backend;
using namespace dd::backend::test;
using namespace dd::identity;
using namespace dronedelivery::v1;

class TestIdentity : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    dd::net::FaultInjector m_faults;

    static std::string awaitingTransaction(BackendUnderTest &backend, dd::net::FaultInjector &faults)
    {
        // No drones: the carrier takes it (a paid booking), then Delivery fails for good.
        faults.add(*dd::net::parseFaultSpec("delivery.Create=fatal:100"));
        const AcceptResult accepted = backend.accept(BackendUnderTest::scheduleRequest("owner-002", "pkg-identity"));
        if (accepted.kind != AcceptResult::Kind::Accepted)
            qFatal("not accepted: %s", accepted.message.c_str());
        const std::string id = accepted.request.delivery_id();
        for (int i = 0; i < 300 && !(backend.transactionFor(id) && backend.transactionFor(id)->state() == TX_AWAITING_APPROVAL); ++i)
            QTest::qWait(100); // polls observable state (the Supervisor's list), not a sleep standing in for a signal
        if (!backend.transactionFor(id) || backend.transactionFor(id)->state() != TX_AWAITING_APPROVAL)
            qFatal("no transaction awaiting approval");
        return backend.transactionFor(id)->transaction_id();
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_faults.clear();
    }

    void theUsersFileChecksPasswordsAndRefusesALooseMode()
    {
        const QString path = m_dir->filePath("users");
        bool replaced = true;
        QString why;
        QVERIFY2(UserDirectory::addUser(path, "sam", "supervisor", "right-password", 1000, &replaced, &why), qPrintable(why));
        QVERIFY(!replaced);
        QVERIFY(UserDirectory::addUser(path, "dana", "dispatcher", "dana-password", 1000, nullptr, &why));
        QCOMPARE(int(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)), 0);
        auto users = UserDirectory::load(path, &why);
        QVERIFY2(users, qPrintable(why));
        QCOMPARE(users->authenticate("sam", "right-password").value_or(""), std::string("supervisor"));
        QVERIFY(!users->authenticate("sam", "wrong-password"));
        QVERIFY(!users->authenticate("nobody", "right-password"));
        // Salted: the same password twice is two different hashes.
        QVERIFY(UserDirectory::addUser(path, "dana", "dispatcher", "right-password", 1000, &replaced, &why));
        QVERIFY(replaced);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QByteArray samHash, danaHash;
        for (const QByteArray &line : lines) {
            if (line.startsWith("sam "))
                samHash = line.split(' ').value(3);
            if (line.startsWith("dana "))
                danaHash = line.split(' ').value(3);
        }
        QVERIFY(!samHash.isEmpty() && samHash.startsWith("pbkdf2-sha256:1000:"));
        QVERIFY(samHash != danaHash);
        file.close();
        // Readable by others: refused, as the CURVE .key files are.
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        QVERIFY(!UserDirectory::load(path, &why));
        QVERIFY2(why.contains("chmod 600"), qPrintable(why));
        QVERIFY(!UserDirectory::addUser(path, "eve", "admin", "eve-password", 1000, nullptr, &why));
        // Bad lines are refused with their number; short passwords and unknown roles too.
        QVERIFY(!UserDirectory::parse("sam boss 00 pbkdf2-sha256:1000:00\n", &why));
        QVERIFY2(why.startsWith("line 1"), qPrintable(why));
        QVERIFY(!UserDirectory::addUser(m_dir->filePath("other"), "x", "dispatcher", "short", 1000, nullptr, &why));
    }

    void credentialsVerifyOnlyWithTheirSecretAndUntilTheyExpire()
    {
        const auto signer = CredentialSigner::withFreshSecret();
        const auto other = CredentialSigner::withFreshSecret();
        const Credential credential = signer->sign("sam", "supervisor", 1000);
        QVERIFY(signer->verify(credential, 999));
        QCOMPARE(signer->verify(credential, 999).identity->user, std::string("sam"));
        QCOMPARE(QString::fromStdString(signer->verify(credential, 1000).refusal), QString("credential expired"));
        QVERIFY(!other->verify(credential, 999)); // another deployment's secret
        Credential altered = credential;
        altered.set_role("admin");
        QVERIFY(!signer->verify(altered, 999)); // a field changed after signing
        QVERIFY(!signer->verify(Credential(), 0));
        // identity.key: created 0600, kept when it exists, refused when loose.
        const QString key = m_dir->filePath("identity.key");
        bool created = false;
        QString why;
        QVERIFY2(CredentialSigner::createKeyFile(key, &created, &why), qPrintable(why));
        QVERIFY(created);
        QVERIFY(CredentialSigner::createKeyFile(key, &created, &why));
        QVERIFY(!created);
        const auto loaded = CredentialSigner::loadKeyFile(key, &why);
        QVERIFY(loaded);
        QVERIFY(loaded->verify(CredentialSigner::loadKeyFile(key, &why)->sign("a", "admin", 10), 1));
        QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        QVERIFY(!CredentialSigner::loadKeyFile(key, &why));
    }

    void theSupervisorTakesWhoDecidesFromAVerifiedCredentialOnly()
    {
        BackendUnderTest backend(m_dir->path(), 0, 1, &m_faults);
        const std::string tx = awaitingTransaction(backend, m_faults);
        const auto approve = [&](const Credential &credential) {
            SupervisorDecision decision;
            decision.set_transaction_id(tx);
            *decision.mutable_credential() = credential;
            return backend.call<FailedTransaction>("supervisor", "Approve", decision).first;
        };
        // A forged mesh client: no credential, one signed with another secret, an expired one.
        QCOMPARE(int(approve(Credential()).code), int(UNAUTHENTICATED));
        QCOMPARE(int(approve(CredentialSigner::withFreshSecret()->sign("bob", "supervisor", INT64_MAX)).code),
                 int(UNAUTHENTICATED));
        QCOMPARE(int(approve(backend.credential("bob", "supervisor", -1)).code), int(UNAUTHENTICATED));
        // A dispatcher's genuine credential: refused for its role.
        QCOMPARE(int(approve(backend.credential("dana", "dispatcher")).code), int(PERMISSION_DENIED));
        QCOMPARE(backend.transactionFor(backend.transactions().front().delivery_id())->state(), TX_AWAITING_APPROVAL);

        const dd::net::RpcStatus approved = approve(backend.credential("sam", "supervisor"));
        QVERIFY2(approved.ok(), approved.toString().c_str());
        AuditRequest audit;
        audit.set_transaction_id(tx);
        const auto log = backend.call<AuditList>("supervisor", "Audit", audit).second;
        QCOMPARE(log.entries_size(), 5);
        QCOMPARE(log.entries(0).user(), std::string("sam")); // the credential's user, newest first
        QCOMPARE(log.entries(0).role(), std::string("supervisor"));
        QCOMPARE(log.entries(0).outcome(), std::string("ok"));
        QCOMPARE(log.entries(1).user(), std::string("dana"));
        for (int i = 2; i < 5; ++i) {
            QCOMPARE(log.entries(i).user(), std::string("(unauthenticated)")); // a claim is no name
            QVERIFY(log.entries(i).outcome().find("denied") != std::string::npos);
        }
        QVERIFY(log.entries(3).outcome().find("claimed supervisor/bob") != std::string::npos);
    }

    void accountStatusChangesNeedAVerifiedSupervisor()
    {
        BackendUnderTest backend(m_dir->path(), 0, 1, &m_faults);
        AccountStatusRequest suspend;
        suspend.set_owner_id("owner-001");
        suspend.set_active(false);
        suspend.set_reason("chargeback");
        QCOMPARE(int(backend.call<Account>("account", "SetStatus", suspend).first.code), int(UNAUTHENTICATED));
        *suspend.mutable_credential() = CredentialSigner::withFreshSecret()->sign("bob", "admin", INT64_MAX);
        QCOMPARE(int(backend.call<Account>("account", "SetStatus", suspend).first.code), int(UNAUTHENTICATED));
        *suspend.mutable_credential() = backend.credential("dana", "dispatcher");
        QCOMPARE(int(backend.call<Account>("account", "SetStatus", suspend).first.code), int(PERMISSION_DENIED));
        AccountCheckRequest get;
        get.set_owner_id("owner-001");
        const auto untouched = backend.call<Account>("account", "Get", get).second;
        QVERIFY(untouched.active()); // nothing changed
        QCOMPARE(untouched.changes_size(), 0);

        *suspend.mutable_credential() = backend.credential("sam", "supervisor");
        const auto [ok, account] = backend.call<Account>("account", "SetStatus", suspend);
        QVERIFY2(ok.ok(), ok.toString().c_str());
        QCOMPARE(account.changes(0).user(), std::string("sam"));
    }
};

QTEST_MAIN(TestIdentity)
#include "tst_identity.moc"
