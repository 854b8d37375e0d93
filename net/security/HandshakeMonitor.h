// Counts and logs every connection a CURVE server socket refused (libzmq socket monitor events).
#pragma once

#include "net/transport/ServiceLoop.h"

#include <zmq.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace dd::net {

/// libzmq tells only a socket monitor about a failed handshake: a plain (non-CURVE)
/// client, a client that used a wrong server key, garbage bytes, a ZAP denial; bytes
/// that look like ZMTP 1.0 (most garbage) it drops with no failure event at all, so a
/// connection that disconnects before its handshake succeeded counts too. One
/// loop (like ZAP's) reads the monitors of every CURVE server socket of the process,
/// counts each refusal as dd_mesh_refused_total{service,reason} and logs one line per
/// refusal within RefusalLog's budget.
class HandshakeMonitor
{
public:
    static HandshakeMonitor &instance();

    /// Starts watching `socket` (a CURVE server socket of `service`); call on the socket's
    /// thread. The watch ends by itself when the socket closes (MONITOR_STOPPED).
    void watch(zmq::socket_t &socket, const std::string &service);

    /// Refusals seen since the process started, all services.
    std::uint64_t refused() const { return m_refused.load(std::memory_order_relaxed); }
    /// Sockets watched right now.
    std::size_t watching() const;

    /// The reason label of a monitor event, or nullptr when the event is not a refusal.
    static const char *reasonOf(std::uint16_t event, std::uint32_t value);
    static const char *describe(const char *reason);

private:
    HandshakeMonitor() = default;
    struct Watch
    {
        std::string service;
        std::unique_ptr<zmq::socket_t> pair;
        /// Accepted connections not yet through a handshake (fds). libzmq names no fd on
        /// HANDSHAKE_SUCCEEDED: the oldest is taken, which keeps the totals right.
        std::deque<std::uint32_t> handshaking;
        /// Failures reported whose DISCONNECTED is still to come (not a second refusal).
        std::uint64_t failedAwaitingDisconnect = 0;
    };
    void onEvents(std::uint64_t id);
    void count(Watch &entry, const char *reason, const std::string &endpoint);

    mutable std::mutex m_mutex;
    std::unique_ptr<ServiceLoop> m_loop;
    std::map<std::uint64_t, std::unique_ptr<Watch>> m_watches; ///< the loop's thread only
    std::atomic<std::size_t> m_watching{0};
    std::atomic<std::uint64_t> m_nextId{1};
    std::atomic<std::uint64_t> m_refused{0};
};

} // namespace dd::net
