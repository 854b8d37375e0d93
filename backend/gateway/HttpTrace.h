// W3C Trace Context at the HTTP edge: every request gets a server span that continues the caller's traceparent.
#pragma once

#include "net/resilience/Clock.h"
#include "net/telemetry/TraceContext.h"

#include <QByteArray>
#include <QHttpServer>
#include <QHttpServerRequest>

namespace dd::backend {

/// The server span of one HTTP request.
struct HttpServerSpan
{
    net::TraceContext trace;        ///< this span; its trace id is the caller's when it sent a valid traceparent
    std::uint64_t parentSpanId = 0; ///< the caller's span id; 0 when this request starts a new trace
    net::Micros start = 0;
    QByteArray name;                ///< "METHOD /path"

    /// From the request's traceparent: strictly version 00 (TraceContext::parse); a missing,
    /// repeated or invalid one starts a new trace, as W3C Trace Context says. tracestate is
    /// accepted and not carried (the mesh envelope has no field for it).
    static HttpServerSpan begin(const QHttpServerRequest &request);
    /// A new trace, for a reply made outside a request's dispatch.
    static HttpServerSpan newTrace();
};

/// QHttpServer 6.4 is final and has no hook before its routes, but it tries its router's
/// rules in order: install() adds a first rule that never matches and only notes the
/// request's span for this thread. The HttpReply each handler builds synchronously from
/// its responder then takes() it, so every route (and the missing-route handler) answers
/// with the request's traceparent and records its span, and no route needs changing.
class HttpTrace
{
public:
    /// Call before installing any route on `server`.
    static void install(QHttpServer &server);
    /// The span of the request being dispatched on this thread, once; newTrace() if none.
    static HttpServerSpan take();
};

} // namespace dd::backend
