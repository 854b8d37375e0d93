// drone-bench: runs the named benchmarks and prints one JSON line per result.
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <cstring>

namespace dd::bench {
int runMesh(const QStringList &args);
int runPubSub(const QStringList &args);
int runIngest(const QStringList &args);
int runE2e(const QStringList &args);
int runSustain(const QStringList &args);
int runFailstorm(const QStringList &args);
} // namespace dd::bench

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.front() == "--help" || args.front() == "-h") {
        std::fprintf(stderr,
                     "usage: drone-bench mesh|pubsub|ingest|e2e|sustain|failstorm [--quick]\n"
                     "  mesh    pipelined RPC and single-call latency vs raw cppzmq DEALER/ROUTER and REQ/REP\n"
                     "  pubsub  telemetry publish/subscribe vs raw cppzmq PUB/SUB\n"
                     "  ingest  accepted delivery requests/s (HTTP 202, durable) vs a bare QHttpServer JSON echo\n"
                     "  e2e     HTTP POST -> DeliveryCreated deliveries/s, and latency at half that load\n"
                     "  sustain [--seconds N] [--load SHARE] [--retention-seconds S]\n"
                     "          a load just under capacity (SHARE of the burst e2e rate, default 0.95) for N s\n"
                     "          (default 120) on one store: deliveries/s vs burst e2e, disk per delivery, RSS, backlog\n"
                     "  failstorm  saturating load, every workflow failing at Package: failed transactions\n"
                     "          recorded/s vs the burst e2e rate, report calls that failed, requests accepted\n"
                     "  --quick fewer and shorter rounds (smoke test)\n");
        return args.isEmpty() ? 2 : 0;
    }
    const QString which = args.takeFirst();
    if (which == "mesh")
        return dd::bench::runMesh(args);
    if (which == "pubsub")
        return dd::bench::runPubSub(args);
    if (which == "ingest")
        return dd::bench::runIngest(args);
    if (which == "e2e")
        return dd::bench::runE2e(args);
    if (which == "sustain")
        return dd::bench::runSustain(args);
    if (which == "failstorm")
        return dd::bench::runFailstorm(args);
    std::fprintf(stderr, "drone-bench: unknown benchmark \"%s\"\n", qPrintable(which));
    return 2;
}
