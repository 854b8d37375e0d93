// drone-bench pubsub: telemetry through Publisher/Subscriber vs raw cppzmq PUB/SUB, same run.
#include "BenchReport.h"

#include "net/pubsub/Publisher.h"
#include "net/pubsub/Subscriber.h"
#include "net/transport/ZmqContext.h"

#include <QStringList>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>

namespace dd::bench {

using namespace dd::net;

namespace {

constexpr int kHwm = 2000000; // same for both sides: this measures speed, not drop policy
constexpr int kDrones = 10000;
const std::string kPayload(64, 't');
int g_round = 0;

std::string topicFor(int i)
{
    return "telemetry." + std::to_string(i % kDrones);
}

double rawPubSub(int messages, const std::vector<std::string> &topics)
{
    const std::string endpoint = "inproc://raw-pub-" + std::to_string(++g_round);
    zmq::socket_t pub(ZmqContext::instance(), zmq::socket_type::pub);
    pub.set(zmq::sockopt::sndhwm, kHwm);
    pub.bind(endpoint);
    std::atomic<bool> ready{false};
    std::promise<double> result;
    std::thread subscriber([&] {
        zmq::socket_t sub(ZmqContext::instance(), zmq::socket_type::sub);
        sub.set(zmq::sockopt::rcvhwm, kHwm);
        sub.set(zmq::sockopt::subscribe, "");
        sub.connect(endpoint);
        zmq::message_t topic, body;
        int count = 0;
        double start = 0;
        while (true) {
            (void)sub.recv(topic);
            (void)sub.recv(body);
            if (topic.to_string_view() == "sync") {
                ready = true;
                continue;
            }
            if (count++ == 0)
                start = nowSeconds();
            if (topic.to_string_view() == "end")
                break;
        }
        result.set_value((count - 1) / (nowSeconds() - start));
    });
    while (!ready) {
        pub.send(zmq::str_buffer("sync"), zmq::send_flags::sndmore);
        pub.send(zmq::str_buffer("x"), zmq::send_flags::none);
        std::this_thread::yield();
    }
    for (int i = 0; i < messages; ++i) {
        pub.send(zmq::buffer(topics[std::size_t(i) % topics.size()]), zmq::send_flags::sndmore);
        pub.send(zmq::buffer(kPayload), zmq::send_flags::none);
    }
    pub.send(zmq::str_buffer("end"), zmq::send_flags::sndmore);
    pub.send(zmq::str_buffer("x"), zmq::send_flags::none);
    const double rate = result.get_future().get();
    subscriber.join();
    return rate;
}

double meshPubSub(int messages, const std::vector<std::string> &topics)
{
    const std::string endpoint = "inproc://mesh-pub-" + std::to_string(++g_round);
    PublisherOptions pubOptions;
    pubOptions.policy = HwmPolicy::Conflate;
    pubOptions.sendHighWaterMark = kHwm;
    Publisher publisher("bench", endpoint, pubOptions);

    ServiceLoop loop("bench-sub");
    SubscriberOptions subOptions;
    subOptions.policy = HwmPolicy::Conflate;
    subOptions.receiveHighWaterMark = kHwm;
    auto subscriber = std::make_unique<Subscriber>(loop, "bench-sub", "bench", std::vector<std::string>{endpoint},
                                                   subOptions);
    subscriber->subscribe("");
    std::atomic<bool> ready{false};
    std::promise<double> result;
    std::uint64_t firstReceived = 0;
    double start = 0;
    bool started = false;
    subscriber->setHandler([&](const Event &event) {
        if (event.topic == "sync") {
            ready = true;
            return;
        }
        if (!started) {
            started = true;
            start = nowSeconds();
            firstReceived = subscriber->received();
        }
        if (event.topic == "end") {
            if (std::getenv("DD_BENCH_DEBUG"))
                std::fprintf(stderr, "received %lu first %lu delivered %lu bad %lu\n",
                             (unsigned long)subscriber->received(), (unsigned long)firstReceived,
                             (unsigned long)subscriber->delivered(), (unsigned long)subscriber->badFrames());
            result.set_value(double(subscriber->received() - firstReceived) / (nowSeconds() - start));
        }
    });
    loop.start();
    while (!ready) {
        publisher.publishRaw("sync", "Sync", "x");
        std::this_thread::yield();
    }
    for (int i = 0; i < messages; ++i)
        publisher.publishRaw(topics[std::size_t(i) % topics.size()], "DroneTelemetry", kPayload);
    publisher.publishRaw("end", "End", "x");
    const double rate = result.get_future().get();
    loop.invoke([&] { subscriber.reset(); });
    loop.stop();
    return rate;
}

} // namespace

int runPubSub(const QStringList &args)
{
    const bool quick = args.contains("--quick");
    const int rounds = quick ? 1 : 5;
    const int messages = quick ? 50000 : 1000000;
    std::vector<std::string> topics;
    for (int i = 0; i < kDrones; ++i)
        topics.push_back(topicFor(i));
    std::vector<double> raw, mesh;
    for (int round = 0; round < rounds; ++round) {
        raw.push_back(rawPubSub(messages, topics));
        mesh.push_back(meshPubSub(messages, topics));
    }
    report("pubsub_telemetry", median(mesh), "msg/s", median(raw));
    return 0;
}

} // namespace dd::bench
