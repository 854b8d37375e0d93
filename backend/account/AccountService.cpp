// AccountService: the store opened and seeded on the service thread, checks, reads and suspensions.
#include "backend/common/StoreErrors.h"
#include "backend/account/AccountService.h"

#include "backend/account/DemoAccounts.h"
#include "backend/identity/IdentityRoles.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAccount, "dd.backend.account")

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
constexpr std::size_t kMaxOwnerIdLength = 256;
constexpr std::uint32_t kDefaultListLimit = 100;
constexpr std::uint32_t kMaxListLimit = 1000;

void failStoreError(net::Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "account");
}

} // namespace

AccountService::AccountService(const ServiceContext &context) : BackendService("account", context) {}

AccountService::~AccountService()
{
    stop(); // releases the server and store on the loop thread that created them
}

void AccountService::onStart()
{
    m_store = std::make_unique<AccountStore>(context().storePath("account"));
    auto seed = demoAccounts();
    for (Account &account : seed) {
        account.set_created_at_us(context().clock->now());
        account.set_updated_at_us(account.created_at_us());
    }
    m_store->seedIfEmpty(seed);
    m_batch = std::make_unique<GroupCommit>(loop(), m_store->db());
    m_server = makeServer();
    using net::CallContext;
    using net::Idempotency;
    using net::Responder;
    m_server->handle<AccountCheckRequest>(
        "Check", Idempotency::Idempotent,
        [this](const CallContext &, const AccountCheckRequest &request, Responder r) { check(request, std::move(r)); });
    m_server->handle<AccountCheckRequest>(
        "Get", Idempotency::Idempotent,
        [this](const CallContext &, const AccountCheckRequest &request, Responder r) { get(request, std::move(r)); });
    m_server->handle<AccountListRequest>(
        "List", Idempotency::Idempotent,
        [this](const CallContext &, const AccountListRequest &request, Responder r) { list(request, std::move(r)); });
    // Setting a status twice leaves the same status: safe to retry.
    m_server->handle<AccountStatusRequest>("SetStatus", Idempotency::Idempotent,
                                           [this](const CallContext &, const AccountStatusRequest &request,
                                                  Responder r) { setStatus(request, std::move(r)); });
}

void AccountService::onStop()
{
    m_server.reset(); // first: no handler may run against a closed store
    if (m_batch)
        m_batch->commit();
    m_batch.reset();
    m_store.reset();
}

void AccountService::check(const AccountCheckRequest &request, net::Responder responder)
{
    if (request.owner_id().empty() || request.owner_id().size() > kMaxOwnerIdLength)
        return responder.fail(BAD_REQUEST, "ownerId is required (at most 256 characters)", "ownerId");
    try {
        if (auto account = m_store->find(request.owner_id()))
            return responder.reply(*account);
        if (context().strictAccounts)
            return responder.fail(NOT_FOUND, "no account \"" + request.owner_id() + "\" (accounts are strict)");
        // The open policy: the reference's clients name any owner; it is registered in good standing.
        Account account;
        account.set_owner_id(request.owner_id());
        account.set_name(request.owner_id());
        account.set_active(true);
        account.set_registered_on_first_use(true);
        account.set_created_at_us(context().clock->now());
        account.set_updated_at_us(account.created_at_us());
        AccountChange change;
        change.set_at_us(account.created_at_us());
        change.set_user("system");
        change.set_role("account");
        change.set_action("registered");
        change.set_reason("registered on first use (open account policy)");
        m_batch->write([&] {
            m_store->insertRegistered(account);
            m_store->recordChange(account.owner_id(), change);
        });
        replyAfterCommit(std::move(responder), std::move(account));
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void AccountService::get(const AccountCheckRequest &request, net::Responder responder)
{
    if (request.owner_id().empty())
        return responder.fail(BAD_REQUEST, "ownerId is required", "ownerId");
    try {
        const auto account = m_store->findWithChanges(request.owner_id());
        if (!account)
            return responder.fail(NOT_FOUND, "no account \"" + request.owner_id() + "\"");
        responder.reply(*account);
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void AccountService::list(const AccountListRequest &request, net::Responder responder)
{
    const std::uint32_t limit = request.limit() == 0 ? kDefaultListLimit : std::min(request.limit(), kMaxListLimit);
    try {
        responder.reply(m_store->list(request, limit));
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void AccountService::setStatus(const AccountStatusRequest &request, net::Responder responder)
{
    // Who asks is what the signed credential says, whichever mesh client sent it.
    const identity::CredentialCheck check = context().credentials->verify(request.credential(), context().clock->now());
    if (!check) {
        qCWarning(lcAccount).noquote() << "status change of" << QString::fromStdString(request.owner_id())
                                       << "refused:" << QString::fromStdString(check.refusal) << "(claimed"
                                       << QString::fromStdString(request.credential().role() + "/"
                                                                 + request.credential().user())
                                       << ")";
        return responder.fail(UNAUTHENTICATED, "a signed, unexpired credential is needed to suspend or reinstate",
                              "credential");
    }
    const identity::VerifiedIdentity &who = *check.identity;
    if (!identity::roleAllows(who.role, identity::Capability::Supervise)) {
        qCWarning(lcAccount).noquote() << "status change of" << QString::fromStdString(request.owner_id())
                                       << "refused: role" << QString::fromStdString(who.role) << "of"
                                       << QString::fromStdString(who.user);
        return responder.fail(PERMISSION_DENIED, "only a supervisor or an admin may suspend or reinstate an account");
    }
    if (request.owner_id().empty())
        return responder.fail(BAD_REQUEST, "ownerId is required", "ownerId");
    if (!request.active() && request.reason().empty())
        return responder.fail(BAD_REQUEST, "a suspension needs a reason", "reason");
    try {
        auto account = m_store->find(request.owner_id());
        if (!account)
            return responder.fail(NOT_FOUND, "no account \"" + request.owner_id() + "\"");
        if (account->active() == request.active())
            return responder.reply(*m_store->findWithChanges(request.owner_id())); // already so: nothing to log
        account->set_active(request.active());
        account->set_suspension_reason(request.active() ? std::string() : request.reason());
        account->set_updated_at_us(context().clock->now());
        AccountChange change;
        change.set_at_us(account->updated_at_us());
        change.set_user(who.user);
        change.set_role(who.role);
        change.set_action(request.active() ? "reinstate" : "suspend");
        change.set_reason(request.reason());
        m_batch->write([&] { m_store->setStatus(*account, change); });
        *account->add_changes() = change;
        replyAfterCommit(std::move(responder), std::move(*account));
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void AccountService::replyAfterCommit(net::Responder responder, Account account)
{
    auto shared = std::make_shared<net::Responder>(std::move(responder));
    m_batch->afterCommit([shared, account = std::move(account)] { shared->reply(account); },
                         [shared](const SqliteError &error) { failStoreError(*shared, error); });
}

} // namespace dd::backend
