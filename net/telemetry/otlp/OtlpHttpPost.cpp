// httpPost: connect, write, read the status line and the body the server sends before it closes.
#include "net/telemetry/otlp/OtlpHttpPost.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QUrl>

namespace dd::net {

std::optional<HttpEndpoint> HttpEndpoint::parse(const QString &text, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<HttpEndpoint> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("not a URL: \"%1\" (e.g. http://127.0.0.1:4318/v1/traces)").arg(text));
    if (url.scheme() != QLatin1String("http"))
        return fail(QStringLiteral("only http:// OTLP endpoints are supported, not \"%1\"").arg(text));
    HttpEndpoint endpoint;
    endpoint.host = url.host();
    endpoint.port = quint16(url.port(80));
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    if (!path.isEmpty() && path != "/")
        endpoint.path = path;
    if (url.hasQuery())
        endpoint.path += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    return endpoint;
}

QString HttpEndpoint::toString() const
{
    return QStringLiteral("http://%1:%2%3").arg(host).arg(port).arg(QString::fromUtf8(path));
}

HttpPostResult httpPost(const HttpEndpoint &endpoint, const QByteArray &contentType, const QByteArray &body,
                        int timeoutMs)
{
    HttpPostResult result;
    const QDeadlineTimer deadline(timeoutMs);
    const auto left = [&deadline] { return int(std::max<qint64>(1, deadline.remainingTime())); };
    QTcpSocket socket;
    socket.connectToHost(endpoint.host, endpoint.port);
    if (!socket.waitForConnected(left())) {
        result.error = QStringLiteral("cannot connect to %1: %2").arg(endpoint.toString(), socket.errorString());
        return result;
    }
    QByteArray request = "POST " + endpoint.path + " HTTP/1.1\r\nHost: " + endpoint.host.toUtf8() + ':'
        + QByteArray::number(endpoint.port) + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    request += body;
    socket.write(request);
    while (socket.bytesToWrite() > 0) {
        if (deadline.hasExpired() || !socket.waitForBytesWritten(left())) {
            result.error = QStringLiteral("cannot send to %1: %2").arg(endpoint.toString(), socket.errorString());
            return result;
        }
    }
    // The answer: we asked for Connection: close, so it ends when the headers say
    // (Content-Length) or when the server closes.
    QByteArray answer;
    qsizetype headerEnd = -1;
    qint64 contentLength = -1;
    while (true) {
        answer += socket.readAll();
        if (headerEnd < 0 && (headerEnd = answer.indexOf("\r\n\r\n")) >= 0) {
            const QList<QByteArray> lines = answer.left(headerEnd).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            bool ok = false;
            result.status = statusLine.size() >= 2 && statusLine[0].startsWith("HTTP/") ? statusLine[1].toInt(&ok) : 0;
            if (!ok)
                result.status = 0;
            for (const QByteArray &line : lines) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                    contentLength = line.mid(colon + 1).trimmed().toLongLong();
            }
        }
        if (headerEnd >= 0 && contentLength >= 0 && answer.size() - (headerEnd + 4) >= contentLength)
            break;
        if (socket.state() != QAbstractSocket::ConnectedState || deadline.hasExpired() || !socket.waitForReadyRead(left())) {
            answer += socket.readAll();
            break;
        }
    }
    if (headerEnd < 0) {
        result.status = 0;
        result.error = QStringLiteral("no HTTP answer from %1: %2").arg(endpoint.toString(), socket.errorString());
    } else if (!result.ok()) {
        result.error = QStringLiteral("%1 answered %2: %3")
                           .arg(endpoint.toString())
                           .arg(result.status)
                           .arg(QString::fromUtf8(answer.mid(headerEnd + 4, 200)));
    }
    socket.abort();
    return result;
}

} // namespace dd::net
