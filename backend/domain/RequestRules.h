// The delivery request rules at the edge: what Ingestion refuses (400) and what it resolves before storing.
#pragma once

#include "backend/domain/FieldError.h"
#include "backend/domain/PlaceResolver.h"
#include "domain.pb.h"

#include <cstdint>
#include <optional>

namespace dd::domain {

struct RequestPolicy
{
    PlacePolicy places = PlacePolicy::Lenient; ///< what free-text locations become
};

/// One place for the rules every submission goes through (the HTTP gateway and the
/// console, both via IngestionService::accept), so a request that can only fail later
/// is refused now, naming the field.
class RequestRules
{
public:
    /// A pickupTime further ahead than this is refused: no drone is reserved that far out.
    static constexpr std::int64_t kMaxPickupAheadUs = 7LL * 24 * 3600 * 1000000;

    /// SCHEDULE: ownerId required; pickupLocation and dropOffLocation resolved
    /// (PlaceResolver) into `pickup` / `dropoff`; packageInfo required and valid
    /// (PackageRules, size defaults to Small); pickup_time parsed into pickup_time_us.
    /// RESCHEDULE: the locations given are resolved the same way (empty: unchanged, and
    /// `pickup`/`dropoff` stay unset), pickup_time as for a schedule. CANCEL: nothing.
    ///
    /// pickup_time_us: epoch µs of a pickupTime in the future (≤ kMaxPickupAheadUs ahead);
    /// 0 for none or a past one, meaning "as soon as possible" (the reference's payloads
    /// carry 2019 dates). A reschedule tells "ASAP" from "unchanged" by pickup_time's text.
    static std::optional<FieldError> prepare(
        dronedelivery::v1::DeliveryRequest &request, const RequestPolicy &policy, std::int64_t nowUs);

    /// ISO 8601 (with or without fraction, offset or time; no offset means UTC) → epoch µs;
    /// nullopt if it is not one.
    static std::optional<std::int64_t> parseTime(const std::string &iso8601);
};

} // namespace dd::domain
