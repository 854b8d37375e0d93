// Parks HTTP replies while Ingestion or a service works, and answers them back on the Qt thread.
#pragma once

#include "backend/gateway/GatewayMesh.h"
#include "backend/gateway/HttpReply.h"
#include "backend/gateway/QtThreadHop.h"

#include <QString>

#include <functional>
#include <memory>
#include <unordered_map>

namespace dd::backend {

/// Replies wait here, keyed by a number that is all other threads ever see (no Qt
/// object crosses a thread). Qt thread only, except the callbacks it hands out.
class MeshForwarder
{
public:
    MeshForwarder(GatewayMesh &mesh, std::shared_ptr<QtThreadHop> hop) : m_mesh(mesh), m_hop(std::move(hop)) {}

    quint64 park(std::unique_ptr<HttpReply> reply);
    /// Null when it was answered already (e.g. by failAll()).
    std::unique_ptr<HttpReply> unpark(quint64 id);
    /// The server span of a parked reply (invalid once it is answered): calls made for it continue its trace.
    net::TraceContext traceOf(quint64 id) const;
    /// Answers every parked reply (the gateway is going away).
    void failAll(int status, const QString &code, const QString &message);
    const std::shared_ptr<QtThreadHop> &hop() const { return m_hop; }

    /// Forwards one call; `onReply` runs on the Qt thread with the parsed reply, mesh
    /// errors become HTTP errors (answerMeshError).
    template <typename Reply>
    void forward(std::unique_ptr<HttpReply> reply, MeshCall call, std::function<void(HttpReply &, const Reply &)> onReply)
    {
        const net::TraceContext trace = reply->trace();
        const quint64 id = park(std::move(reply));
        ask(std::move(call), [this, id, onReply = std::move(onReply)](const net::RpcStatus &status,
                                                                     const std::string &payload) {
            auto parked = unpark(id);
            if (!parked)
                return;
            if (!status.ok()) {
                answerMeshError(*parked, status);
                return;
            }
            Reply value;
            if (!value.ParseFromString(payload)) {
                parked->error(502, QStringLiteral("BAD_GATEWAY"),
                              QStringLiteral("the reply does not parse as %1")
                                  .arg(QString::fromStdString(value.GetTypeName())));
                return;
            }
            onReply(*parked, value);
        }, trace);
    }

    /// One call whose outcome comes back raw on the Qt thread: for answers that need
    /// more than one call (the caller keeps its reply parked meanwhile). `parent`: the
    /// HTTP request's span (HttpReply::trace(), traceOf()); invalid starts a new trace.
    void ask(MeshCall call, std::function<void(const net::RpcStatus &, const std::string &)> onQtThread,
             const net::TraceContext &parent = {})
    {
        m_mesh.call(std::move(call), [hop = m_hop, onQtThread = std::move(onQtThread)](net::RpcStatus status,
                                                                                        std::string payload) {
            hop->post([onQtThread, status = std::move(status), payload = std::move(payload)] {
                onQtThread(status, payload);
            });
        }, parent);
    }

    /// NOT_FOUND 404, CONFLICT 409, PERMISSION_DENIED 403, BAD_REQUEST 400 (with the
    /// field), TRANSIENT / DEADLINE_EXCEEDED / CIRCUIT_OPEN / OVERLOADED / CANCELLED 503
    /// with Retry-After, UNKNOWN_METHOD / UNAUTHENTICATED 502, anything else 500.
    static void answerMeshError(HttpReply &reply, const net::RpcStatus &status);

private:
    GatewayMesh &m_mesh;
    std::shared_ptr<QtThreadHop> m_hop;
    quint64 m_nextId = 0;
    std::unordered_map<quint64, std::unique_ptr<HttpReply>> m_parked;
};

} // namespace dd::backend
