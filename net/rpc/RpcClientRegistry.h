// Process-wide directory of live RpcClients by route, so an operator can isolate or force-close a route's breakers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace dd::net {

class RpcClient;
class ServiceLoop;

enum class BreakerCommand { Isolate, ForceClose, Reset };

/// "isolate", "force_close", "reset".
const char *toString(BreakerCommand command);

/// Every RpcClient registers itself (caller, callee, its loop) when built and leaves
/// when destroyed. A command for a route is posted to the loop of each client on it
/// and applied there to every instance of its pool, so breakers are still touched
/// only from their own thread. Thread-safe. Nothing here is on the call path: a
/// client talks to the registry only in its constructor and destructor.
class RpcClientRegistry
{
public:
    using Token = std::uint64_t;

    RpcClientRegistry() = default;
    RpcClientRegistry(const RpcClientRegistry &) = delete;
    RpcClientRegistry &operator=(const RpcClientRegistry &) = delete;

    Token add(const std::string &caller, const std::string &callee, ServiceLoop &loop, RpcClient &client);
    /// Waits for a command running on the client at that moment, so after it returns
    /// no command can reach the client any more.
    void remove(Token token);

    /// Posts the command to every live client of caller→callee; returns how many.
    /// 0 means no such route in this process (nothing happens then).
    std::size_t apply(const std::string &caller, const std::string &callee, BreakerCommand command);
    std::size_t isolate(const std::string &caller, const std::string &callee)
    {
        return apply(caller, callee, BreakerCommand::Isolate);
    }
    std::size_t forceClose(const std::string &caller, const std::string &callee)
    {
        return apply(caller, callee, BreakerCommand::ForceClose);
    }
    std::size_t reset(const std::string &caller, const std::string &callee)
    {
        return apply(caller, callee, BreakerCommand::Reset);
    }

    /// Live clients on caller→callee.
    std::size_t count(const std::string &caller, const std::string &callee) const;
    /// Every route with at least one live client, sorted.
    std::vector<std::pair<std::string, std::string>> routes() const;

    /// The registry every RpcClient of the process joins; never destroyed.
    static RpcClientRegistry &global();

private:
    struct Entry
    {
        std::string caller;
        std::string callee;
        ServiceLoop *loop = nullptr;
        RpcClient *client = nullptr;
    };
    void run(Token token, BreakerCommand command);

    // Held while a command runs on a client, so remove() (the client's destructor)
    // cannot free it underneath; commands are short and take no other lock of ours.
    mutable std::mutex m_mutex;
    std::map<Token, Entry> m_entries;
    Token m_next = 1;
};

} // namespace dd::net
