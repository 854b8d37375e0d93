// Fuzzes the split-mode endpoint table parser (net/transport/EndpointTable::parseJson, what loadFile reads).
#include "FuzzCheck.h"
#include "net/transport/EndpointTable.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>

using namespace dd::net;

namespace {
bool knownScheme(const std::string &endpoint)
{
    return endpoint.rfind("tcp://", 0) == 0 || endpoint.rfind("inproc://", 0) == 0 || endpoint.rfind("ipc://", 0) == 0;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string error;
    const auto table = EndpointTable::parseJson(std::string_view(reinterpret_cast<const char *>(data), size), &error);
    if (!table) {
        DD_FUZZ_CHECK(!error.empty()); // a refusal always says why
        return 0;
    }
    // What a process does with a loaded table: every service's instances and its bind endpoint.
    for (const std::string &name : table->services()) {
        for (unsigned char c : name)
            DD_FUZZ_CHECK(!std::isupper(c));
        DD_FUZZ_CHECK(table->contains(name));
        const auto instances = table->instances(name);
        DD_FUZZ_CHECK(!instances.empty());
        for (const auto &instance : instances) {
            DD_FUZZ_CHECK(knownScheme(instance.endpoint));
            DD_FUZZ_CHECK(instance.service == name);
        }
        DD_FUZZ_CHECK(table->endpoint(name) == instances.front().endpoint);
    }
    for (const char *service : {"account", "drone", "drone.telemetry", "ingestion", "DELIVERY"})
        (void)table->endpoint(service);
    (void)table->keysDir();
    return 0;
}
