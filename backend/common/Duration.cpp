// parseDuration: digits, then one unit letter.
#include "backend/common/Duration.h"

#include <charconv>

namespace dd::backend {

std::optional<net::Micros> parseDuration(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    net::Micros unit = net::kSeconds;
    switch (text.back()) {
    case 's': unit = net::kSeconds; text.remove_suffix(1); break;
    case 'm': unit = 60 * net::kSeconds; text.remove_suffix(1); break;
    case 'h': unit = 3600 * net::kSeconds; text.remove_suffix(1); break;
    case 'd': unit = 86400 * net::kSeconds; text.remove_suffix(1); break;
    default: break;
    }
    long long count = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), count);
    // At most 10 years: beyond that the product would not fit, and nobody means it.
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size() || count <= 0
        || count > 3650LL * 86400 * net::kSeconds / unit)
        return std::nullopt;
    return count * unit;
}

} // namespace dd::backend
