// The catalog of services this build contains, by name.
#include "backend/ServiceCatalog.h"

#include "backend/account/AccountService.h"
#include "backend/common/ServiceHost.h"
#include "backend/delivery/DeliveryService.h"
#include "backend/deliveryhistory/DeliveryHistoryService.h"
#include "backend/drone/DroneService.h"
#include "backend/ingestion/IngestionService.h"
#include "backend/package/PackageService.h"
#include "backend/scheduler/SchedulerService.h"
#include "backend/supervisor/SupervisorService.h"
#include "backend/thirdparty/ThirdPartyService.h"

namespace dd::backend {

namespace {
template <typename T>
void add(const char *name)
{
    ServiceHost::registerFactory(name, [](const ServiceContext &context) { return std::make_unique<T>(context); });
}
} // namespace

void registerBuiltInServices()
{
    add<AccountService>("account");
    add<PackageService>("package");
    add<ThirdPartyService>("thirdparty");
    add<DroneService>("drone");
    add<DeliveryHistoryService>("deliveryhistory");
    add<DeliveryService>("delivery");
    add<SupervisorService>("supervisor");
    add<SchedulerService>("scheduler");
    add<IngestionService>("ingestion");
}

} // namespace dd::backend
