// Test fixture for one backend service: started on a data dir, with an RPC client to call it.
#pragma once

#include "../net/RpcTestSupport.h"
#include "backend/common/ServiceContext.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <string>

namespace dd::backend::test {

/// What a typed call came back with.
template <typename Reply>
struct Answer
{
    net::RpcStatus status;
    Reply reply;
    bool ok() const { return status.ok(); }
    /// The status code's name ("NOT_FOUND"): QCOMPARE prints it readably when it differs.
    QByteArray code() const { return QByteArray::fromStdString(dronedelivery::v1::StatusCode_Name(status.code)); }
    QByteArray field() const { return QByteArray::fromStdString(status.field); }
};

/// Starts `Service` on `dataDir` at an endpoint of its own (inproc names are
/// process-wide; a fresh one per instance means a restart never races the
/// previous socket's teardown), and stops it when destroyed.
template <typename Service>
class ServiceUnderTest
{
public:
    ServiceUnderTest(const std::string &name, const QString &dataDir, const net::Clock *clock = nullptr)
        : ServiceUnderTest(name, contextFor(name, dataDir, clock))
    {
    }
    /// On a context the test made (services that meet others: their endpoints are in it).
    ServiceUnderTest(const std::string &name, ServiceContext context)
        : m_name(name), m_context(std::make_unique<ServiceContext>(std::move(context)))
    {
        m_service = std::make_unique<Service>(*m_context);
        m_service->start();
        m_client = std::make_unique<net::test::ClientHarness>(name, m_context->endpoints);
    }
    ~ServiceUnderTest() { stop(); }
    ServiceUnderTest(const ServiceUnderTest &) = delete;
    ServiceUnderTest &operator=(const ServiceUnderTest &) = delete;

    void stop()
    {
        m_client.reset();
        if (m_service)
            m_service->stop();
        m_service.reset();
    }

    Service &service() { return *m_service; }
    const ServiceContext &context() const { return *m_context; }
    net::test::ClientHarness &client() { return *m_client; }
    std::string storePath() const { return m_context->storePath(m_name); }

    template <typename Reply>
    Answer<Reply> call(const std::string &method, const google::protobuf::MessageLite &request,
                       net::CallOptions options = {})
    {
        return callBytes<Reply>(method, request.SerializeAsString(), std::move(options));
    }

    /// Sends raw bytes (garbage payloads included).
    template <typename Reply>
    Answer<Reply> callBytes(const std::string &method, const std::string &payload, net::CallOptions options = {})
    {
        // Generous: a loaded 2-core machine must not turn a slow fsync into a failed test.
        if (options.deadline == 0)
            options.deadline = 20 * net::kSeconds;
        const auto outcome = m_client->callAndWait(method, payload, options);
        Answer<Reply> answer{outcome.status, {}};
        if (answer.ok() && !answer.reply.ParseFromString(outcome.payload))
            answer.status = {dronedelivery::v1::FATAL, "reply does not parse as " + answer.reply.GetTypeName()};
        return answer;
    }

private:
    static ServiceContext contextFor(const std::string &name, const QString &dataDir, const net::Clock *clock)
    {
        ServiceContext context;
        context.dataDir = dataDir.toStdString();
        if (clock)
            context.clock = clock;
        context.endpoints.add({name, net::test::uniqueEndpoint(name.c_str()), "v1"});
        return context;
    }

    std::string m_name;
    std::unique_ptr<ServiceContext> m_context; // the service keeps a reference: it must not move
    std::unique_ptr<Service> m_service;
    std::unique_ptr<net::test::ClientHarness> m_client;
};

} // namespace dd::backend::test
