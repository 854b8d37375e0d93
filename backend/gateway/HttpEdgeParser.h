// The HTTP/1.1 framing the edge accepts, read incrementally and strictly: sizes, smuggling shapes, request ends.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace dd::backend {

/// Reads the bytes of one connection as they arrive, before QHttpServer 6.4 parses them,
/// and either refuses the request (a status, an error code and a sentence) or tells where
/// each request's head and end are. It keeps only the line being read, so what a client
/// can make it hold is bounded by the limits, and it accepts a strict subset of what
/// QHttpServer 6.4 reads, so both always agree on where a request ends: one
/// Content-Length of digits, or `Transfer-Encoding: chunked` alone, chunks without
/// extensions or trailers, no obs-fold, no bare CR, no control characters in headers.
class HttpEdgeParser
{
public:
    struct Limits
    {
        qsizetype maxRequestLineBytes = 8 * 1024; ///< method, target and version; longer: 414
        qsizetype maxHeaderBytes = 32 * 1024;     ///< the header block after the request line; larger: 431
        int maxHeaderCount = 100;                 ///< more header lines: 431
        qsizetype maxBodyBytes = 1024 * 1024;     ///< Content-Length or chunk data beyond this: 413
    };

    struct Rejection
    {
        int status = 400;
        QByteArray code;    ///< the API's error code, e.g. "HEADER_TOO_LARGE"
        QString message;    ///< a sentence for the client
        QByteArray reason;  ///< the metric's name part, e.g. "header_too_large"
        int retryAfterSeconds = 0; ///< > 0: sent as Retry-After
    };

    /// What the edge needs to know of a request whose header block is complete.
    struct Head
    {
        bool closeAfter = false; ///< HTTP/1.0, or `Connection: close`: the connection ends with this answer
        bool headMethod = false; ///< HEAD: the answer carries no body
        bool webSocket = false;  ///< a WebSocket upgrade: QHttpServer hands the socket on
    };

    struct Events
    {
        QList<Head> heads;          ///< header blocks completed by this feed, in order
        int requestsCompleted = 0;  ///< requests whose last byte arrived in this feed
        std::optional<Rejection> rejection; ///< set: nothing after it was read
    };

    /// Closed: a request asked for the connection to end with its answer; later bytes are not looked at.
    enum class Phase { BetweenRequests, RequestLine, Headers, Body, Upgraded, Closed, Rejected };

    explicit HttpEdgeParser(Limits limits) : m_limits(limits) {}

    /// Reads every byte of `bytes` unless a rejection stops it. After an upgrade the
    /// bytes belong to the WebSocket and are not looked at.
    Events feed(QByteArrayView bytes);

    Phase phase() const { return m_phase; }
    /// Body bytes still to come that need no look (Content-Length or chunk data): the edge skips copying them.
    qint64 opaqueBytesAhead() const;
    /// Accounts for `count` ≤ opaqueBytesAhead() bytes without reading them.
    Events skipOpaque(qint64 count);
    /// How many requests have started (their first byte arrived): tells one request's timer from the next's.
    quint64 requestsStarted() const { return m_requestsStarted; }

private:
    enum class BodyState { Length, ChunkSize, ChunkData, ChunkDataEnd, LastChunkEnd };

    std::optional<Rejection> takeRequestLine();
    std::optional<Rejection> takeHeaderLine(Events &events);
    std::optional<Rejection> finishHead(Events &events);
    std::optional<Rejection> takeChunkSizeLine();
    void startRequest();
    void endRequest(Events &events);

    Limits m_limits;
    Phase m_phase = Phase::BetweenRequests;
    BodyState m_bodyState = BodyState::Length;
    QByteArray m_line;          ///< the line being read (request line, header line, chunk size line)
    qsizetype m_headerBytes = 0;
    qsizetype m_leadingBytes = 0; ///< blank bytes before a request line
    qsizetype m_chunkFramingBytes = 0; ///< chunk size lines and CRLFs of the request being read
    int m_headerCount = 0;
    quint64 m_requestsStarted = 0;

    // Of the request being read.
    bool m_http10 = false;
    bool m_headMethod = false;
    bool m_closeAfter = false;
    int m_contentLengths = 0;
    QByteArray m_contentLength;
    int m_transferEncodings = 0;
    QByteArray m_transferEncoding;
    int m_hosts = 0;
    int m_upgrades = 0;
    QByteArray m_upgrade;
    QByteArray m_connection; ///< every Connection header's value, lower case, comma-joined
    qint64 m_bodyLeft = 0;      ///< Content-Length bytes or the current chunk's bytes still to come
    qint64 m_chunkedBytes = 0;  ///< chunk data so far
};

} // namespace dd::backend
