// Endpoint table: defaults and the JSON file format of split mode.
#include "net/transport/EndpointTable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace dd::net {

namespace {
std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool validEndpoint(const std::string &e)
{
    return e.rfind("tcp://", 0) == 0 || e.rfind("inproc://", 0) == 0 || e.rfind("ipc://", 0) == 0;
}
} // namespace

EndpointTable EndpointTable::inprocDefaults()
{
    return EndpointTable{};
}

std::optional<EndpointTable> EndpointTable::loadFile(const std::string &path, std::string *error)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = "cannot open endpoint file " + path + ": " + file.errorString().toStdString();
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    return parseJson(std::string_view(data.constData(), size_t(data.size())), error);
}

std::optional<EndpointTable> EndpointTable::parseJson(std::string_view json, std::string *error)
{
    auto fail = [&](std::string message) -> std::optional<EndpointTable> {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json.data(), qsizetype(json.size())), &parseError);
    if (doc.isNull())
        return fail("endpoint table is not JSON: " + parseError.errorString().toStdString());
    if (!doc.isObject())
        return fail("endpoint table must be a JSON object");
    const QJsonObject root = doc.object();
    EndpointTable table;
    // A file describes a deployment completely: names it leaves out are not silently inproc.
    table.m_inprocDefaults = root.value("inprocDefaults").toBool(false);
    table.m_keysDir = root.value("keysDir").toString().toStdString();
    const QJsonValue services = root.value("services");
    if (!services.isObject())
        return fail("endpoint table needs a \"services\" object");
    const QJsonObject map = services.toObject();
    for (auto it = map.begin(); it != map.end(); ++it) {
        const std::string name = lower(it.key().toStdString());
        QJsonArray list = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
        for (const QJsonValue &entry : list) {
            ServiceInstance instance;
            instance.service = name;
            if (entry.isString()) {
                instance.endpoint = entry.toString().toStdString();
            } else if (entry.isObject()) {
                instance.endpoint = entry.toObject().value("endpoint").toString().toStdString();
                const QString version = entry.toObject().value("version").toString("v1");
                instance.version = version.toStdString();
            } else {
                return fail("service " + name + ": each instance is an endpoint string or an object");
            }
            if (!validEndpoint(instance.endpoint))
                return fail("service " + name + ": bad endpoint \"" + instance.endpoint + "\"");
            table.add(std::move(instance));
        }
    }
    return table;
}

void EndpointTable::add(ServiceInstance instance)
{
    instance.service = lower(instance.service);
    auto &list = m_services[instance.service];
    list.push_back(std::move(instance));
}

std::vector<ServiceInstance> EndpointTable::instances(std::string_view service) const
{
    const std::string name = lower(service);
    if (auto it = m_services.find(name); it != m_services.end())
        return it->second;
    if (m_inprocDefaults)
        return {ServiceInstance{name, "inproc://" + name, "v1"}};
    return {};
}

std::string EndpointTable::endpoint(std::string_view service) const
{
    const auto list = instances(service);
    return list.empty() ? std::string{} : list.front().endpoint;
}

bool EndpointTable::contains(std::string_view service) const
{
    return m_services.find(lower(service)) != m_services.end();
}

std::vector<std::string> EndpointTable::services() const
{
    std::vector<std::string> names;
    for (const auto &[name, list] : m_services)
        names.push_back(name);
    return names;
}

} // namespace dd::net
