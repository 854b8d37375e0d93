// The one ZeroMQ context of the process (zguide ch. 2: one context, a socket per thread).
#pragma once

#include <zmq.hpp>

#include <string>

namespace dd::net {

/// Binds, waiting briefly while the endpoint is still held by a socket that was just
/// closed: ZeroMQ releases an inproc name (and a tcp port) asynchronously, so a
/// service restarted at once may find its own predecessor still there.
void bindWithRetry(zmq::socket_t &socket, const std::string &endpoint);

class ZmqContext
{
public:
    /// Created on first use, lives until process exit; every socket of the process comes from it.
    static zmq::context_t &instance();
};

} // namespace dd::net
