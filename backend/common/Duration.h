// Durations on the command line and in config: "90s", "15m", "2h", "7d" (a bare number is seconds).
#pragma once

#include "net/resilience/Clock.h"

#include <optional>
#include <string_view>

namespace dd::backend {

/// A positive whole number with an optional unit s, m, h or d; nullopt for anything else.
std::optional<net::Micros> parseDuration(std::string_view text);

} // namespace dd::backend
