// Shared fixtures for the RPC tests: echo servers on their own loops and a client loop.
#pragma once

#include "mesh.pb.h"
#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/transport/ZmqContext.h"

#include <QtTest>

#include <atomic>
#include <future>
#include <memory>
#include <vector>

namespace dd::net::test {

inline std::string uniqueEndpoint(const char *name)
{
    static std::atomic<int> counter{0};
    return "inproc://tst-" + std::string(name) + "-" + std::to_string(++counter);
}

/// A server on its own loop whose "Echo" handler answers with the request payload
/// prefixed by the server's tag; "Fail" answers with the status it is told to.
struct EchoServer
{
    ServiceLoop loop;
    std::unique_ptr<RpcServer> server;
    std::atomic<int> echoes{0};
    std::atomic<int> failNext{0}; ///< this many Echo calls answer TRANSIENT first
    std::string tag;

    EchoServer(const std::string &service, std::string endpoint, std::string tag_, ServerOptions options = {},
               const Clock &clock = Clock::system())
        : loop("srv-" + tag_, clock), tag(std::move(tag_))
    {
        server = std::make_unique<RpcServer>(loop, service, std::move(endpoint), std::move(options));
        server->handleRaw("Echo", Idempotency::Idempotent,
                          [this](const CallContext &, std::string_view payload, Responder r) {
                              if (failNext.load() > 0) {
                                  --failNext;
                                  r.fail(dronedelivery::v1::TRANSIENT, "try again");
                                  return;
                              }
                              ++echoes;
                              r.replyBytes(tag + ":" + std::string(payload));
                          });
        loop.start();
    }
    ~EchoServer()
    {
        loop.invoke([this] { server.reset(); });
        loop.stop();
    }
    std::string endpoint() const { return server->endpoint(); }
};

/// A client loop; calls are made on it and their replies collected for the test thread.
struct ClientHarness
{
    ServiceLoop loop;
    std::unique_ptr<RpcClient> client;

    ClientHarness(const std::string &service, const EndpointTable &table, ClientOptions options = {},
                  const Clock &clock = Clock::system())
        : loop("client", clock)
    {
        client = std::make_unique<RpcClient>(loop, "tester", service, table, std::move(options));
        loop.start();
    }
    ~ClientHarness()
    {
        loop.invoke([this] { client.reset(); });
        loop.stop();
    }

    struct Outcome
    {
        RpcStatus status;
        std::string payload;
        std::uint32_t attempts = 0;
        TraceContext trace;
    };

    /// Starts a call on the loop; the future resolves with its outcome.
    std::future<Outcome> call(const std::string &method, const std::string &payload, CallOptions options = {})
    {
        auto promise = std::make_shared<std::promise<Outcome>>();
        auto future = promise->get_future();
        loop.post([this, method, payload, options, promise] {
            client->callRaw(method, payload, options, [promise](const RpcReply &reply) {
                promise->set_value({reply.status, std::string(reply.payload), reply.attempts, reply.trace});
            });
        });
        return future;
    }

    Outcome callAndWait(const std::string &method, const std::string &payload, CallOptions options = {})
    {
        auto future = call(method, payload, options);
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
            qFatal("call did not complete within 30 s: the client lost it");
        return future.get();
    }
};

/// An object that lives on a ServiceLoop: built and destroyed on the loop's thread.
template <typename T>
class OnLoop
{
public:
    template <typename... Args>
    explicit OnLoop(ServiceLoop &loop, Args &&...args) : m_loop(loop)
    {
        m_loop.invoke([&] { m_object = std::make_unique<T>(loop, std::forward<Args>(args)...); });
    }
    ~OnLoop() { m_loop.invoke([&] { m_object.reset(); }); }
    T *operator->() const { return m_object.get(); }
    T &operator*() const { return *m_object; }

private:
    ServiceLoop &m_loop;
    std::unique_ptr<T> m_object;
};

inline EndpointTable tableOf(const std::string &service, const std::vector<std::pair<std::string, std::string>> &instances)
{
    EndpointTable table;
    for (const auto &[endpoint, version] : instances)
        table.add({service, endpoint, version});
    return table;
}

} // namespace dd::net::test
