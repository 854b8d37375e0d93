// A blocking HTTP/1.1 POST over QTcpSocket, for the exporter's own thread (no event loop there).
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dd::net {

struct HttpEndpoint
{
    QString host;
    quint16 port = 80;
    QByteArray path = "/v1/traces";

    /// http://HOST[:PORT][/PATH]; no path means /v1/traces (the OTLP/HTTP default).
    /// https and other schemes are refused with a message in `error`.
    static std::optional<HttpEndpoint> parse(const QString &url, QString *error = nullptr);
    QString toString() const;
};

struct HttpPostResult
{
    int status = 0;  ///< 0: no HTTP answer (connect, write or read failed or timed out)
    QString error;   ///< why, when status is 0 or not 2xx
    bool ok() const { return status >= 200 && status < 300; }
    /// OTLP/HTTP says to retry 429, 502, 503, 504 and transport failures; not other answers.
    bool retryable() const { return status == 0 || status == 429 || status == 502 || status == 503 || status == 504; }
};

/// One request on a fresh connection (Connection: close), everything within `timeoutMs`.
HttpPostResult httpPost(const HttpEndpoint &endpoint, const QByteArray &contentType, const QByteArray &body,
                        int timeoutMs);

} // namespace dd::net
