// The package and carrier rules in one place: what a delivery's package may be, for Ingestion, Package and ThirdParty.
#pragma once

#include "backend/domain/FieldError.h"
#include "domain.pb.h"

#include <optional>

namespace dd::domain {

/// A request whose package no carrier can take is refused when it arrives (400), not
/// after a 202 at the Package step. The Package and ThirdParty services check the same
/// limits (their own callers may skip Ingestion).
class PackageRules
{
public:
    /// The heaviest parcel anyone takes: drones carry light ones, a paid third-party
    /// carrier the rest up to this (ThirdPartyService); Package accepts up to it too.
    static constexpr double kMaxWeightKg = 1000;

    /// > 0 and ≤ kMaxWeightKg (NaN is not).
    static bool validWeight(double kilograms) { return kilograms > 0 && kilograms <= kMaxWeightKg; }
    /// Small, Medium or Large (proto3 enums are open: 42 parses and is not a size).
    static bool validSize(int size);

    /// A schedule's package: `size` unspecified becomes Small (the reference's
    /// ModelsConverter does the same), weight must be valid. Fields are named as in the
    /// HTTP API ("packageInfo.weight"). The package id may be empty (Ingestion assigns it).
    static std::optional<FieldError> prepare(dronedelivery::v1::PackageInfo &package);
};

} // namespace dd::domain
