// Shared fixture of the gateway tests: a real HttpGateway on 127.0.0.1:0 with a real Ingestion.
#pragma once

#include "../net/RpcTestSupport.h"
#include "FakeScheduler.h"
#include "backend/gateway/HttpGateway.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <functional>

namespace dd::backend::test {

using namespace dronedelivery::v1;


struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// One request over real HTTP, waited for on its finished signal (20 s at most, then the
/// test aborts: a hang must not pass). A body without a Content-Type header is sent as JSON.
/// Shared by Fixture and the end-to-end tests that run their own gateway (BackendUnderTest).
inline Response sendHttp(QNetworkAccessManager &network, const QUrl &url, const QByteArray &verb,
                         const QByteArray &body = {}, const Headers &headers = {})
{
    QNetworkRequest request(url);
    bool contentTypeSet = false;
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
        contentTypeSet |= name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !contentTypeSet)
        request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = network.sendCustomRequest(request, verb, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(20000))
        qFatal("no HTTP answer within 20 s for %s %s", verb.constData(), qPrintable(url.toString()));
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    response.json = QJsonDocument::fromJson(response.body).object();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        response.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return response;
}

/// The gateway's URL for `path` on 127.0.0.1:`port`.
inline QUrl gatewayUrl(quint16 port, const QString &path)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path));
}

inline QByteArray validBody()
{
    return QJsonDocument(QJsonObject{
                             {"ownerId", "owner-7"},
                             {"pickupLocation", "47.60,-122.33"},
                             {"dropOffLocation", "47.62,-122.30"},
                             {"pickupTime", "2026-03-20T12:00:00Z"},
                             {"deadline", "LinkedIn"},
                             {"expedited", true},
                             {"confirmationRequired", "fingerprint"},
                             {"packageInfo",
                              QJsonObject{{"packageId", "pkg-9"}, {"size", "LARGE"}, {"weight", 4.5}, {"tag", "fragile"}}},
                         })
        .toJson(QJsonDocument::Compact);
}

/// A gateway on 127.0.0.1:0 with a real Ingestion (and, unless told otherwise, the fake Scheduler).
struct Fixture
{
    QTemporaryDir dir;
    net::FaultInjector faults; // not the process-wide one: fault tests must not touch the other servers
    ServiceContext context;
    std::unique_ptr<FakeScheduler> scheduler;
    std::unique_ptr<IngestionService> ingestion;
    std::unique_ptr<HttpGateway> gateway;
    quint16 port = 0;
    QNetworkAccessManager network;

    explicit Fixture(bool withScheduler = true, std::uint64_t maxBacklog = 1000, const QByteArray &tokens = {},
                     const std::function<void(GatewayOptions &)> &tune = {})
    {
        context.dataDir = dir.path().toStdString();
        context.faults = &faults;
        const std::string schedulerEndpoint = net::test::uniqueEndpoint("scheduler");
        context.endpoints.add({"scheduler", schedulerEndpoint, "v1"});
        for (const char *name : {"delivery", "deliveryhistory", "supervisor", "drone", "delivery.events",
                                 "drone.telemetry", "supervisor.events"})
            context.endpoints.add({name, net::test::uniqueEndpoint(name), "v1"});
        if (withScheduler)
            scheduler = std::make_unique<FakeScheduler>(schedulerEndpoint);
        IngestionOptions options;
        options.maxBacklog = maxBacklog;
        options.stream.deadline = 300 * net::kMillis;
        ingestion = std::make_unique<IngestionService>(context, options);
        ingestion->start();
        GatewayOptions gatewayOptions;
        gatewayOptions.callDeadline = 300 * net::kMillis; // absent services answer 503 quickly
        gatewayOptions.telemetryInterval = 100 * net::kMillis;
        if (tune)
            tune(gatewayOptions);
        gateway = std::make_unique<HttpGateway>(context, ingestion.get(), gatewayOptions);
        if (!tokens.isEmpty()) {
            QString error;
            if (!gateway->access().parse(tokens, &error))
                qFatal("bad test tokens: %s", qPrintable(error));
        }
        QString error;
        port = gateway->listen(QHostAddress::LocalHost, 0, &error);
        if (!port)
            qFatal("gateway did not listen: %s", qPrintable(error));
    }
    ~Fixture()
    {
        gateway.reset();
        ingestion->stop();
    }

    QUrl url(const QString &path) const { return gatewayUrl(port, path); }

    Response send(const QByteArray &verb, const QString &path, const QByteArray &body = {}, const Headers &headers = {})
    {
        return sendHttp(network, url(path), verb, body, headers);
    }

    Response post(const QString &path, const QByteArray &body, const Headers &headers = {})
    {
        return send("POST", path, body, headers);
    }
};

inline Headers bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}


} // namespace dd::backend::test
