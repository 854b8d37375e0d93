// BackendService: start/stop on the service's own thread.
#include "backend/common/BackendService.h"

namespace dd::backend {

BackendService::BackendService(std::string name, const ServiceContext &context)
    : m_name(std::move(name)), m_context(context), m_loop(m_name, *context.clock)
{
}

BackendService::~BackendService()
{
    // Derived classes must have stopped already; this only guards the loop.
    m_loop.stop();
}

void BackendService::start()
{
    if (m_started)
        return;
    m_loop.start();
    try {
        m_loop.invoke([this] { onStart(); });
    } catch (...) {
        m_loop.invoke([this] { onStop(); });
        m_loop.stop();
        throw;
    }
    m_started = true;
}

void BackendService::stop()
{
    if (!m_started)
        return;
    m_loop.invoke([this] { onStop(); });
    m_loop.stop();
    m_started = false;
}

std::unique_ptr<net::RpcServer> BackendService::makeServer()
{
    return std::make_unique<net::RpcServer>(m_loop, m_name, m_context.endpoints.endpoint(m_name),
                                            m_context.serverOptions());
}

std::unique_ptr<net::RpcClient> BackendService::makeClient(const std::string &callee, net::ClientOptions options)
{
    return std::make_unique<net::RpcClient>(m_loop, m_name, callee, m_context.endpoints, std::move(options));
}

std::unique_ptr<net::RpcClient> BackendService::makeClient(const std::string &callee)
{
    return makeClient(callee, m_context.clientOptions());
}

} // namespace dd::backend
