// Starts the chosen services in dependency order and stops them in reverse.
#pragma once

#include "backend/common/BackendService.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dd::backend {

class ServiceHost
{
public:
    using Factory = std::function<std::unique_ptr<BackendService>(const ServiceContext &)>;

    explicit ServiceHost(ServiceContext context);
    ~ServiceHost();

    /// Every service, in start order (leaves first, Ingestion last).
    static const std::vector<std::string> &allServices();
    static void registerFactory(const std::string &name, Factory factory);

    /// Starts `names` (a subset of allServices(), any order). Throws with a clear
    /// message if one fails; those already started are stopped again.
    void start(const std::vector<std::string> &names = allServices());
    void stop();

    BackendService *service(const std::string &name) const;
    template <typename T>
    T *get(const std::string &name) const
    {
        return dynamic_cast<T *>(service(name));
    }
    std::vector<std::string> running() const;
    ServiceContext &context() { return m_context; }

private:
    static std::map<std::string, Factory> &factories();

    ServiceContext m_context;
    std::vector<std::unique_ptr<BackendService>> m_services; // start order
};

} // namespace dd::backend
