// Lays a trace's spans out as a waterfall: each span under its parent, offsets from the trace's start.
#pragma once

#include "models/ConsoleRecords.h"

#include "net/telemetry/SpanStore.h"

#include <vector>

namespace dd::console {

class TraceWaterfall
{
public:
    struct Layout
    {
        std::vector<TraceSpanRecord> spans; ///< depth-first: a parent, then its children by start
        double totalMs = 0;                 ///< first start to last end
    };

    /// Spans whose parent is not among them (the caller's side was not recorded in
    /// this process, or was overwritten) are roots at depth 0.
    static Layout build(std::vector<net::Span> spans);
};

} // namespace dd::console
