// A request field that can never be accepted: which field, why, and what the caller may have meant.
#pragma once

#include <string>
#include <vector>

namespace dd::domain {

struct FieldError
{
    std::string field; ///< the API's name for it: "pickupLocation", "packageInfo.weight"
    std::string message; ///< a sentence for a person, suggestions included
    std::vector<std::string> suggestions; ///< close known values (place names), best first; may be empty
};

} // namespace dd::domain
