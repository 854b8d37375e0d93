// The ZAP handler thread.
#include "net/security/ZapAuthenticator.h"

#include "net/security/RefusalLog.h"
#include "net/telemetry/MetricsRegistry.h"
#include "net/transport/ZmqContext.h"

#include <QLoggingCategory>

#include <zmq_addon.hpp>

#include <chrono>

Q_LOGGING_CATEGORY(lcZap, "dd.net.zap")

namespace dd::net {

ZapAuthenticator &ZapAuthenticator::instance()
{
    static ZapAuthenticator *authenticator = new ZapAuthenticator; // outlives static sockets
    return *authenticator;
}

void ZapAuthenticator::start()
{
    std::lock_guard lock(m_mutex);
    if (m_loop)
        return;
    m_loop = std::make_unique<ServiceLoop>("zap");
    m_socket = std::make_unique<zmq::socket_t>(ZmqContext::instance(), zmq::socket_type::rep);
    m_socket->set(zmq::sockopt::linger, 0);
    m_socket->bind("inproc://zeromq.zap.01");
    m_loop->addSocket(*m_socket, [this] { onRequest(); });
    m_loop->start();
}

void ZapAuthenticator::stop()
{
    std::unique_ptr<ServiceLoop> loop;
    std::unique_ptr<zmq::socket_t> socket;
    {
        std::lock_guard lock(m_mutex);
        loop = std::move(m_loop);
        socket = std::move(m_socket);
    }
    if (loop)
        loop->stop();
}

bool ZapAuthenticator::running() const
{
    std::lock_guard lock(m_mutex);
    return m_loop != nullptr;
}

void ZapAuthenticator::allow(const std::string &publicKey)
{
    std::lock_guard lock(m_mutex);
    m_allowed.insert(publicKey);
}

void ZapAuthenticator::revoke(const std::string &publicKey)
{
    std::lock_guard lock(m_mutex);
    m_allowed.erase(publicKey);
}

bool ZapAuthenticator::allowed(const std::string &publicKey) const
{
    std::lock_guard lock(m_mutex);
    return m_allowed.count(publicKey) > 0;
}

void ZapAuthenticator::setAllowListSource(std::function<std::vector<std::string>()> source)
{
    std::lock_guard lock(m_mutex);
    m_source = std::move(source);
}

void ZapAuthenticator::onRequest()
{
    while (true) {
        std::vector<zmq::message_t> frames;
        const auto received = zmq::recv_multipart(*m_socket, std::back_inserter(frames), zmq::recv_flags::dontwait);
        if (!received)
            return;
        // version, request id, domain, address, identity, mechanism, credentials...
        if (frames.size() < 6) {
            qCWarning(lcZap) << "malformed ZAP request with" << frames.size() << "frames";
            // REP must answer to stay in step.
            std::array<zmq::const_buffer, 6> reply{zmq::str_buffer("1.0"), zmq::const_buffer{},
                                                   zmq::str_buffer("500"), zmq::str_buffer("malformed"),
                                                   zmq::const_buffer{}, zmq::const_buffer{}};
            zmq::send_multipart(*m_socket, reply);
            continue;
        }
        const std::string address = frames[3].to_string();
        const std::string mechanism = frames[5].to_string();
        std::string key;
        bool ok = false;
        if (mechanism == "CURVE" && frames.size() >= 7 && frames[6].size() == 32) {
            char z85[41] = {};
            zmq_z85_encode(z85, static_cast<const std::uint8_t *>(frames[6].data()), 32);
            key = z85;
            ok = allowed(key);
            if (!ok) {
                std::function<std::vector<std::string>()> source;
                const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
                {
                    std::lock_guard lock(m_mutex);
                    if (m_source && now - m_lastReload > 1'000'000'000) {
                        source = m_source;
                        m_lastReload = now;
                    }
                }
                if (source) {
                    for (const auto &k : source())
                        allow(k);
                    ok = allowed(key);
                }
            }
        }
        if (ok) {
            ++m_admitted;
        } else {
            ++m_refused;
            MetricsRegistry::global().counter("zap_refused_total", "mesh").fetch_add(1, std::memory_order_relaxed);
            // Limited: whoever is refused decides how many refusals there are.
            std::uint64_t suppressed = 0;
            if (RefusalLog::global().admit(&suppressed))
                qCWarning(lcZap).noquote() << "refused" << QString::fromStdString(mechanism) << "client"
                                           << QString::fromStdString(key.empty() ? "(no key)" : key) << "from"
                                           << QString::fromStdString(address)
                                           << (suppressed ? QStringLiteral("(%1 more refusals not logged)").arg(suppressed)
                                                          : QString());
        }
        const std::string userId = ok ? key : std::string{};
        std::array<zmq::const_buffer, 6> reply{zmq::str_buffer("1.0"),
                                               zmq::buffer(frames[1].data(), frames[1].size()),
                                               ok ? zmq::str_buffer("200") : zmq::str_buffer("400"),
                                               ok ? zmq::str_buffer("OK") : zmq::str_buffer("client key not allowed"),
                                               zmq::buffer(userId),
                                               zmq::const_buffer{}};
        zmq::send_multipart(*m_socket, reply);
    }
}

} // namespace dd::net
