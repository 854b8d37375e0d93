// drone-bench mesh: RPC through the full mesh path vs raw cppzmq, same payload, same run.
#include "BenchReport.h"

#include "net/rpc/RpcClient.h"
#include "net/rpc/RpcServer.h"
#include "net/transport/ZmqContext.h"

#include <QStringList>

#include <future>
#include <sched.h>
#include <thread>

namespace dd::bench {

using namespace dd::net;

namespace {

constexpr int kWindow = 1000; // calls in flight: pipelining, as a busy service has
const std::string kPayload(64, 'x');
int g_round = 0;

/// ROUTER echo on its own thread until it receives an empty frame.
std::thread rawEchoServer(const std::string &endpoint, std::promise<void> &bound)
{
    return std::thread([endpoint, &bound] {
        zmq::socket_t router(ZmqContext::instance(), zmq::socket_type::router);
        router.set(zmq::sockopt::sndhwm, 100000);
        router.set(zmq::sockopt::rcvhwm, 100000);
        router.bind(endpoint);
        bound.set_value();
        zmq::message_t identity, body;
        while (true) {
            (void)router.recv(identity);
            (void)router.recv(body);
            if (body.size() == 0)
                break;
            router.send(identity, zmq::send_flags::sndmore);
            router.send(body, zmq::send_flags::none);
        }
    });
}

double rawPipelined(int calls)
{
    const std::string endpoint = "inproc://raw-echo-" + std::to_string(++g_round);
    std::promise<void> bound;
    std::thread server = rawEchoServer(endpoint, bound);
    bound.get_future().wait();
    zmq::socket_t dealer(ZmqContext::instance(), zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::sndhwm, 100000);
    dealer.set(zmq::sockopt::rcvhwm, 100000);
    dealer.connect(endpoint);
    const double start = nowSeconds();
    int sent = 0, received = 0;
    zmq::message_t reply;
    while (sent < std::min(kWindow, calls)) {
        dealer.send(zmq::buffer(kPayload));
        ++sent;
    }
    while (received < calls) {
        (void)dealer.recv(reply);
        ++received;
        if (sent < calls) {
            dealer.send(zmq::buffer(kPayload));
            ++sent;
        }
    }
    const double elapsed = nowSeconds() - start;
    dealer.send(zmq::message_t{}, zmq::send_flags::none);
    server.join();
    return calls / elapsed;
}

struct MeshPair
{
    ServiceLoop serverLoop{"bench-server"};
    ServiceLoop clientLoop{"bench-client"};
    std::unique_ptr<RpcServer> server;
    std::unique_ptr<RpcClient> client;

