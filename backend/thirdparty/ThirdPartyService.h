// The ThirdParty service: books a paid carrier when no drone fits (Schedule), refunds it (Cancel).
#pragma once

#include "backend/common/BackendService.h"
#include "backend/common/GroupCommit.h"
#include "backend/common/RetentionSweeper.h"
#include "backend/thirdparty/ThirdPartyStore.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dd::backend {

/// Idempotent by delivery id in its store: Schedule again returns the delivery's
/// active booking unchanged, Cancel again answers as the first Cancel did. A
/// delivery whose booking was cancelled gets a new booking (new id) if scheduled again.
class ThirdPartyService : public BackendService
{
public:
    static constexpr std::array<std::string_view, 3> kCarriers{"Contoso Couriers", "Northwind Express",
                                                               "Fabrikam Freight"};

    explicit ThirdPartyService(const ServiceContext &context);
    ~ThirdPartyService() override;

    /// The carrier a delivery goes to: a stable hash of its id (same in every process and run).
    static std::string_view carrierFor(std::string_view deliveryId);
    /// The carrier's price: a base fee plus a rate per km flown and per kg carried.
    static std::int64_t costCents(double distanceMeters, double weightKg);
    /// Empty when the request may be booked; otherwise the offending field
    /// ("deliveryId", "pickup", "dropoff", "weight").
    static std::string invalidField(const dronedelivery::v1::ThirdPartyScheduleRequest &request);

protected:
    void onStart() override;
    void onStop() override;

private:
    void schedule(const dronedelivery::v1::ThirdPartyScheduleRequest &request, net::Responder responder);
    void cancel(const dronedelivery::v1::ThirdPartyCancelRequest &request, net::Responder responder);

    std::unique_ptr<ThirdPartyStore> m_store;

    std::unique_ptr<GroupCommit> m_commit; ///< bookings of one loop turn share one fsync
    std::unique_ptr<net::RpcServer> m_server;
    std::unique_ptr<RetentionSweeper> m_retention;
};

} // namespace dd::backend
