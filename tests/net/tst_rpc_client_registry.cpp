// Tests RpcClientRegistry: clients join and leave by route; breaker commands reach every client of a route on its loop.
#include "RpcTestSupport.h"
#include "net/rpc/RpcClientRegistry.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QtTest>

using namespace dd::net;
using namespace dd::net::test;

namespace {
std::string breakerOf(const std::string &caller, const std::string &callee)
{
    return std::string(MetricsRegistry::global().route(caller, callee).breakerState());
}
} // namespace

class TestRpcClientRegistry : public QObject
{
    Q_OBJECT

private slots:
    void clientsRegisterByRouteAndLeaveWhenDestroyed()
    {
        auto &registry = RpcClientRegistry::global();
        EchoServer server("regsvc", uniqueEndpoint("reg"), "r");
        const EndpointTable table = tableOf("regsvc", {{server.endpoint(), "v1"}});
        QCOMPARE(registry.count("tester", "regsvc"), std::size_t(0));
        {
            ClientHarness first("regsvc", table);
            ClientHarness second("regsvc", table);
            QCOMPARE(registry.count("tester", "regsvc"), std::size_t(2));
            const auto routes = registry.routes();
            QVERIFY(std::find(routes.begin(), routes.end(), std::pair<std::string, std::string>("tester", "regsvc"))
                    != routes.end());
        }
        QCOMPARE(registry.count("tester", "regsvc"), std::size_t(0));
        QCOMPARE(registry.isolate("tester", "regsvc"), std::size_t(0)); // nothing left to command
    }

    void isolateForceCloseAndResetReachEveryInstanceOfTheRoute()
    {
        auto &registry = RpcClientRegistry::global();
        EchoServer a("isosvc", uniqueEndpoint("iso-a"), "a");
        EchoServer b("isosvc", uniqueEndpoint("iso-b"), "b");
        ClientHarness client("isosvc", tableOf("isosvc", {{a.endpoint(), "v1"}, {b.endpoint(), "v1"}}));
        QVERIFY(client.callAndWait("Echo", "x").status.ok());

        QCOMPARE(registry.isolate("tester", "isosvc"), std::size_t(1));
        QTRY_COMPARE(breakerOf("tester", "isosvc"), std::string("isolated"));
        // Both instances are isolated: nothing is sent, the call short-circuits.
        const int echoesBefore = a.echoes.load() + b.echoes.load();
        QCOMPARE(int(client.callAndWait("Echo", "x").status.code), int(dronedelivery::v1::CIRCUIT_OPEN));
        QCOMPARE(a.echoes.load() + b.echoes.load(), echoesBefore);
        int isolated = 0;
        client.loop.invoke([&] {
            for (std::size_t i = 0; i < client.client->pool().size(); ++i)
                isolated += client.client->pool().at(i).breaker->state() == BreakerState::Isolated;
        });
        QCOMPARE(isolated, 2);

        QCOMPARE(registry.forceClose("tester", "isosvc"), std::size_t(1));
        QTRY_COMPARE(breakerOf("tester", "isosvc"), std::string("forced_closed"));
        QVERIFY(client.callAndWait("Echo", "x").status.ok());

        QCOMPARE(registry.reset("tester", "isosvc"), std::size_t(1));
        QTRY_COMPARE(breakerOf("tester", "isosvc"), std::string("closed"));
        QVERIFY(client.callAndWait("Echo", "x").status.ok());
    }

    void aCommandForAnotherCallerLeavesTheRouteAlone()
    {
        auto &registry = RpcClientRegistry::global();
        EchoServer server("othersvc", uniqueEndpoint("other"), "o");
        ClientHarness client("othersvc", tableOf("othersvc", {{server.endpoint(), "v1"}}));
        QCOMPARE(registry.isolate("someone-else", "othersvc"), std::size_t(0));
        QVERIFY(client.callAndWait("Echo", "x").status.ok());
        QCOMPARE(breakerOf("tester", "othersvc"), std::string("closed"));
    }

    void aCommandRacingTheClientsDestructionIsHarmless()
    {
        auto &registry = RpcClientRegistry::global();
        EchoServer server("racesvc", uniqueEndpoint("race"), "r");
        const EndpointTable table = tableOf("racesvc", {{server.endpoint(), "v1"}});
        for (int round = 0; round < 50; ++round) {
            auto client = std::make_unique<ClientHarness>("racesvc", table);
            registry.isolate("tester", "racesvc");
            client.reset(); // the posted command may run before, or find the client gone
        }
        QCOMPARE(registry.count("tester", "racesvc"), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestRpcClientRegistry)
#include "tst_rpc_client_registry.moc"
