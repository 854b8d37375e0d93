// Where finished spans go: the in-memory SpanStore, the OTLP exporter, or several of them through SpanFanout.
#pragma once

namespace dd::net {

struct Span;

/// Takes finished spans from every recording thread at once. record() runs on the hot
/// path of every RPC (and HTTP request): an implementation must not block for long and
/// should not allocate per span (copy the trivially copyable Span into storage of its own).
class SpanSink
{
public:
    virtual ~SpanSink() = default;
    virtual void record(const Span &span) = 0;
};

} // namespace dd::net
