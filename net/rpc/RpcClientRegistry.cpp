// RpcClientRegistry: registration by route and breaker commands posted to each client's own loop.
#include "net/rpc/RpcClientRegistry.h"

#include "net/rpc/RpcClient.h"
#include "net/transport/ServiceLoop.h"

#include <algorithm>

namespace dd::net {

const char *toString(BreakerCommand command)
{
    switch (command) {
    case BreakerCommand::Isolate: return "isolate";
    case BreakerCommand::ForceClose: return "force_close";
    case BreakerCommand::Reset: return "reset";
    }
    return "unknown";
}

RpcClientRegistry::Token RpcClientRegistry::add(const std::string &caller, const std::string &callee,
                                                 ServiceLoop &loop, RpcClient &client)
{
    std::lock_guard lock(m_mutex);
    const Token token = m_next++;
    m_entries.emplace(token, Entry{caller, callee, &loop, &client});
    return token;
}

void RpcClientRegistry::remove(Token token)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(token);
}

std::size_t RpcClientRegistry::apply(const std::string &caller, const std::string &callee, BreakerCommand command)
{
    std::vector<std::pair<Token, ServiceLoop *>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[token, entry] : m_entries)
            if (entry.caller == caller && entry.callee == callee)
                targets.emplace_back(token, entry.loop);
    }
    // Posted, not run here: a breaker belongs to its client's thread. The token is
    // looked up again there, so a client destroyed meanwhile is simply skipped.
    for (const auto &[token, loop] : targets)
        loop->post([this, token = token, command] { run(token, command); });
    return targets.size();
}

void RpcClientRegistry::run(Token token, BreakerCommand command)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(token);
    if (it == m_entries.end())
        return;
    RpcClient &client = *it->second.client;
    for (std::size_t i = 0; i < client.pool().size(); ++i) {
        switch (command) {
        case BreakerCommand::Isolate: client.isolate(i); break;
        case BreakerCommand::ForceClose: client.forceClose(i); break;
        case BreakerCommand::Reset: client.resetBreaker(i); break;
        }
    }
}

std::size_t RpcClientRegistry::count(const std::string &caller, const std::string &callee) const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &[token, entry] : m_entries)
        n += entry.caller == caller && entry.callee == callee;
    return n;
}

std::vector<std::pair<std::string, std::string>> RpcClientRegistry::routes() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<std::string, std::string>> result;
    for (const auto &[token, entry] : m_entries)
        result.emplace_back(entry.caller, entry.callee);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

RpcClientRegistry &RpcClientRegistry::global()
{
    static RpcClientRegistry *const registry = new RpcClientRegistry;
    return *registry;
}

} // namespace dd::net
