// LogLine: JSON written by hand, because a log line must not allocate a QJsonDocument per message.
#include "LogLine.h"

#include <QDateTime>

namespace dd::app {

const char *logLevelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void appendJsonEscaped(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch; // UTF-8 passes through: JSON text is UTF-8
            }
        }
    }
}

namespace {
void appendField(QByteArray &out, const char *name, QByteArrayView value)
{
    out += ",\"";
    out += name;
    out += "\":\"";
    appendJsonEscaped(out, value);
    out += '"';
}
} // namespace

QByteArray jsonLogLine(const LogRecord &record)
{
    QByteArray line;
    line.reserve(160 + record.message.size());
    line += "{\"time\":\"";
    line += QDateTime::fromMSecsSinceEpoch(record.msecsSinceEpoch, Qt::UTC)
                .toString(Qt::ISODateWithMs)
                .toLatin1(); // "2026-12-02T03:56:47.123Z"
    line += '"';
    appendField(line, "level", logLevelName(record.type));
    appendField(line, "category", record.category ? record.category : "default");
    appendField(line, "message", record.message.toUtf8());
    appendField(line, "service",
                record.service.empty() ? QByteArrayView("process")
                                       : QByteArrayView(record.service.data(), qsizetype(record.service.size())));
    if (record.trace && record.trace->valid()) {
        appendField(line, "trace_id", QByteArray::fromStdString(record.trace->traceIdHex()));
        appendField(line, "span_id", QByteArray::number(qulonglong(record.trace->spanId), 16).rightJustified(16, '0'));
    }
    line += "}\n";
    return line;
}

} // namespace dd::app
