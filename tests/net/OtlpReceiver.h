// Test OTLP/HTTP collector: a real QTcpServer on 127.0.0.1:0 that keeps each POST and parses it against the spec's messages.
#pragma once

#include "otlp/trace_service.pb.h"

#include <google/protobuf/util/json_util.h>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace dd::net::test {

namespace otlp = opentelemetry::proto;

struct ReceivedPost
{
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

/// Parses an OTLP JSON body strictly (an unknown or misnamed field fails) into the
/// spec's ExportTraceServiceRequest. The OTLP JSON ids are hex where protobuf's JSON
/// mapping expects base64 for bytes: every hex digit is a base64 digit and 32/16 digits
/// decode without padding, so they parse, and hexId() turns the bytes back into the text.
inline bool parseExport(const QByteArray &body, otlp::collector::trace::v1::ExportTraceServiceRequest &out,
                        QString *error = nullptr)
{
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(body.toStdString(), &out, options);
    if (!status.ok() && error)
        *error = QString::fromStdString(status.ToString());
    return status.ok();
}

/// The id text the exporter wrote, from the bytes parseExport() decoded it to.
inline QByteArray hexId(const std::string &decoded)
{
    return QByteArray::fromStdString(decoded).toBase64();
}

inline QString attribute(const google::protobuf::RepeatedPtrField<otlp::common::v1::KeyValue> &attributes,
                         const std::string &key)
{
    for (const auto &kv : attributes) {
        if (kv.key() != key)
            continue;
        if (kv.value().has_string_value())
            return QString::fromStdString(kv.value().string_value());
        if (kv.value().value_case() == otlp::common::v1::AnyValue::kIntValue)
            return QString::number(kv.value().int_value());
    }
    return {};
}

class OtlpReceiver : public QObject
{
public:
    OtlpReceiver()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    if (take(socket, *buffer))
                        buffer->clear();
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path = QStringLiteral("/v1/traces")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }
    /// The status the next answers carry (200 by default).
    void setStatus(int status) { m_status = status; }

    const QList<ReceivedPost> &posts() const { return m_posts; }
    int spanCount() const
    {
        int n = 0;
        for (const auto &post : m_posts) {
            otlp::collector::trace::v1::ExportTraceServiceRequest request;
            if (parseExport(post.body, request))
                for (const auto &resource : request.resource_spans())
                    for (const auto &scope : resource.scope_spans())
                        n += scope.spans_size();
        }
        return n;
    }

private:
    /// True once a whole request was read and answered.
    bool take(QTcpSocket *socket, const QByteArray &buffer)
    {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        ReceivedPost post;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        post.path = lines.value(0).split(' ').value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                post.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qint64 length = post.headers.value("content-length").toLongLong();
        if (buffer.size() - (end + 4) < length)
            return false; // more to come
        post.body = buffer.mid(end + 4, length);
        if (m_status >= 200 && m_status < 300)
            m_posts.append(post);
        else
            ++m_refused;
        const QByteArray answer = "{}";
        socket->write("HTTP/1.1 " + QByteArray::number(m_status) + " X\r\nContent-Type: application/json\r\n"
                      "Content-Length: " + QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer);
        socket->disconnectFromHost();
        return true;
    }

    QTcpServer m_server;
    QList<ReceivedPost> m_posts;
    int m_status = 200;

public:
    int m_refused = 0; ///< requests answered with a non-2xx status
};

} // namespace dd::net::test
