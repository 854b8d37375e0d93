// One guarded connection: sees its bytes before QHttpServer does, times it, refuses or closes it.
#pragma once

#include "backend/gateway/HttpEdgeParser.h"
#include "net/resilience/Clock.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <optional>

namespace dd::backend {

class HttpEdgeGuard;

/// A child of its socket (found again with of()), made by HttpEdgeGuard. Its first
/// readyRead slot runs before QHttpServer's and feeds the new bytes to an HttpEdgeParser;
/// its second runs after and notes what QHttpServer left unread, so each byte is looked
/// at once. A refusal disconnects QHttpServer from the socket before it reads the bytes,
/// answers with a JSON error and `Connection: close`, and closes lingering (input is
/// discarded until the client has read the answer). HttpReply tells it when an answer
/// starts and ends, so `Connection: close`, HTTP/1.0, HEAD and the idle timer are
/// handled per request.
class HttpEdgeConnection : public QObject
{
    Q_OBJECT

public:
    HttpEdgeConnection(QTcpSocket &socket, HttpEdgeGuard &guard);
    ~HttpEdgeConnection() override;

    /// The edge of a socket the guard accepted; nullptr for any other socket.
    static HttpEdgeConnection *of(QTcpSocket *socket);

    /// Call once QHttpServer has connected its readyRead (after addPendingConnection).
    void watchServer();
    /// Refuses at once (e.g. too many connections).
    void refuse(HttpEdgeParser::Rejection rejection);

    struct Answer
    {
        bool close = false;    ///< write `Connection: close`; the connection ends after this answer
        bool omitBody = false; ///< an answer to HEAD: headers only
    };
    /// HttpReply, before writing the answer to the oldest unanswered request.
    Answer answerStarting();
    /// HttpReply, after writing it.
    void answerWritten();

private:
    enum class Wait { None, FirstRequest, Idle, Header, Body, Answers, Linger };

    void beforeServer();
    void afterServer();
    void handle(const HttpEdgeParser::Events &events);
    void rearm();
    void arm(Wait wait, net::Micros timeout);
    void onDeadline();
    void stopServerReading();
    void discardInput();
    void sendRejection(const HttpEdgeParser::Rejection &rejection);
    void lingerClose();
    void shutdownWhenFlushed();
    qint64 unanswered() const;

    QTcpSocket &m_socket;
    QPointer<HttpEdgeGuard> m_guard;
    HttpEdgeParser m_parser;
    QByteArray m_scratch;
    qint64 m_seenUnread = 0;      ///< bytes in the socket's buffer the parser has read and QHttpServer has not
    quint64 m_serverCompleted = 0; ///< requests QHttpServer has read to their end
    quint64 m_answered = 0;
    std::optional<quint64> m_lastRequest; ///< set by a close request: the count of requests after which nothing reaches QHttpServer
    std::deque<HttpEdgeParser::Head> m_heads; ///< of requests not yet answered, oldest first
    bool m_closeAfterAnswer = false; ///< the answer being written is the last
    std::optional<HttpEdgeParser::Rejection> m_pendingRejection; ///< sent once earlier requests are answered
    bool m_serverWatched = false;
    bool m_serverDetached = false;
    bool m_passive = false; ///< upgraded to a WebSocket: no longer ours
    bool m_lingering = false;
    QTimer m_deadline;
    Wait m_wait = Wait::None;
    quint64 m_waitKey = 0;
};

} // namespace dd::backend
