// The one ZeroMQ context of the process (zguide ch. 2: one context, a socket per thread).
#pragma once

#include <zmq.hpp>

namespace dd::net {

class ZmqContext
{
public:
    /// Created on first use, lives until process exit; every socket of the process comes from it.
    static zmq::context_t &instance();
};

} // namespace dd::net
