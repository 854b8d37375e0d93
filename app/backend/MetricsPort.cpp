// MetricsPort: a QHttpServer with the two read-only routes a scraper needs.
#include "MetricsPort.h"

#include "backend/gateway/HttpEdgeGuard.h"
#include "backend/gateway/HttpReply.h"
#include "net/telemetry/MetricsRegistry.h"

#include <QHostAddress>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd::app {

MetricsPort::MetricsPort()
{
    // Answered through HttpReply, like the gateway: the edge guard counts answers there.
    m_server.route("/metrics", QHttpServerRequest::Method::Get, [](QHttpServerResponder &&responder) {
        backend::HttpReply(std::move(responder))
            .text(200, QByteArray::fromStdString(net::MetricsRegistry::global().prometheusText()),
                  "text/plain; version=0.0.4; charset=utf-8");
    });
    m_server.route("/healthz", QHttpServerRequest::Method::Get, [](QHttpServerResponder &&responder) {
        backend::HttpReply(std::move(responder)).json(200, QJsonDocument(QJsonObject{{"status", "ok"}}));
    });
}

MetricsPort::~MetricsPort() = default;

bool MetricsPort::start(const std::string &address, int port, std::string *error)
{
    const QString text = QString::fromStdString(address);
    const QHostAddress host = text == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(text);
    if (host.isNull()) {
        *error = "--metrics-port: not an IP address: " + address;
        return false;
    }
    // The gateway's edge (limits, timeouts, strict framing): this port is as exposed as the API's.
    auto *tcp = new backend::HttpEdgeGuard(backend::HttpEdgeOptions{}, &m_server);
    if (!tcp->listen(host, quint16(port))) {
        *error = "--metrics-port: cannot listen on " + address + ":" + std::to_string(port) + ": "
            + tcp->errorString().toStdString();
        delete tcp;
        return false;
    }
    m_server.bind(tcp);
    m_port = tcp->serverPort();
    return true;
}

} // namespace dd::app
