// Where each service (and each instance and version of it) listens: inproc:// or tcp://.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::net {

struct ServiceInstance
{
    std::string service;  ///< lower-case service name, e.g. "account" or "drone.telemetry"
    std::string endpoint; ///< "inproc://account" or "tcp://127.0.0.1:6001"
    std::string version = "v1";

    bool isTcp() const { return endpoint.rfind("tcp://", 0) == 0; }
};

/// The same code runs embedded (inproc) or split across processes (tcp): only this
/// table differs. Names not in the table resolve to inproc://NAME when inproc
/// defaults are on, which is the embedded mode.
class EndpointTable
{
public:
    EndpointTable() = default;

    static EndpointTable inprocDefaults();
    /// JSON: {"keysDir": "keys", "services": {"account": ["tcp://127.0.0.1:6001"],
    ///        "drone": [{"endpoint": "tcp://127.0.0.1:6002", "version": "v2"}]}}
    static std::optional<EndpointTable> loadFile(const std::string &path, std::string *error);
    static std::optional<EndpointTable> parseJson(std::string_view json, std::string *error);

    void add(ServiceInstance instance);
    void setInprocDefaults(bool on) { m_inprocDefaults = on; }

    /// Every instance of a service; never empty when inproc defaults are on.
    std::vector<ServiceInstance> instances(std::string_view service) const;
    /// The first instance's endpoint, for binding a single-instance service.
    std::string endpoint(std::string_view service) const;
    bool contains(std::string_view service) const;
    std::vector<std::string> services() const;

    /// Directory with CURVE keys for tcp endpoints (see CurveKeyStore); empty = none.
    const std::string &keysDir() const { return m_keysDir; }
    void setKeysDir(std::string dir) { m_keysDir = std::move(dir); }

private:
    std::map<std::string, std::vector<ServiceInstance>, std::less<>> m_services;
    std::string m_keysDir;
    bool m_inprocDefaults = true;
};

} // namespace dd::net
