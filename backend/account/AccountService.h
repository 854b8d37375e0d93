// The Account service: whether an owner may order deliveries (Check, Get), the account list, suspensions.
#pragma once

#include "backend/account/AccountStore.h"
#include "backend/common/BackendService.h"
#include "backend/common/GroupCommit.h"

#include <memory>

namespace dd::backend {

/// Check: a suspended owner is OK with active=false (the Scheduler decides what that
/// means); an unknown owner is registered in good standing under the open policy
/// (the reference's clients send any ownerId) and recorded as such, or NOT_FOUND under
/// `--accounts strict`. Get (with the change log), List, SetStatus (suspend or
/// reinstate; supervisor or admin; logged with who and why). Writes are group-committed.
class AccountService : public BackendService
{
public:
    explicit AccountService(const ServiceContext &context);
    ~AccountService() override;

protected:
    void onStart() override;
    void onStop() override;

private:
    void check(const dronedelivery::v1::AccountCheckRequest &request, net::Responder responder);
    void get(const dronedelivery::v1::AccountCheckRequest &request, net::Responder responder);
    void list(const dronedelivery::v1::AccountListRequest &request, net::Responder responder);
    void setStatus(const dronedelivery::v1::AccountStatusRequest &request, net::Responder responder);
    void replyAfterCommit(net::Responder responder, dronedelivery::v1::Account account);

    std::unique_ptr<AccountStore> m_store;
    std::unique_ptr<GroupCommit> m_batch;
    std::unique_ptr<net::RpcServer> m_server;
};

} // namespace dd::backend
