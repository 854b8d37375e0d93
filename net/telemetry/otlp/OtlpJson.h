// Spans as an OTLP ExportTraceServiceRequest in the OpenTelemetry protobuf-JSON encoding (OTLP/HTTP JSON).
#pragma once

#include "net/telemetry/SpanStore.h"

#include <string>
#include <vector>

namespace dd::net {

/// What describes every span of a process but is not in each Span: added at export time.
struct OtlpResource
{
    std::string serviceNamespace = "dronedelivery";
    std::string instanceId;    ///< service.instance.id, unique per process
    std::string serviceVersion; ///< service.version
    std::string scopeName = "dronedelivery.net";
    std::string scopeVersion;  ///< InstrumentationScope.version
};

/// One ResourceSpans per recording service (service.name = Span::service()), one scope
/// each. Follows the OTLP JSON rules: lowerCamelCase names, trace and span ids as
/// lower-case hex, enums as integers, 64-bit integers as decimal strings.
/// Attributes: rpc.system/rpc.service/rpc.method (+ dd.rpc.attempt, dd.rpc.status_code)
/// on mesh spans; http.request.method/url.path/url.scheme/http.response.status_code on
/// HTTP server spans. Status OK, or ERROR with the mesh status name (HTTP: 5xx).
std::string otlpTraceJson(const std::vector<Span> &spans, const OtlpResource &resource);

} // namespace dd::net
