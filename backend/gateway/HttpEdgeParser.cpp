// HttpEdgeParser: request line, header block and body framing, byte by byte, refusing what is ambiguous.
#include "backend/gateway/HttpEdgeParser.h"

namespace dd::backend {

using Rejection = HttpEdgeParser::Rejection;

namespace {

Rejection refuse(int status, const char *code, const QString &message, const char *reason)
{
    return Rejection{status, QByteArray(code), message, QByteArray(reason)};
}

Rejection badFraming(const QString &message)
{
    return refuse(400, "BAD_REQUEST", message, "bad_framing");
}

/// RFC 9110 tchar: what a method or a header name may be made of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

/// A header value may hold visible characters, spaces and tabs (and obs-text), never NUL, CR or other controls.
bool isFieldValue(QByteArrayView text)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

/// QHttpServer 6.4 skips these before a request line, so the edge does too.
bool isLeadingWhitespace(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool hasToken(const QByteArray &commaList, QByteArrayView token)
{
    for (const QByteArray &item : commaList.split(','))
        if (item.trimmed() == token)
            return true;
    return false;
}

} // namespace

HttpEdgeParser::Events HttpEdgeParser::feed(QByteArrayView bytes)
{
    Events events;
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    auto reject = [&](Rejection why) {
        m_phase = Phase::Rejected;
        m_line.clear();
        events.rejection = std::move(why);
    };
    while (i < n) {
        switch (m_phase) {
        case Phase::Upgraded:
        case Phase::Closed:
        case Phase::Rejected: return events;
        case Phase::BetweenRequests:
            if (isLeadingWhitespace(bytes[i])) {
                // QHttpServer keeps these in its read transaction: a client must not send them forever.
                if (++m_leadingBytes > 1024) {
                    reject(badFraming(QStringLiteral("more than 1024 blank bytes before a request line")));
                    return events;
                }
                ++i;
                continue;
            }
            startRequest();
            continue;
        case Phase::RequestLine: {
            // A whole segment up to the line's end at once: the limit is checked before it is kept.
            const qsizetype end = bytes.sliced(i).indexOf('\n');
            const qsizetype take = end < 0 ? n - i : end;
            if (m_line.size() + take > m_limits.maxRequestLineBytes) {
                reject(refuse(414, "URI_TOO_LONG",
                              QStringLiteral("the request line is longer than %1 bytes").arg(m_limits.maxRequestLineBytes),
                              "url_too_long"));
                return events;
            }
            m_line.append(bytes.sliced(i, take));
            i += take;
            if (end < 0)
                continue;
            ++i; // the LF
            if (auto why = takeRequestLine()) {
                reject(std::move(*why));
                return events;
            }
            continue;
        }
        case Phase::Headers: {
            const qsizetype end = bytes.sliced(i).indexOf('\n');
            const qsizetype take = end < 0 ? n - i : end + 1;
            m_headerBytes += take;
            if (m_headerBytes > m_limits.maxHeaderBytes) {
                reject(refuse(431, "HEADER_TOO_LARGE",
                              QStringLiteral("the header block is larger than %1 bytes").arg(m_limits.maxHeaderBytes),
                              "header_too_large"));
                return events;
            }
            m_line.append(bytes.sliced(i, end < 0 ? take : take - 1));
            i += take;
            if (end < 0)
                continue;
            if (auto why = takeHeaderLine(events)) {
                reject(std::move(*why));
                return events;
            }
            continue;
        }
        case Phase::Body:
            switch (m_bodyState) {
            case BodyState::Length:
            case BodyState::ChunkData: {
                const qint64 take = qMin<qint64>(m_bodyLeft, n - i);
                i += take;
                m_bodyLeft -= take;
                if (m_bodyLeft == 0) {
                    if (m_bodyState == BodyState::Length)
                        endRequest(events);
                    else
                        m_bodyState = BodyState::ChunkDataEnd;
                }
                continue;
            }
            case BodyState::ChunkSize: {
                const char c = bytes[i++];
                if (++m_chunkFramingBytes > 16 * 1024) {
                    reject(badFraming(QStringLiteral("more than 16 KiB of chunk framing: send fewer, larger chunks")));
                    return events;
                }
                if (c != '\n') {
                    if (m_line.size() >= 32) {
                        reject(badFraming(QStringLiteral("a chunk size line is longer than 32 bytes (chunk extensions are not accepted)")));
                        return events;
                    }
                    m_line.append(c);
                    continue;
                }
                if (auto why = takeChunkSizeLine()) {
                    reject(std::move(*why));
                    return events;
                }
                continue;
            }
            case BodyState::ChunkDataEnd:
            case BodyState::LastChunkEnd: {
                // Exactly CRLF: after chunk data, and after the last chunk (no trailers).
                const char c = bytes[i++];
                ++m_chunkFramingBytes;
                m_line.append(c);
                if (m_line.size() == 1 && c == '\r')
                    continue;
                if (m_line != "\r\n") {
                    reject(badFraming(m_bodyState == BodyState::LastChunkEnd
                                          ? QStringLiteral("trailers after the last chunk are not accepted")
                                          : QStringLiteral("chunk data must end with CRLF")));
                    return events;
                }
                m_line.clear();
                if (m_bodyState == BodyState::LastChunkEnd) {
                    endRequest(events);
                } else {
                    m_bodyState = BodyState::ChunkSize;
                }
                continue;
            }
            }
        }
    }
    return events;
}

qint64 HttpEdgeParser::opaqueBytesAhead() const
{
    if (m_phase != Phase::Body || (m_bodyState != BodyState::Length && m_bodyState != BodyState::ChunkData))
        return 0;
    return m_bodyLeft;
}

HttpEdgeParser::Events HttpEdgeParser::skipOpaque(qint64 count)
{
    Events events;
    Q_ASSERT(count <= opaqueBytesAhead());
    m_bodyLeft -= count;
    if (m_bodyLeft == 0) {
        if (m_bodyState == BodyState::Length)
            endRequest(events);
        else
            m_bodyState = BodyState::ChunkDataEnd;
    }
    return events;
}

void HttpEdgeParser::startRequest()
{
    m_phase = Phase::RequestLine;
    ++m_requestsStarted;
    m_line.clear();
    m_headerBytes = 0;
    m_leadingBytes = 0;
    m_chunkFramingBytes = 0;
    m_headerCount = 0;
    m_http10 = false;
    m_headMethod = false;
    m_closeAfter = false;
    m_contentLengths = 0;
    m_contentLength.clear();
    m_transferEncodings = 0;
    m_transferEncoding.clear();
    m_hosts = 0;
    m_upgrades = 0;
    m_upgrade.clear();
    m_connection.clear();
    m_bodyLeft = 0;
    m_chunkedBytes = 0;
}

void HttpEdgeParser::endRequest(Events &events)
{
    m_phase = m_closeAfter ? Phase::Closed : Phase::BetweenRequests;
    m_line.clear();
    m_leadingBytes = 0;
    ++events.requestsCompleted;
}

std::optional<Rejection> HttpEdgeParser::takeRequestLine()
{
    QByteArray line = std::move(m_line);
    m_line.clear();
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.contains('\r'))
        return badFraming(QStringLiteral("a bare CR in the request line"));
    // method SP request-target SP HTTP-version, single spaces
    const qsizetype first = line.indexOf(' ');
    const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (first <= 0 || second < 0 || line.indexOf(' ', second + 1) >= 0)
        return badFraming(QStringLiteral("the request line must be \"METHOD TARGET HTTP/1.1\""));
    const QByteArrayView method = QByteArrayView(line).first(first);
    const QByteArrayView target = QByteArrayView(line).sliced(first + 1, second - first - 1);
    const QByteArrayView version = QByteArrayView(line).sliced(second + 1);
    if (!isToken(method))
        return badFraming(QStringLiteral("the method is not a token"));
    if (target.isEmpty())
        return badFraming(QStringLiteral("the request target is empty"));
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return badFraming(QStringLiteral("the request target holds a control, space or non-ASCII byte"));
    }
    if (version == "HTTP/1.1") {
        m_http10 = false;
    } else if (version == "HTTP/1.0") {
        m_http10 = true;
    } else if (version.startsWith("HTTP/") && version.size() == 8) {
        return refuse(505, "HTTP_VERSION_NOT_SUPPORTED", QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"),
                      "bad_version");
    } else {
        return badFraming(QStringLiteral("the HTTP version must be HTTP/1.1 or HTTP/1.0"));
    }
    m_headMethod = method == "HEAD";
    m_phase = Phase::Headers;
    return std::nullopt;
}

