// Options every service derives from its context.
#include "backend/common/ServiceContext.h"

namespace dd::backend {

net::ServerOptions ServiceContext::serverOptions() const
{
    net::ServerOptions options;
    options.faults = faults;
    options.security = security;
    return options;
}

net::ClientOptions ServiceContext::clientOptions() const
{
    net::ClientOptions options;
    options.security = security;
    return options;
}

} // namespace dd::backend
