// ZAP handler (RFC 27): admits only listed CURVE client keys; counts and logs refusals.
#pragma once

#include "net/transport/ServiceLoop.h"

#include <atomic>
#include <functional>
#include <vector>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace dd::net {

/// There is one ZAP endpoint per context (inproc://zeromq.zap.01), so one
/// authenticator per process. Start it before binding any CURVE server socket:
/// without a handler libzmq would admit every client.
class ZapAuthenticator
{
public:
    static ZapAuthenticator &instance();

    void start();
    void stop();
    bool running() const;

    /// Z85 public keys allowed to connect.
    void allow(const std::string &publicKey);
    void revoke(const std::string &publicKey);
    bool allowed(const std::string &publicKey) const;
    /// Where the allow-list comes from (the key directory's authorized_clients):
    /// consulted again on an unknown key, at most once a second, so a process that
    /// joins a running deployment is admitted without restarting the others.
    void setAllowListSource(std::function<std::vector<std::string>()> source);

    std::uint64_t admitted() const { return m_admitted.load(); }
    std::uint64_t refused() const { return m_refused.load(); }

private:
    ZapAuthenticator() = default;
    void onRequest();

    mutable std::mutex m_mutex;
    std::set<std::string> m_allowed;
    std::function<std::vector<std::string>()> m_source;
    std::int64_t m_lastReload = 0;
    std::unique_ptr<ServiceLoop> m_loop;
    std::unique_ptr<zmq::socket_t> m_socket;
    std::atomic<std::uint64_t> m_admitted{0};
    std::atomic<std::uint64_t> m_refused{0};
};

} // namespace dd::net
