// ServiceHost: ordered start and stop of the services of one process.
#include "backend/common/ServiceHost.h"

#include <QDir>
#include <QLoggingCategory>

#include <algorithm>
#include <stdexcept>

Q_LOGGING_CATEGORY(lcHost, "dd.backend.host")

namespace dd::backend {

ServiceHost::ServiceHost(ServiceContext context) : m_context(std::move(context)) {}

ServiceHost::~ServiceHost()
{
    stop();
}

const std::vector<std::string> &ServiceHost::allServices()
{
    static const std::vector<std::string> order{"account",         "package",  "thirdparty", "drone",
                                                "deliveryhistory", "delivery", "supervisor", "scheduler",
                                                "ingestion"};
    return order;
}

std::map<std::string, ServiceHost::Factory> &ServiceHost::factories()
{
    static std::map<std::string, Factory> registry;
    return registry;
}

void ServiceHost::registerFactory(const std::string &name, Factory factory)
{
    factories()[name] = std::move(factory);
}

void ServiceHost::start(const std::vector<std::string> &names)
{
    QDir().mkpath(QString::fromStdString(m_context.dataDir));
    for (const auto &name : names)
        if (std::find(allServices().begin(), allServices().end(), name) == allServices().end())
            throw std::invalid_argument("unknown service \"" + name + "\"");
    for (const auto &name : allServices()) {
        if (std::find(names.begin(), names.end(), name) == names.end() || service(name))
            continue;
        auto factory = factories().find(name);
        if (factory == factories().end())
            throw std::logic_error("service \"" + name + "\" is not built into this executable");
        auto instance = factory->second(m_context);
        try {
            instance->start();
        } catch (const std::exception &e) {
            stop();
            throw std::runtime_error("cannot start " + name + ": " + e.what());
        }
        qCInfo(lcHost) << "started" << name.c_str();
        m_services.push_back(std::move(instance));
    }
}

void ServiceHost::stop()
{
    while (!m_services.empty()) {
        m_services.back()->stop();
        qCInfo(lcHost) << "stopped" << m_services.back()->name().c_str();
        m_services.pop_back();
    }
}

BackendService *ServiceHost::service(const std::string &name) const
{
    for (const auto &s : m_services)
        if (s->name() == name)
            return s.get();
    return nullptr;
}

std::vector<std::string> ServiceHost::running() const
{
    std::vector<std::string> names;
    for (const auto &s : m_services)
        names.push_back(s->name());
    return names;
}

} // namespace dd::backend
