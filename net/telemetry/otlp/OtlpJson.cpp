// OTLP JSON written by hand: a batch is encoded on the exporter thread without a DOM.
#include "net/telemetry/otlp/OtlpJson.h"

#include "net/rpc/RpcStatus.h"

#include <map>
#include <string_view>

namespace dd::net {

namespace {
constexpr char kHex[] = "0123456789abcdef";

void appendHex(std::string &out, std::uint64_t value)
{
    for (int shift = 60; shift >= 0; shift -= 4)
        out += kHex[(value >> shift) & 0xf];
}

void appendString(std::string &out, std::string_view text)
{
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c; // UTF-8 passes through: Span text is cut on character boundaries
        }
    }
    out += '"';
}

class Attributes
{
public:
    explicit Attributes(std::string &out) : m_out(out) { m_out += "\"attributes\":["; }
    ~Attributes() { m_out += ']'; }

    void text(std::string_view key, std::string_view value)
    {
        open(key);
        m_out += "{\"stringValue\":";
        appendString(m_out, value);
        m_out += "}}";
    }
    void integer(std::string_view key, std::int64_t value)
    {
        open(key);
        m_out += "{\"intValue\":\"" + std::to_string(value) + "\"}}"; // int64: a string in OTLP JSON
    }

private:
    void open(std::string_view key)
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
        m_out += "{\"key\":";
        appendString(m_out, key);
        m_out += ",\"value\":";
    }

    std::string &m_out;
    bool m_first = true;
};

int otlpKind(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Internal: return 1;
    case SpanKind::Server: return 2;
    case SpanKind::Client: return 3;
    case SpanKind::Producer: return 4;
    case SpanKind::Consumer: return 5;
    }
    return 0;
}

void appendAttributes(std::string &out, const Span &span)
{
    Attributes attributes(out);
    const std::string_view name = span.name();
    if (span.httpStatus != 0) {
        // HTTP server spans are named "METHOD /path" (HttpReply).
        const std::size_t space = name.find(' ');
        attributes.text("http.request.method", name.substr(0, space));
        attributes.text("url.path", space == std::string_view::npos ? std::string_view("/") : name.substr(space + 1));
        attributes.text("url.scheme", "http");
        attributes.integer("http.response.status_code", span.httpStatus);
        return;
    }
    // A client names its span "callee.Method", a server just "Method" (it is the callee).
    const std::size_t dot = span.kind == SpanKind::Client ? name.find('.') : std::string_view::npos;
    attributes.text("rpc.system", "zeromq");
    attributes.text("rpc.service", dot == std::string_view::npos ? span.service() : name.substr(0, dot));
    attributes.text("rpc.method", dot == std::string_view::npos ? name : name.substr(dot + 1));
    attributes.integer("dd.rpc.status_code", span.status);
    if (span.attempt > 0)
        attributes.integer("dd.rpc.attempt", span.attempt);
}

void appendStatus(std::string &out, const Span &span)
{
    const bool failed = span.httpStatus != 0 ? span.httpStatus >= 500 : span.status != 0;
    if (!failed) {
        out += "\"status\":{\"code\":1}";
        return;
    }
    out += "\"status\":{\"code\":2,\"message\":";
    if (span.httpStatus != 0)
        appendString(out, "HTTP " + std::to_string(span.httpStatus));
    else
        appendString(out, statusName(dronedelivery::v1::StatusCode(span.status)));
    out += '}';
}

void appendSpan(std::string &out, const Span &span)
{
    out += "{\"traceId\":\"";
    appendHex(out, span.traceIdHi);
    appendHex(out, span.traceIdLo);
    out += "\",\"spanId\":\"";
    appendHex(out, span.spanId);
    out += '"';
    if (span.parentSpanId != 0) {
        out += ",\"parentSpanId\":\"";
        appendHex(out, span.parentSpanId);
        out += '"';
    }
    out += ",\"name\":";
    appendString(out, span.name());
    out += ",\"kind\":" + std::to_string(otlpKind(span.kind));
    const auto nanos = [](Micros us) { return std::to_string(std::uint64_t(us) * 1000); };
    out += ",\"startTimeUnixNano\":\"" + nanos(span.start) + '"';
    out += ",\"endTimeUnixNano\":\"" + nanos(span.start + span.duration) + "\",";
    appendAttributes(out, span);
    out += ',';
    appendStatus(out, span);
    out += '}';
}

void appendResource(std::string &out, std::string_view service, const OtlpResource &resource)
{
    out += "\"resource\":{";
    {
        Attributes attributes(out);
        attributes.text("service.name", service);
        if (!resource.serviceNamespace.empty())
            attributes.text("service.namespace", resource.serviceNamespace);
        if (!resource.instanceId.empty())
            attributes.text("service.instance.id", resource.instanceId);
        if (!resource.serviceVersion.empty())
            attributes.text("service.version", resource.serviceVersion);
        attributes.text("telemetry.sdk.language", "cpp");
    }
    out += '}';
}
} // namespace

std::string otlpTraceJson(const std::vector<Span> &spans, const OtlpResource &resource)
{
    // Spans grouped by the service that recorded them: that is the resource they belong to.
    std::map<std::string_view, std::vector<const Span *>> byService;
    for (const Span &span : spans)
        byService[span.service()].push_back(&span);

    std::string out;
    out.reserve(256 + spans.size() * 480);
    out += "{\"resourceSpans\":[";
    bool firstResource = true;
    for (const auto &[service, members] : byService) {
        if (!firstResource)
            out += ',';
        firstResource = false;
        out += '{';
        appendResource(out, service, resource);
        out += ",\"scopeSpans\":[{\"scope\":{\"name\":";
        appendString(out, resource.scopeName);
        if (!resource.scopeVersion.empty()) {
            out += ",\"version\":";
            appendString(out, resource.scopeVersion);
        }
        out += "},\"spans\":[";
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (i)
                out += ',';
            appendSpan(out, *members[i]);
        }
        out += "]}]}";
    }
    out += "]}";
    return out;
}

} // namespace dd::net
