// AccountService: the store opened and seeded on the service thread, two read handlers.
#include "backend/common/StoreErrors.h"
#include "backend/account/AccountService.h"

#include "backend/account/DemoAccounts.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {

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
    m_store->seedIfEmpty(demoAccounts());
    m_server = makeServer();
    // Check and Get answer the same way: Check is the Scheduler's question, Get the console's.
    for (const char *method : {"Check", "Get"}) {
        m_server->handle<AccountCheckRequest>(
            method, net::Idempotency::Idempotent,
            [this](const net::CallContext &, const AccountCheckRequest &request, net::Responder responder) {
                answer(request, std::move(responder));
            });
    }
}

void AccountService::onStop()
{
    m_server.reset(); // first: no handler may run against a closed store
    m_store.reset();
}

void AccountService::answer(const AccountCheckRequest &request, net::Responder responder)
{
    if (request.owner_id().empty()) {
        responder.fail(BAD_REQUEST, "ownerId is required", "ownerId");
        return;
    }
    try {
        const auto account = m_store->find(request.owner_id());
        if (!account) {
            responder.fail(NOT_FOUND, "no account \"" + request.owner_id() + "\"");
            return;
        }
        responder.reply(*account);
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

} // namespace dd::backend
