// The gateway's listening socket: every connection's bytes are checked (HttpEdgeConnection) before QHttpServer reads them.
#pragma once

#include "backend/gateway/HttpEdgeParser.h"
#include "net/resilience/Clock.h"

#include <QByteArray>
#include <QTcpServer>

#include <functional>
#include <vector>

namespace dd::backend {

struct HttpEdgeOptions
{
    HttpEdgeParser::Limits limits;                   ///< request line, header block, body
    net::Micros headerTimeout = 10 * net::kSeconds;  ///< a request's header block, from its first byte (and a new connection's first request): 408
    net::Micros bodyTimeout = 30 * net::kSeconds;    ///< a request's body, from the end of its header block: 408
    net::Micros idleTimeout = 60 * net::kSeconds;    ///< a kept-alive connection with nothing in flight is closed
    net::Micros lingerTimeout = 2 * net::kSeconds;   ///< after a refusal, unread input is discarded this long before closing
    int maxConnections = 4096;                       ///< more at once: 503 and close
};

/// QHttpServer 6.4 has no limit on a request's line or headers, no timeout and lenient
/// framing, and it parses inside itself. But it takes its connections from a QTcpServer
/// it is given (QAbstractHttpServer::bind), so this server creates each socket itself and
/// connects the edge's readyRead slot before QHttpServer connects its own: the edge sees
/// every byte first and refuses (431, 414, 413, 408, 400, 501, 505, 503) or closes before
/// QHttpServer keeps anything. Qt thread only, like QHttpServer.
class HttpEdgeGuard : public QTcpServer
{
    Q_OBJECT

public:
    explicit HttpEdgeGuard(HttpEdgeOptions options, QObject *parent = nullptr);

    const HttpEdgeOptions &options() const { return m_options; }
    /// Asked for every WebSocket upgrade; false: it is refused with 503 (e.g. too many clients).
    void setUpgradeGate(std::function<bool()> gate) { m_upgradeGate = std::move(gate); }
    bool upgradeAllowed() const { return !m_upgradeGate || m_upgradeGate(); }
    /// Connections open now (guarded, not yet handed to the WebSocket server or closed).
    int connections() const { return m_connections; }

    /// Counts one refusal or forced close in /metrics: dd_http_edge_refused_total{service="gateway",reason=...}.
    static void count(const QByteArray &reason);
    /// The reasons the edge counts (HttpEdgeParser's, the timeouts and the two limits), each exported from 0.
    static const std::vector<QByteArray> &reasons();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class HttpEdgeConnection;

    HttpEdgeOptions m_options;
    std::function<bool()> m_upgradeGate;
    int m_connections = 0;
};

} // namespace dd::backend
