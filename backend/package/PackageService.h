// The Package service: registers each delivery's package (Create, Get, Delete).
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/GroupCommit.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/package/PackageStore.h"

#include <memory>
#include <string>

namespace dd::backend {

/// Create is an upsert by package id that keeps the first write, so the
/// Scheduler may replay it; Delete is the Supervisor's compensation and may be
/// replayed too (existed=false the second time).
class PackageService : public BackendService
{
public:
    explicit PackageService(const ServiceContext &context);
    ~PackageService() override;

    /// Empty when the request may be stored; otherwise the offending field
    /// ("packageInfo.packageId", "packageInfo.weight", "packageInfo.size").
    static std::string invalidField(const dronedelivery::v1::PackageCreateRequest &request);

protected:
    void onStart() override;
    void onStop() override;

private:
    void create(const dronedelivery::v1::PackageCreateRequest &request, net::Responder responder);
    void get(const dronedelivery::v1::PackageIdRequest &request, net::Responder responder);
    void remove(const dronedelivery::v1::PackageIdRequest &request, net::Responder responder);

    std::unique_ptr<PackageStore> m_store;
    std::unique_ptr<GroupCommit> m_commit; ///< after the store, before the server: destroyed in between
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<RetentionSweeper> m_retention;
};

} // namespace dd::backend
