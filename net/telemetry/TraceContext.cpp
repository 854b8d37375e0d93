// traceparent formatting and strict parsing.
#include "net/telemetry/TraceContext.h"

namespace dd::net {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";

void writeHex(char *out, std::uint64_t value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = kHexDigits[value & 0xf];
        value >>= 4;
    }
}

int hexValue(char c, bool allowUpper)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (allowUpper && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Exactly text.size() hex digits (at most 16) into value.
bool readHex(std::string_view text, bool allowUpper, std::uint64_t &value)
{
    value = 0;
    for (char c : text) {
        const int digit = hexValue(c, allowUpper);
        if (digit < 0)
            return false;
        value = (value << 4) | std::uint64_t(digit);
    }
    return true;
}

// Never zero: W3C makes an all-zero id invalid, and a child must not look like a root.
std::uint64_t nonZero(Random &random)
{
    std::uint64_t v = 0;
    while (v == 0)
        v = random.next();
    return v;
}
} // namespace

TraceContext TraceContext::newRoot(Random &random)
{
    TraceContext context;
    context.traceIdHi = random.next();
    context.traceIdLo = nonZero(random);
    context.spanId = nonZero(random);
    context.flags = kSampled;
    return context;
}

TraceContext TraceContext::child(Random &random) const
{
    TraceContext context = *this;
    do
        context.spanId = nonZero(random);
    while (context.spanId == spanId);
    return context;
}

void TraceContext::writeTraceparent(char *out) const
{
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    writeHex(out + 3, traceIdHi, 16);
    writeHex(out + 19, traceIdLo, 16);
    out[35] = '-';
    writeHex(out + 36, spanId, 16);
    out[52] = '-';
    writeHex(out + 53, flags, 2);
}

std::string TraceContext::traceparent() const
{
    std::string text(kTraceparentSize, '\0');
    writeTraceparent(text.data());
    return text;
}

std::optional<TraceContext> TraceContext::parse(std::string_view text)
{
    // Version 00 fixes the length: trailing data is only allowed for future versions,
    // which we do not speak, so anything else is rejected rather than guessed at.
    if (text.size() != kTraceparentSize || text[2] != '-' || text[35] != '-' || text[52] != '-')
        return std::nullopt;
    std::uint64_t version = 0, flags = 0;
    TraceContext context;
    if (!readHex(text.substr(0, 2), false, version) || version != 0
        || !readHex(text.substr(3, 16), false, context.traceIdHi)
        || !readHex(text.substr(19, 16), false, context.traceIdLo)
        || !readHex(text.substr(36, 16), false, context.spanId)
        || !readHex(text.substr(53, 2), false, flags))
        return std::nullopt;
    context.flags = std::uint8_t(flags);
    if (!context.valid())
        return std::nullopt;
    return context;
}

std::string TraceContext::traceIdHex() const
{
    std::string text(32, '\0');
    writeHex(text.data(), traceIdHi, 16);
    writeHex(text.data() + 16, traceIdLo, 16);
    return text;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> TraceContext::parseTraceId(std::string_view hex32)
{
    std::uint64_t hi = 0, lo = 0;
    if (hex32.size() != 32 || !readHex(hex32.substr(0, 16), true, hi)
        || !readHex(hex32.substr(16, 16), true, lo) || (hi | lo) == 0)
        return std::nullopt;
    return std::make_pair(hi, lo);
}

} // namespace dd::net
