// Integration fixture: every service in one process (a real ServiceHost on a temp data dir), with mesh clients.
#pragma once

#include "../net/RpcTestSupport.h"
#include "backend/ServiceCatalog.h"
#include "backend/common/ServiceHost.h"
#include "backend/ingestion/IngestionService.h"
#include "services.pb.h"
#include "workflow.pb.h"

#include <QTemporaryDir>

#include <functional>
#include <future>
#include <map>
#include <memory>

namespace dd::backend::test {

class BackendUnderTest
{
public:
    explicit BackendUnderTest(const QString &dataDir, int fleet = 20, double timeScale = 200,
                              net::FaultInjector *faults = nullptr,
                              const std::function<void(ServiceContext &)> &configure = {})
    {
        registerBuiltInServices();
        ServiceContext context;
        context.dataDir = dataDir.toStdString();
        context.fleetSize = fleet;
        context.timeScale = timeScale;
        if (faults)
            context.faults = faults;
        if (configure)
            configure(context);
        m_host = std::make_unique<ServiceHost>(std::move(context));
        m_host->start();
    }
    ~BackendUnderTest() { stop(); }

    void stop()
    {
        m_clients.clear();
        if (m_host)
            m_host->stop();
        m_host.reset();
    }

    ServiceHost &host() { return *m_host; }
    IngestionService &ingestion() { return *m_host->get<IngestionService>("ingestion"); }

    AcceptResult accept(dronedelivery::v1::DeliveryRequest request, const std::string &idempotencyKey = {})
    {
        auto promise = std::make_shared<std::promise<AcceptResult>>();
        auto future = promise->get_future();
        ingestion().accept(std::move(request), idempotencyKey,
                           [promise](AcceptResult result) { promise->set_value(std::move(result)); });
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
            qFatal("ingestion did not answer within 30 s");
        return future.get();
    }

    template <typename Reply>
    std::pair<net::RpcStatus, Reply> call(const std::string &service, const std::string &method,
                                          const google::protobuf::MessageLite &request)
    {
        auto &client = m_clients[service];
        if (!client)
            client = std::make_unique<net::test::ClientHarness>(service, m_host->context().endpoints);
        net::CallOptions options;
        options.deadline = 10 * net::kSeconds;
        const auto outcome = client->callAndWait(method, request.SerializeAsString(), options);
        Reply reply;
        if (outcome.status.ok())
            reply.ParseFromString(outcome.payload);
        return {outcome.status, reply};
    }

    /// A credential for `user` as `role`, signed with this backend's identity secret (as the
    /// gateway or a signed-in console would mint it); `lifetime` from the backend's clock.
    dronedelivery::v1::Credential credential(const std::string &user, const std::string &role,
                                             net::Micros lifetime = 60 * net::kSeconds) const
    {
        const ServiceContext &context = m_host->context();
        return context.credentials->sign(user, role, context.clock->now() + lifetime);
    }

    /// The delivery, or nullopt while it does not exist (yet).
    std::optional<dronedelivery::v1::Delivery> delivery(const std::string &id)
    {
        dronedelivery::v1::DeliveryIdRequest request;
        request.set_delivery_id(id);
        auto [status, reply] = call<dronedelivery::v1::Delivery>("delivery", "Get", request);
        if (!status.ok())
            return std::nullopt;
        return reply;
    }

    /// True once the workflow has placed it (a drone or carrier booked): past Requested.
    bool placed(const std::string &id)
    {
        const auto found = delivery(id);
        return found && found->stage() != dronedelivery::v1::STAGE_REQUESTED
            && found->stage() != dronedelivery::v1::STAGE_FAILED;
    }

    std::vector<dronedelivery::v1::FailedTransaction> transactions()
    {
        dronedelivery::v1::TransactionListRequest request;
        request.set_limit(1000);
        auto [status, reply] = call<dronedelivery::v1::TransactionList>("supervisor", "List", request);
        return {reply.transactions().begin(), reply.transactions().end()};
    }

    std::optional<dronedelivery::v1::FailedTransaction> transactionFor(const std::string &deliveryId)
    {
        for (auto &tx : transactions())
            if (tx.delivery_id() == deliveryId)
                return tx;
        return std::nullopt;
    }

    static dronedelivery::v1::DeliveryRequest scheduleRequest(const std::string &owner, const std::string &packageId)
    {
        dronedelivery::v1::DeliveryRequest request;
        request.set_operation(dronedelivery::v1::SCHEDULE);
        request.set_owner_id(owner);
        request.set_pickup_location("47.6097,-122.3422");
        request.set_dropoff_location("47.6205,-122.3493");
        request.set_pickup_time("2026-11-26T10:00:00Z");
        request.set_deadline("noon");
        request.mutable_package_info()->set_package_id(packageId);
        request.mutable_package_info()->set_size(dronedelivery::v1::SMALL);
        request.mutable_package_info()->set_weight(1.5);
        request.mutable_package_info()->set_tag("test");
        return request;
    }

private:
    std::unique_ptr<ServiceHost> m_host;
    std::map<std::string, std::unique_ptr<net::test::ClientHarness>> m_clients;
};

} // namespace dd::backend::test
