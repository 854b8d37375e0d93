// MetricsPort: a QHttpServer with the two read-only routes a scraper needs.
#include "MetricsPort.h"

#include "net/telemetry/MetricsRegistry.h"

#include <QHostAddress>
#include <QHttpServerResponse>
#include <QTcpServer>

namespace dd::app {

MetricsPort::MetricsPort()
{
    m_server.route("/metrics", QHttpServerRequest::Method::Get, [](const QHttpServerRequest &) {
        return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8",
                                   QByteArray::fromStdString(net::MetricsRegistry::global().prometheusText()));
    });
    m_server.route("/healthz", QHttpServerRequest::Method::Get, [](const QHttpServerRequest &) {
        return QHttpServerResponse("application/json", QByteArrayLiteral("{\"status\":\"ok\"}"));
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
    auto *tcp = new QTcpServer(&m_server);
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
