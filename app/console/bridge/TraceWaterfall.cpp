// TraceWaterfall: parent/child by span id, depth-first order, millisecond offsets.
#include "bridge/TraceWaterfall.h"

#include "net/rpc/RpcStatus.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace dd::console {

TraceWaterfall::Layout TraceWaterfall::build(std::vector<net::Span> spans)
{
    Layout layout;
    if (spans.empty())
        return layout;
    std::sort(spans.begin(), spans.end(), [](const net::Span &a, const net::Span &b) {
        return a.start != b.start ? a.start < b.start : a.spanId < b.spanId;
    });
    net::Micros first = spans.front().start;
    net::Micros last = first;
    std::unordered_map<std::uint64_t, std::size_t> byId;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        byId.emplace(spans[i].spanId, i);
        last = std::max(last, spans[i].start + spans[i].duration);
    }
    std::unordered_map<std::size_t, std::vector<std::size_t>> children; // in start order
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto parent = byId.find(spans[i].parentSpanId);
        if (spans[i].parentSpanId != 0 && parent != byId.end() && parent->second != i)
            children[parent->second].push_back(i);
        else
            roots.push_back(i);
    }

    std::vector<bool> placed(spans.size(), false);
    std::function<void(std::size_t, int)> place = [&](std::size_t i, int depth) {
        if (placed[i])
            return; // a corrupt parent chain must not loop
        placed[i] = true;
        const net::Span &s = spans[i];
        TraceSpanRecord record;
        record.name = QString::fromUtf8(s.name().data(), qsizetype(s.name().size()));
        record.service = QString::fromUtf8(s.service().data(), qsizetype(s.service().size()));
        record.kind = QString::fromLatin1(net::toString(s.kind));
        record.startOffsetMs = double(s.start - first) / 1000.0;
        record.durationMs = double(s.duration) / 1000.0;
        record.depth = depth;
        record.status = QString::fromLatin1(net::statusName(dronedelivery::v1::StatusCode(s.status)));
        record.attempt = int(s.attempt);
        layout.spans.push_back(std::move(record));
        if (const auto it = children.find(i); it != children.end())
            for (std::size_t child : it->second)
                place(child, depth + 1);
    };
    for (std::size_t root : roots)
        place(root, 0);
    for (std::size_t i = 0; i < spans.size(); ++i)
        place(i, 0); // anything only reachable through a cycle
    layout.totalMs = double(last - first) / 1000.0;
    return layout;
}

} // namespace dd::console
