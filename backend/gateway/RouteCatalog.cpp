// RouteCatalog: recording routes as they are installed, and listing them.
#include "backend/gateway/RouteCatalog.h"

#include <QMetaEnum>

namespace dd::backend {

RouteCatalog::RouteCatalog(QHttpServer &server) : QObject(&server) {}

RouteCatalog &RouteCatalog::of(QHttpServer &server)
{
    if (auto *catalog = server.findChild<RouteCatalog *>(QString(), Qt::FindDirectChildrenOnly))
        return *catalog;
    return *new RouteCatalog(server); // owned by the server, so it lives exactly as long as its routes
}

QList<RouteCatalog::Route> RouteCatalog::routesOf(const QHttpServer &server)
{
    const auto *catalog = server.findChild<RouteCatalog *>(QString(), Qt::FindDirectChildrenOnly);
    return catalog ? catalog->m_routes : QList<Route>{};
}

QStringList RouteCatalog::methodsFor(const QHttpServer &server, const QString &path)
{
    const QStringList segments = path.split(QLatin1Char('/'));
    QStringList methods;
    for (const Route &route : routesOf(server)) {
        const QStringList pattern = route.path.split(QLatin1Char('/'));
        if (pattern.size() != segments.size())
            continue;
        bool matches = true;
        for (qsizetype i = 0; i < pattern.size() && matches; ++i)
            matches = pattern[i] == QLatin1String("<arg>") ? !segments[i].isEmpty() : pattern[i] == segments[i];
        if (matches && !methods.contains(route.method))
            methods.append(route.method);
    }
    return methods;
}

void RouteCatalog::add(QHttpServerRequest::Method method, const QString &path)
{
    const char *name = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    m_routes.append(Route{QString::fromLatin1(name ? name : "?").toUpper(), path});
}

} // namespace dd::backend
