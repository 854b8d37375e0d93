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

void RouteCatalog::add(QHttpServerRequest::Method method, const QString &path)
{
    const char *name = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    m_routes.append(Route{QString::fromLatin1(name ? name : "?").toUpper(), path});
}

} // namespace dd::backend
