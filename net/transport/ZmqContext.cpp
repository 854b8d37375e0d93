// The one ZeroMQ context of the process.
#include "net/transport/ZmqContext.h"

namespace dd::net {

zmq::context_t &ZmqContext::instance()
{
    // Leaked on purpose: sockets owned by static objects or detached threads may
    // outlive main(), and zmq_ctx_term would block on them at exit.
    static zmq::context_t *context = [] {
        auto *c = new zmq::context_t(1);
        c->set(zmq::ctxopt::max_sockets, 8192);
        return c;
    }();
    return *context;
}

} // namespace dd::net
