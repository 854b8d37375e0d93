// MeshForwarder: parked replies and the mapping of mesh status codes to HTTP.
#include "backend/gateway/MeshForwarder.h"

namespace dd::backend {

using namespace dronedelivery::v1;

quint64 MeshForwarder::park(std::unique_ptr<HttpReply> reply)
{
    const quint64 id = ++m_nextId;
    m_parked.emplace(id, std::move(reply));
    return id;
}

std::unique_ptr<HttpReply> MeshForwarder::unpark(quint64 id)
{
    auto it = m_parked.find(id);
    if (it == m_parked.end())
        return nullptr;
    auto reply = std::move(it->second);
    m_parked.erase(it);
    return reply;
}

net::TraceContext MeshForwarder::traceOf(quint64 id) const
{
    const auto it = m_parked.find(id);
    return it == m_parked.end() ? net::TraceContext{} : it->second->trace();
}

void MeshForwarder::failAll(int status, const QString &code, const QString &message)
{
    auto parked = std::move(m_parked);
    m_parked.clear();
    for (auto &[id, reply] : parked)
        reply->error(status, code, message, {}, 1);
}

void MeshForwarder::answerMeshError(HttpReply &reply, const net::RpcStatus &status)
{
    int http = 500;
    int retryAfter = 0;
    switch (status.code) {
    case NOT_FOUND: http = 404; break;
    case CONFLICT: http = 409; break;
    case PERMISSION_DENIED: http = 403; break;
    case BAD_REQUEST: http = 400; break;
    case TRANSIENT:
    case DEADLINE_EXCEEDED:
    case CIRCUIT_OPEN:
    case OVERLOADED:
    case CANCELLED:
        http = 503;
        retryAfter = 1;
        break;
    case UNKNOWN_METHOD:
    case UNAUTHENTICATED: http = 502; break;
    default: http = 500; break;
    }
    const QString message = status.message.empty() ? QString::fromLatin1(net::statusName(status.code))
                                                    : QString::fromStdString(status.message);
    reply.error(http, QString::fromStdString(StatusCode_Name(status.code)), message,
                QString::fromStdString(status.field), retryAfter);
}

} // namespace dd::backend
