// Fuzzes the CURVE key directory loader (net/security/CurveKeys): NAME.key, NAME.pub and authorized_clients.
#include "FuzzCheck.h"
#include "net/security/CurveKeys.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <zmq.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace dd::net;

namespace {
/// A key the loader accepts must be what libzmq will really use: 40 Z85 characters, 32 bytes.
void checkKey(const std::string &key)
{
    DD_FUZZ_CHECK(key.size() == 40);
    for (char c : key)
        DD_FUZZ_CHECK(c > 32 && c < 127);
    std::uint8_t binary[32];
    DD_FUZZ_CHECK(zmq_z85_decode(binary, key.c_str()) != nullptr);
    char encoded[41];
    DD_FUZZ_CHECK(zmq_z85_encode(encoded, binary, 32) != nullptr);
    DD_FUZZ_CHECK(key == encoded);
}

const std::string &directory()
{
    static const std::string dir = [] {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/fuzz-curve-keys-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            std::abort();
        return pattern;
    }();
    return dir;
}

void write(const std::string &name, const std::string &bytes)
{
    std::ofstream(directory() + "/" + name, std::ios::binary | std::ios::trunc) << bytes;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    FuzzedDataProvider input(data, size);
    // The three files a process reads from the key directory, each from the input.
    write("svc.key", input.ConsumeRandomLengthString(200));
    write("svc.pub", input.ConsumeRandomLengthString(100));
    write("authorized_clients", input.ConsumeRemainingBytesAsString());

    const CurveKeyStore store(directory());
    std::string error;
    if (const auto pair = store.keyPair("svc", &error)) {
        checkKey(pair->publicKey);
        checkKey(pair->secretKey);
    } else {
        DD_FUZZ_CHECK(!error.empty());
    }
    if (const auto key = store.publicKey("svc"))
        checkKey(*key);
    for (const std::string &key : store.authorizedClients())
        checkKey(key);
    return 0;
}
