// PackageRules: size default and weight limits with messages that say what to change.
#include "backend/domain/PackageRules.h"

#include <cstdio>
#include <string>

namespace dd::domain {

using namespace dronedelivery::v1;

bool PackageRules::validSize(int size)
{
    return size != PACKAGE_SIZE_UNSPECIFIED && PackageSize_IsValid(size);
}

std::optional<FieldError> PackageRules::prepare(PackageInfo &package)
{
    if (package.size() == PACKAGE_SIZE_UNSPECIFIED)
        package.set_size(SMALL);
    if (!validSize(package.size()))
        return FieldError {"packageInfo.size", "packageInfo.size must be one of Small, Medium, Large", {}};
    if (!validWeight(package.weight())) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", kMaxWeightKg);
        const std::string message = package.weight() > kMaxWeightKg
            ? "packageInfo.weight must be at most " + std::string(limit) + " kg (the heaviest a carrier takes)"
            : "packageInfo.weight must be more than 0 kg";
        return FieldError {"packageInfo.weight", message, {}};
    }
    return std::nullopt;
}

} // namespace dd::domain
