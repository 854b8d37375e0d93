// HandshakeMonitor: one monitor PAIR socket per watched server socket, read on one loop.
#include "net/security/HandshakeMonitor.h"

#include "net/security/RefusalLog.h"
#include "net/telemetry/MetricsRegistry.h"
#include "net/transport/ZmqContext.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cstring>

Q_LOGGING_CATEGORY(lcHandshake, "dd.net.handshake")

namespace dd::net {

namespace {
constexpr int kEvents = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
    | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_MONITOR_STOPPED | ZMQ_EVENT_ACCEPTED
    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED;
constexpr const char *kReasons[] = {"not_allowed", "plaintext", "bad_key", "protocol", "handshake"};
} // namespace

HandshakeMonitor &HandshakeMonitor::instance()
{
    static HandshakeMonitor *monitor = new HandshakeMonitor; // outlives static sockets, like ZAP's handler
    return *monitor;
}

const char *HandshakeMonitor::reasonOf(std::uint16_t event, std::uint32_t value)
{
    switch (event) {
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return "not_allowed";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
        if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
            return "plaintext";
        if (value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC)
            return "bad_key";
        return "protocol";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: return "handshake";
    default: return nullptr;
    }
}

const char *HandshakeMonitor::describe(const char *reason)
{
    const std::string_view r(reason);
    if (r == "not_allowed")
        return "a CURVE client whose key is not on the allow-list (ZAP refused it)";
    if (r == "plaintext")
        return "a client without CURVE (security mechanism mismatch)";
    if (r == "bad_key")
        return "a CURVE handshake that does not decrypt (the client has a wrong server key)";
    if (r == "protocol")
        return "a ZMTP protocol error (not a mesh client)";
    return "the connection failed or closed during the handshake";
}

std::size_t HandshakeMonitor::watching() const
{
    return m_watching.load(std::memory_order_relaxed);
}

void HandshakeMonitor::watch(zmq::socket_t &socket, const std::string &service)
{
    ServiceLoop *loop = nullptr;
    {
        std::lock_guard lock(m_mutex);
        if (!m_loop) {
            m_loop = std::make_unique<ServiceLoop>("mesh-monitor");
            m_loop->start();
        }
        loop = m_loop.get();
    }
    const std::uint64_t id = m_nextId.fetch_add(1);
    const std::string address = "inproc://dd-handshake-monitor-" + std::to_string(id);
    if (zmq_socket_monitor(socket.handle(), address.c_str(), kEvents) != 0) {
        qCWarning(lcHandshake) << "cannot monitor the handshakes of" << service.c_str() << ":" << zmq_strerror(zmq_errno());
        return;
    }
    // At 0 from the start, so a rate over the series exists before the first refusal.
    auto &metrics = MetricsRegistry::global();
    for (const char *reason : kReasons)
        metrics.counter("mesh_refused_total", service, "reason", reason);
    loop->invoke([&] {
        auto entry = std::make_unique<Watch>();
        entry->service = service;
        entry->pair = std::make_unique<zmq::socket_t>(ZmqContext::instance(), zmq::socket_type::pair);
        entry->pair->set(zmq::sockopt::linger, 0);
        entry->pair->connect(address);
        loop->addSocket(*entry->pair, [this, id] { onEvents(id); });
        m_watches.emplace(id, std::move(entry));
        m_watching.fetch_add(1, std::memory_order_relaxed);
    });
}

void HandshakeMonitor::onEvents(std::uint64_t id)
{
    auto it = m_watches.find(id);
    if (it == m_watches.end())
        return;
    Watch &entry = *it->second;
    for (int batch = 0; batch < 1024; ++batch) {
        zmq::message_t event, endpoint, extra;
        if (!entry.pair->recv(event, zmq::recv_flags::dontwait))
            return;
        bool more = event.more();
        if (more) {
            (void)entry.pair->recv(endpoint);
            more = endpoint.more();
        }
        while (more) { // a future libzmq may add frames: drain them
            (void)entry.pair->recv(extra);
            more = extra.more();
        }
        if (event.size() < 6)
            continue;
        std::uint16_t code = 0;
        std::uint32_t value = 0;
        std::memcpy(&code, event.data(), 2);
        std::memcpy(&value, static_cast<const char *>(event.data()) + 2, 4);
        if (code == ZMQ_EVENT_MONITOR_STOPPED) {
            // The socket closed: drop its monitor after this handler has returned.
            m_loop->post([this, id] {
                auto done = m_watches.find(id);
                if (done == m_watches.end())
                    return;
                m_loop->removeSocket(*done->second->pair);
                m_watches.erase(done);
                m_watching.fetch_sub(1, std::memory_order_relaxed);
            });
            return;
        }
        const std::string where = endpoint.to_string();
        switch (code) {
        case ZMQ_EVENT_ACCEPTED: entry.handshaking.push_back(value); continue;
        case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
            if (!entry.handshaking.empty())
                entry.handshaking.pop_front();
            continue;
        case ZMQ_EVENT_DISCONNECTED: {
            const auto it = std::find(entry.handshaking.begin(), entry.handshaking.end(), value);
            if (it == entry.handshaking.end())
                continue; // an established connection ended
            entry.handshaking.erase(it);
            if (entry.failedAwaitingDisconnect > 0)
                --entry.failedAwaitingDisconnect; // counted already, by its failure event
            else
                count(entry, "handshake", where); // dropped silently by libzmq (ZMTP 1.0 or garbage)
            continue;
        }
        default: break;
        }
        const char *reason = reasonOf(code, value);
        if (!reason)
            continue;
        ++entry.failedAwaitingDisconnect;
        count(entry, reason, where);
    }
}

void HandshakeMonitor::count(Watch &entry, const char *reason, const std::string &endpoint)
{
    {
        m_refused.fetch_add(1, std::memory_order_relaxed);
        MetricsRegistry::global()
            .counter("mesh_refused_total", entry.service, "reason", reason)
            .fetch_add(1, std::memory_order_relaxed);
        std::uint64_t suppressed = 0;
        if (RefusalLog::global().admit(&suppressed)) {
            QString line = QStringLiteral("refused a connection to %1 at %2: %3")
                               .arg(QString::fromStdString(entry.service), QString::fromStdString(endpoint),
                                    QLatin1String(describe(reason)));
            if (suppressed > 0)
                line += QStringLiteral(" (%1 more refusals not logged)").arg(suppressed);
            qCWarning(lcHandshake).noquote() << line;
        }
    }
}

} // namespace dd::net
