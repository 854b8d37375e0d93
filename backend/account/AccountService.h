// The Account service: answers whether an owner may order deliveries (Check, Get).
#pragma once

#include "backend/account/AccountStore.h"
#include "backend/common/BackendService.h"

#include <memory>

namespace dd::backend {

/// Read-only over its seeded store: unknown owner → NOT_FOUND, suspended owner →
/// OK with active=false (the Scheduler, not this service, decides what that means).
class AccountService : public BackendService
{
public:
    explicit AccountService(const ServiceContext &context);
    ~AccountService() override;

protected:
    void onStart() override;
    void onStop() override;

private:
    void answer(const dronedelivery::v1::AccountCheckRequest &request, net::Responder responder);

    std::unique_ptr<AccountStore> m_store;
    std::unique_ptr<net::RpcServer> m_server;
};

} // namespace dd::backend
