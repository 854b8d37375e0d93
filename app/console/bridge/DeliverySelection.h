// The selected delivery's detail on the bridge thread: its history once, its trace whenever the workflow moves.
#pragma once

#include "bridge/TraceWaterfall.h"
#include "models/ConsoleRecords.h"

#include "net/rpc/RpcClient.h"

#include <functional>
#include <memory>
#include <string>

namespace dd::console {

/// Bridge thread only. The trace is read from the process's span store: embedded,
/// every hop of the workflow is there; attached to a remote backend, only the
/// console's own calls are.
class DeliverySelection
{
public:
    struct Outputs
    {
        std::function<void(QString deliveryId, std::vector<TimelineEntry>)> timeline;
        std::function<void(QString deliveryId, QString traceId, TraceWaterfall::Layout)> trace;
        std::function<void(bool ok, QString message)> loaded; ///< after the history came back
    };

    DeliverySelection(net::RpcClient &history, net::RpcClient &delivery, net::CallOptions readOptions,
                      Outputs outputs);
    ~DeliverySelection();

    /// An empty id clears the selection. `traceIdHint` (32 hex) saves a Delivery.Get.
    void select(const QString &deliveryId, const QString &traceIdHint);
    /// A status event of this delivery: its trace has probably grown.
    void onEvent(const std::string &deliveryId);
    /// Periodic: republishes the trace if spans were added since.
    void tick();

private:
    void publishTrace(bool onlyIfChanged);
    bool hasTrace() const { return (m_trace.first | m_trace.second) != 0; }

    net::RpcClient &m_history;
    net::RpcClient &m_delivery;
    net::CallOptions m_readOptions;
    Outputs m_out;
    std::string m_selected;
    std::pair<std::uint64_t, std::uint64_t> m_trace{0, 0};
    std::size_t m_spansShown = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::console
