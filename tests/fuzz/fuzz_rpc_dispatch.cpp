// Fuzzes the RPC server's dispatch of every service method: the real nine services, a request frame per input.
#include "FuzzMesh.h"

#include "backend/ServiceCatalog.h"
#include "backend/common/ServiceHost.h"
#include "net/resilience/FaultInjector.h"

#include <QCoreApplication>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace dd;
using namespace dronedelivery::v1;

namespace {

struct Method
{
    const char *service;
    const char *name;
};

// Every handler the services register (and Events.Replay of the two lossless publishers);
// the input's first byte picks one, the rest is the request payload. Append only: the
// corpus names methods by their index.
constexpr Method kMethods[] = {
    {"account", "Check"},          {"account", "Get"},           {"account", "List"},
    {"account", "SetStatus"},      {"package", "Create"},        {"package", "Get"},
    {"package", "Delete"},         {"drone", "Schedule"},        {"drone", "Cancel"},
    {"drone", "Get"},              {"drone", "List"},            {"thirdparty", "Schedule"},
    {"thirdparty", "Cancel"},      {"delivery", "Create"},       {"delivery", "Register"},
    {"delivery", "RecordFailure"}, {"delivery", "Reschedule"},   {"delivery", "Cancel"},
    {"delivery", "Get"},           {"delivery", "Status"},       {"delivery", "List"},
    {"delivery", "Events.Replay"}, {"deliveryhistory", "History"}, {"deliveryhistory", "Query"},
    {"supervisor", "Report"},      {"supervisor", "Approve"},    {"supervisor", "Reject"},
    {"supervisor", "Retry"},       {"supervisor", "List"},       {"supervisor", "Get"},
    {"supervisor", "Audit"},       {"supervisor", "Events.Replay"}, {"scheduler", "Submit"},
    {"scheduler", "Retry"},        {"scheduler", "Find"},        {"ingestion", "Accept"},
};
constexpr std::size_t kMethodCount = sizeof(kMethods) / sizeof(kMethods[0]);

/// The whole backend as drone-backend runs it embedded, on a fresh data dir.
struct BackendUnderFuzz
{
    net::FaultInjector noFaults;
    std::unique_ptr<backend::ServiceHost> host;
    std::vector<std::unique_ptr<fuzz::RawCaller>> callers;

    BackendUnderFuzz()
    {
        const char *base = std::getenv("TMPDIR");
        std::string dir = std::string(base && *base ? base : "/tmp") + "/fuzz-rpc-dispatch-XXXXXX";
        if (!::mkdtemp(dir.data()))
            std::abort();
        backend::registerBuiltInServices();
        backend::ServiceContext context;
        context.dataDir = dir;
        context.fleetSize = 10;
        context.faults = &noFaults;
        host = std::make_unique<backend::ServiceHost>(std::move(context));
        host->start();
        for (const Method &method : kMethods)
            callers.push_back(std::make_unique<fuzz::RawCaller>(host->context().endpoints.endpoint(method.service)));
    }
};

BackendUnderFuzz &backendUnderFuzz()
{
    static auto *instance = new BackendUnderFuzz; // to process exit: its threads must not be joined at exit
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static auto *app = new QCoreApplication(*argc, *argv); // the services' Qt parts (logging) expect one
    (void)app;
    (void)backendUnderFuzz();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    BackendUnderFuzz &backend = backendUnderFuzz();
    const std::size_t index = data[0] % kMethodCount;
    const std::string_view payload(reinterpret_cast<const char *>(data) + 1, size - 1);
    net::Envelope answer;
    std::string body;
    backend.callers[index]->call(kMethods[index].name, payload, answer, body);
    // Never "no such method" for a registered one; a failure always says what failed.
    fuzz::check(answer.status() != UNKNOWN_METHOD, kMethods[index].name);
    fuzz::check(answer.status() == OK || !answer.error().empty(), "a failure without an error message");
    return 0;
}
