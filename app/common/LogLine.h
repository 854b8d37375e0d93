// One log record as a line of text: the JSON form (--log-format json) is pure logic, tested on its own.
#pragma once

#include "net/telemetry/TraceContext.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <string_view>

namespace dd::app {

struct LogRecord
{
    QtMsgType type = QtInfoMsg;
    const char *category = nullptr;           ///< the QLoggingCategory name; null: "default"
    QString message;
    qint64 msecsSinceEpoch = 0;
    std::string_view service;                 ///< the service thread's name; empty: "process"
    const net::TraceContext *trace = nullptr; ///< the traced call being handled, if any
};

/// "debug", "info", "warning", "error" (qCritical) or "fatal".
const char *logLevelName(QtMsgType type);

/// {"time":"2026-12-02T03:56:47.123Z","level":..,"category":..,"message":..,"service":..
///  [,"trace_id":..,"span_id":..]} and a '\n': one object per line, any text escaped.
QByteArray jsonLogLine(const LogRecord &record);

/// `text` as the body of a JSON string: quotes, backslashes and control characters escaped.
void appendJsonEscaped(QByteArray &out, QByteArrayView utf8);

} // namespace dd::app