    MeshPair()
    {
        const std::string endpoint = "inproc://mesh-echo-" + std::to_string(++g_round);
        server = std::make_unique<RpcServer>(serverLoop, "echo", endpoint);
        server->handleRaw("Echo", Idempotency::Idempotent,
                          [](const CallContext &, std::string_view payload, Responder r) { r.replyBytes(payload); });
        EndpointTable table;
        table.add({"echo", endpoint, "v1"});
        client = std::make_unique<RpcClient>(clientLoop, "bench", "echo", table);
        serverLoop.start();
        clientLoop.start();
    }
    ~MeshPair()
    {
        clientLoop.invoke([this] { client.reset(); });
        serverLoop.invoke([this] { server.reset(); });
        clientLoop.stop();
        serverLoop.stop();
    }
};

double meshPipelined(int calls)
{
    MeshPair mesh;
    std::promise<double> finished;
    // The pipeline's state behind one pointer: the per-call callback captures only
    // that pointer, as a latency-conscious caller writes it (no closure allocation).
    struct Pipeline
    {
        RpcClient *client = nullptr;
        CallOptions options;
        std::promise<double> *finished = nullptr;
        int calls = 0, sent = 0, received = 0, failed = 0;
        double start = 0;

        void sendOne()
        {
            ++sent;
            client->callRaw("Echo", kPayload, options, [this](const RpcReply &reply) { onReply(reply); });
        }
        void onReply(const RpcReply &reply)
        {
            if (!reply.status.ok())
                ++failed;
            if (++received == calls)
                finished->set_value(calls / (nowSeconds() - start));
            else if (sent < calls)
                sendOne();
        }
    } pipeline;
    pipeline.client = mesh.client.get();
    pipeline.options.idempotent = true;
    pipeline.finished = &finished;
    pipeline.calls = calls;
    mesh.clientLoop.post([&] {
        pipeline.start = nowSeconds();
        for (int i = 0; i < std::min(kWindow, calls); ++i)
            pipeline.sendOne();
    });
    const double rate = finished.get_future().get();
    if (pipeline.failed)
        std::fprintf(stderr, "mesh: %d of %d calls failed\n", pipeline.failed, calls);
    return rate;
}

std::vector<double> rawLatencies(int calls)
{
    const std::string endpoint = "inproc://raw-rep-" + std::to_string(++g_round);
    std::promise<void> bound;
    std::thread server([&] {
        zmq::socket_t rep(ZmqContext::instance(), zmq::socket_type::rep);
        rep.bind(endpoint);
        bound.set_value();
        zmq::message_t body;
        while (true) {
            (void)rep.recv(body);
            const bool stop = body.size() == 0;
            rep.send(body, zmq::send_flags::none);
            if (stop)
                break;
        }
    });
    bound.get_future().wait();
    zmq::socket_t req(ZmqContext::instance(), zmq::socket_type::req);
    req.connect(endpoint);
    std::vector<double> latencies;
    latencies.reserve(std::size_t(calls));
    zmq::message_t reply;
    for (int i = 0; i < calls; ++i) {
        const double t0 = nowSeconds();
        req.send(zmq::buffer(kPayload));
        (void)req.recv(reply);
        latencies.push_back((nowSeconds() - t0) * 1e6);
    }
    req.send(zmq::message_t{}, zmq::send_flags::none);
    (void)req.recv(reply);
    server.join();
    return latencies;
}

std::vector<double> meshLatencies(int calls)
{
    MeshPair mesh;
    std::vector<double> latencies;
    latencies.reserve(std::size_t(calls));
    std::promise<void> finished;
    CallOptions options;
    options.idempotent = true;
    double t0 = 0;
    std::function<void()> next = [&] {
        t0 = nowSeconds();
        mesh.client->callRaw("Echo", kPayload, options, [&](const RpcReply &) {
            latencies.push_back((nowSeconds() - t0) * 1e6);
            if (int(latencies.size()) == calls)
                finished.set_value();
            else
                next();
        });
    };
    mesh.clientLoop.post(next);
    finished.get_future().wait();
    return latencies;
}

} // namespace

int runMesh(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int rounds = quick ? 1 : 5;
    const int calls = quick ? 20000 : 300000;
    if (args.contains("--mesh-only")) { // for profiling the mesh path alone
        report("mesh_rpc_pipelined", meshPipelined(calls * 5), "calls/s", 0);
        return 0;
    }
    std::vector<double> raw, mesh;
    for (int round = 0; round < rounds; ++round) {
        raw.push_back(rawPipelined(calls));
        mesh.push_back(meshPipelined(calls));
    }
    report("mesh_rpc_pipelined", median(mesh), "calls/s", median(raw));

    // One call at a time is bound by waking the other thread. On these VMs that costs
    // ~3 µs when both threads share a core and ~25 µs across cores when the other vCPU
    // sleeps (a halt exit), and the scheduler places a fresh std::thread pair (the raw
    // path) differently from long-lived loops. So both paths run with every thread on
    // one core (threads inherit this affinity), in short alternating batches.
    cpu_set_t saved;
    const bool pinned = sched_getaffinity(0, sizeof saved, &saved) == 0 && [&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
            if (CPU_ISSET(cpu, &saved)) {
                CPU_SET(cpu, &one);
                break;
            }
        return sched_setaffinity(0, sizeof one, &one) == 0;
    }();
    const int batch = 500;
    const int batches = quick ? 2 : 30;
    std::vector<double> rawLat, meshLat;
    const auto measure = [batch](auto latencies, std::vector<double> &into) {
        const auto batchOf = latencies(batch);
        into.insert(into.end(), batchOf.begin(), batchOf.end());
    };
    for (int b = 0; b < batches; ++b) { // each path first in every other batch
        if (b % 2 == 0)
            measure(rawLatencies, rawLat);
        measure(meshLatencies, meshLat);
        if (b % 2 == 1)
            measure(rawLatencies, rawLat);
    }
    if (pinned)
        sched_setaffinity(0, sizeof saved, &saved);
    report("mesh_rpc_latency_p50", percentile(meshLat, 0.5), "us", percentile(rawLat, 0.5));
    report("mesh_rpc_latency_p99", percentile(meshLat, 0.99), "us", percentile(rawLat, 0.99));
    return 0;
}

} // namespace dd::bench