std::optional<Rejection> HttpEdgeParser::takeHeaderLine(Events &events)
{
    QByteArray line = std::move(m_line);
    m_line.clear();
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return finishHead(events);
    if (line.contains('\r'))
        return badFraming(QStringLiteral("a bare CR in a header line"));
    if (++m_headerCount > m_limits.maxHeaderCount)
        return refuse(431, "HEADER_TOO_LARGE", QStringLiteral("more than %1 header lines").arg(m_limits.maxHeaderCount),
                      "header_too_large");
    if (line.front() == ' ' || line.front() == '\t')
        return badFraming(QStringLiteral("folded header lines (obs-fold) are not accepted"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
        return badFraming(QStringLiteral("a header line must be \"Name: value\" with a token name and no space before the colon"));
    const QByteArray name = line.first(colon).toLower();
    const QByteArray value = line.sliced(colon + 1).trimmed();
    if (!isFieldValue(value))
        return badFraming(QStringLiteral("the %1 header holds a control character").arg(QString::fromLatin1(line.first(colon))));
    if (name == "content-length") {
        ++m_contentLengths;
        m_contentLength = value;
    } else if (name == "transfer-encoding") {
        ++m_transferEncodings;
        m_transferEncoding = value.toLower();
    } else if (name == "host") {
        ++m_hosts;
    } else if (name == "upgrade") {
        ++m_upgrades;
        m_upgrade = value.toLower();
    } else if (name == "connection") {
        if (!m_connection.isEmpty())
            m_connection.append(',');
        m_connection.append(value.toLower());
    }
    return std::nullopt;
}

std::optional<Rejection> HttpEdgeParser::finishHead(Events &events)
{
    // RFC 9112 §6.3: a message with both, or with conflicting lengths, is an attack or a bug: 400 and close.
    if (m_contentLengths > 1)
        return badFraming(QStringLiteral("more than one Content-Length header"));
    if (m_hosts > 1)
        return badFraming(QStringLiteral("more than one Host header"));
    if (m_upgrades > 1)
        return badFraming(QStringLiteral("more than one Upgrade header"));
    bool chunked = false;
    if (m_transferEncodings > 0) {
        if (m_http10)
            return badFraming(QStringLiteral("Transfer-Encoding in an HTTP/1.0 request"));
        if (m_contentLengths > 0)
            return badFraming(QStringLiteral("both Transfer-Encoding and Content-Length"));
        if (m_transferEncodings > 1 || m_transferEncoding != "chunked")
            return refuse(501, "NOT_IMPLEMENTED", QStringLiteral("the only transfer coding served is \"chunked\""),
                          "bad_framing");
        chunked = true;
    }
    qint64 length = 0;
    if (m_contentLengths == 1) {
        if (m_contentLength.isEmpty() || m_contentLength.size() > 18)
            return badFraming(QStringLiteral("Content-Length must be a number of up to 18 digits"));
        for (char c : m_contentLength)
            if (c < '0' || c > '9')
                return badFraming(QStringLiteral("Content-Length must be digits only"));
        length = m_contentLength.toLongLong();
        if (length > m_limits.maxBodyBytes)
            return refuse(413, "PAYLOAD_TOO_LARGE",
                          QStringLiteral("the body is larger than %1 bytes").arg(m_limits.maxBodyBytes), "body_too_large");
    }
    Head head;
    head.headMethod = m_headMethod;
    head.closeAfter = m_http10 || hasToken(m_connection, "close");
    m_closeAfter = head.closeAfter;
    // QHttpServer 6.4 takes an upgrade when Connection merely contains "upgrade" and Upgrade is websocket.
    head.webSocket = m_connection.contains("upgrade") && m_upgrade == "websocket";
    events.heads.append(head);
    m_line.clear();
    if (head.webSocket) {
        m_phase = Phase::Upgraded;
        return std::nullopt;
    }
    m_phase = Phase::Body;
    if (chunked) {
        m_bodyState = BodyState::ChunkSize;
    } else if (length > 0) {
        m_bodyState = BodyState::Length;
        m_bodyLeft = length;
    } else {
        endRequest(events);
    }
    return std::nullopt;
}

std::optional<Rejection> HttpEdgeParser::takeChunkSizeLine()
{
    QByteArray line = std::move(m_line);
    m_line.clear();
    if (!line.endsWith('\r'))
        return badFraming(QStringLiteral("a chunk size line must end with CRLF"));
    line.chop(1);
    if (line.isEmpty() || line.size() > 8)
        return badFraming(QStringLiteral("a chunk size must be 1 to 8 hex digits, without extensions"));
    qint64 size = 0;
    for (char c : line) {
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        if (digit < 0)
            return badFraming(QStringLiteral("a chunk size must be 1 to 8 hex digits, without extensions"));
        size = size * 16 + digit;
    }
    m_chunkedBytes += size;
    if (m_chunkedBytes > m_limits.maxBodyBytes)
        return refuse(413, "PAYLOAD_TOO_LARGE", QStringLiteral("the body is larger than %1 bytes").arg(m_limits.maxBodyBytes),
                      "body_too_large");
    if (size == 0) {
        m_bodyState = BodyState::LastChunkEnd;
    } else {
        m_bodyState = BodyState::ChunkData;
        m_bodyLeft = size;
    }
    return std::nullopt;
}

} // namespace dd::backend
