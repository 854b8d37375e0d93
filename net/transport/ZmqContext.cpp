// The one ZeroMQ context of the process.
#include "net/transport/ZmqContext.h"

#include <cerrno>
#include <chrono>
#include <thread>

namespace dd::net {

void bindWithRetry(zmq::socket_t &socket, const std::string &endpoint)
{
    for (int attempt = 1;; ++attempt) {
        try {
            socket.bind(endpoint);
            return;
        } catch (const zmq::error_t &e) {
            if (e.num() != EADDRINUSE || attempt >= 100)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(10)); // at most a second in all
        }
    }
}

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
