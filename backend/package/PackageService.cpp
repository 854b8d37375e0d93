// PackageService: validation, first-write-wins Create, NOT_FOUND on unknown ids, replayable Delete.
#include "backend/common/StoreErrors.h"
#include "backend/domain/PackageRules.h"
#include "backend/package/PackageService.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {

void failStoreError(net::Responder &responder, const SqliteError &error)
{
    answerStoreError(responder, error, "package");
}

} // namespace

PackageService::PackageService(const ServiceContext &context) : BackendService("package", context) {}

PackageService::~PackageService()
{
    stop(); // releases the server and store on the loop thread that created them
}

std::string PackageService::invalidField(const PackageCreateRequest &request)
{
    const PackageInfo &info = request.package();
    if (info.package_id().empty())
        return "packageInfo.packageId";
    // Written so that NaN fails too.
    if (!domain::PackageRules::validWeight(info.weight())) // the carriers' limit: heavy ones go to a third party
        return "packageInfo.weight";
    // proto3 enums are open: a number outside the enum parses fine and must be refused here.
    if (!domain::PackageRules::validSize(info.size()))
        return "packageInfo.size";
    return {};
}

void PackageService::onStart()
{
    m_store = std::make_unique<PackageStore>(context().storePath("package"));
    // Creates and deletes of one loop turn share a transaction and one fsync;
    // each answer waits for the commit that made it durable.
    m_commit = std::make_unique<GroupCommit>(loop(), m_store->db());
    m_retention = std::make_unique<RetentionSweeper>(loop(), context().retention);
    m_retention->add("packages", [this](net::Micros cutoff, std::size_t slice) {
        std::size_t removed = 0;
        m_commit->write([&] { removed = m_store->pruneBefore(cutoff, slice); });
        return removed;
    });
    m_retention->start();
    m_server = makeServer();
    m_server->handle<PackageCreateRequest>(
        "Create", net::Idempotency::NonIdempotent,
        [this](const net::CallContext &, const PackageCreateRequest &request, net::Responder responder) {
            create(request, std::move(responder));
        });
    m_server->handle<PackageIdRequest>(
        "Get", net::Idempotency::Idempotent,
        [this](const net::CallContext &, const PackageIdRequest &request, net::Responder responder) {
            get(request, std::move(responder));
        });
    m_server->handle<PackageIdRequest>(
        "Delete", net::Idempotency::NonIdempotent,
        [this](const net::CallContext &, const PackageIdRequest &request, net::Responder responder) {
            remove(request, std::move(responder));
        });
}

void PackageService::onStop()
{
    m_retention.reset();
    m_server.reset(); // first: no handler may run against a closed store
    m_commit.reset(); // commits what is open
    m_store.reset();
}

void PackageService::create(const PackageCreateRequest &request, net::Responder responder)
{
    if (const std::string field = invalidField(request); !field.empty()) {
        responder.fail(BAD_REQUEST, field + " is missing or out of range", field);
        return;
    }
    Package package;
    *package.mutable_info() = request.package();
    package.set_delivery_id(request.delivery_id());
    package.set_created_at_us(context().clock->now());
    try {
        PackageStore::CreateResult result;
        m_commit->write([&] { result = m_store->create(package); });
        if (result.outcome == PackageStore::CreateOutcome::Conflict) {
            responder.fail(CONFLICT, "package \"" + request.package().package_id() + "\" belongs to delivery \""
                                         + result.package.delivery_id() + "\"");
            return;
        }
        auto shared = std::make_shared<net::Responder>(std::move(responder));
        m_commit->afterCommit([shared, stored = result.package] { shared->reply(stored); },
                              [shared](const SqliteError &error) { failStoreError(*shared, error); });
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void PackageService::get(const PackageIdRequest &request, net::Responder responder)
{
    if (request.package_id().empty()) {
        responder.fail(BAD_REQUEST, "packageId is required", "packageId");
        return;
    }
    try {
        const auto package = m_store->find(request.package_id());
        if (!package) {
            responder.fail(NOT_FOUND, "no package \"" + request.package_id() + "\"");
            return;
        }
        responder.reply(*package);
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

void PackageService::remove(const PackageIdRequest &request, net::Responder responder)
{
    if (request.package_id().empty()) {
        responder.fail(BAD_REQUEST, "packageId is required", "packageId");
        return;
    }
    try {
        PackageDeleteReply reply;
        m_commit->write([&] { reply.set_existed(m_store->remove(request.package_id())); });
        auto shared = std::make_shared<net::Responder>(std::move(responder));
        m_commit->afterCommit([shared, reply] { shared->reply(reply); },
                              [shared](const SqliteError &error) { failStoreError(*shared, error); });
    } catch (const SqliteError &error) {
        failStoreError(responder, error);
    }
}

} // namespace dd::backend
