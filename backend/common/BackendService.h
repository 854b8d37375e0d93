// Base of every backend service: its own thread (ServiceLoop), started and stopped by the host.
#pragma once

#include "backend/common/ServiceContext.h"
#include "net/transport/ServiceLoop.h"

#include <memory>
#include <string>

namespace dd::backend {

/// A service creates its store, server and clients in onStart() and releases
/// them in onStop(); both run on the service's own loop thread, so everything
/// they create is used from that one thread only.
class BackendService
{
public:
    BackendService(std::string name, const ServiceContext &context);
    virtual ~BackendService();
    BackendService(const BackendService &) = delete;
    BackendService &operator=(const BackendService &) = delete;

    const std::string &name() const { return m_name; }
    /// Throws if the service cannot start (store, bind); nothing is left running then.
    void start();
    void stop();
    bool running() const { return m_started; }
    net::ServiceLoop &loop() { return m_loop; }
    const ServiceContext &context() const { return m_context; }

protected:
    virtual void onStart() = 0;
    virtual void onStop() {}

    /// The service's RPC server, bound at its endpoint from the table.
    std::unique_ptr<net::RpcServer> makeServer();
    std::unique_ptr<net::RpcClient> makeClient(const std::string &callee, net::ClientOptions options);
    std::unique_ptr<net::RpcClient> makeClient(const std::string &callee);

private:
    std::string m_name;
    const ServiceContext &m_context;
    net::ServiceLoop m_loop;
    bool m_started = false;
};

} // namespace dd::backend
