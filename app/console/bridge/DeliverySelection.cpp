// DeliverySelection: DeliveryHistory.History for the timeline, the span store for the waterfall.
#include "bridge/DeliverySelection.h"

#include "bridge/ProtoRecords.h"
#include "net/telemetry/SpanStore.h"
#include "net/telemetry/TraceContext.h"

namespace dd::console {

using namespace dronedelivery::v1;
using net::RpcResult;

DeliverySelection::DeliverySelection(net::RpcClient &history, net::RpcClient &delivery, net::CallOptions readOptions,
                                     Outputs outputs)
    : m_history(history), m_delivery(delivery), m_readOptions(std::move(readOptions)), m_out(std::move(outputs))
{
}

DeliverySelection::~DeliverySelection()
{
    *m_alive = false;
}

void DeliverySelection::select(const QString &deliveryId, const QString &traceIdHint)
{
    m_selected = deliveryId.toStdString();
    m_trace = {0, 0};
    m_spansShown = 0;
    if (m_selected.empty()) {
        m_out.timeline({}, {});
        m_out.trace({}, {}, {});
        return;
    }
    if (const auto parsed = net::TraceContext::parseTraceId(traceIdHint.toStdString()))
        m_trace = *parsed;
    HistoryRequest request;
    request.set_delivery_id(m_selected);
    m_history.call<HistoryReply>("History", request, m_readOptions,
                                 [this, alive = m_alive, deliveryId](RpcResult<HistoryReply> &&history) {
                                     if (!*alive || deliveryId.toStdString() != m_selected)
                                         return; // another selection since
                                     std::vector<TimelineEntry> entries;
                                     for (const DeliveryEvent &event : history.value.events())
                                         entries.push_back(ProtoRecords::timelineEntry(event));
                                     m_out.timeline(deliveryId, std::move(entries));
                                     m_out.loaded(history.ok(), history.ok()
                                                                    ? QString()
                                                                    : QString::fromStdString(history.status.toString()));
                                 });
    if (hasTrace())
        return publishTrace(false);
    // No trace id at hand: the delivery record has it.
    DeliveryIdRequest get;
    get.set_delivery_id(m_selected);
    m_delivery.call<Delivery>("Get", get, m_readOptions, [this, alive = m_alive, deliveryId](RpcResult<Delivery> &&r) {
        if (!*alive || deliveryId.toStdString() != m_selected)
            return;
        if (r.ok())
            if (const auto parsed = net::TraceContext::parseTraceId(r.value.trace_id()))
                m_trace = *parsed;
        publishTrace(false);
    });
}

void DeliverySelection::onEvent(const std::string &deliveryId)
{
    if (deliveryId == m_selected)
        m_spansShown = 0; // re-read at the next tick even if the count happens to match
}

void DeliverySelection::tick()
{
    if (!m_selected.empty())
        publishTrace(true);
}

void DeliverySelection::publishTrace(bool onlyIfChanged)
{
    const QString deliveryId = QString::fromStdString(m_selected);
    if (!hasTrace()) {
        if (!onlyIfChanged)
            m_out.trace(deliveryId, {}, {});
        return;
    }
    std::vector<net::Span> spans = net::SpanStore::global().trace(m_trace.first, m_trace.second);
    if (onlyIfChanged && spans.size() == m_spansShown)
        return;
    m_spansShown = spans.size();
    net::TraceContext context;
    context.traceIdHi = m_trace.first;
    context.traceIdLo = m_trace.second;
    m_out.trace(deliveryId, QString::fromStdString(context.traceIdHex()), TraceWaterfall::build(std::move(spans)));
}

} // namespace dd::console
