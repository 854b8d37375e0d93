// The administrator's key step of a split deployment: the key directory, the services' pairs, the allow-list.
#pragma once

#include "BackendOptions.h"

#include <cstdio>
#include <string>

namespace dd::app {

/// `drone-backend --endpoints FILE --keys-init [--authorize-client NAME]...`: the only
/// place that creates key pairs and writes authorized_clients. Backend processes and
/// consoles only load what it made, so no process can admit itself.
class KeyAdmin
{
public:
    /// Creates (or tightens to 0700) the endpoint table's keysDir; with keysInit every
    /// service's pair, then each named client's pair, admitted. Existing pairs are kept.
    /// Reports each file on `out`; false with a message in `error`.
    static bool run(const BackendOptions &options, std::FILE *out, std::string *error);
};

} // namespace dd::app
