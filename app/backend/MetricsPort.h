// /metrics on a port of its own, so a split-mode process without the HTTP gateway can be scraped.
#pragma once

#include <QHttpServer>

#include <memory>
#include <string>

class QTcpServer;

namespace dd::app {

/// Lives on the Qt main thread. Serves GET /metrics (the process's MetricsRegistry) and
/// GET /healthz, nothing else; no tokens: it binds where --bind says, so keep it on
/// loopback or a scrape network.
class MetricsPort
{
public:
    MetricsPort();
    ~MetricsPort();

    /// Port 0: any free port. False with a message in `error`.
    bool start(const std::string &address, int port, std::string *error);
    int port() const { return m_port; }

private:
    QHttpServer m_server;
    int m_port = -1;
};

} // namespace dd::app
