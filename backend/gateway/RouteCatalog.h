// RouteCatalog: the method and path pattern of every route the gateway installs, so it can list what it serves.
#pragma once

#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <utility>

namespace dd::backend {

/// One catalog per QHttpServer, kept as its child: the route areas install through
/// route() below instead of QHttpServer::route, so a route cannot be served without
/// being listed. tests/backend/tst_openapi compares the list with docs/openapi.json.
class RouteCatalog : public QObject
{
    Q_OBJECT

public:
    struct Route
    {
        QString method; ///< "GET", "POST", ...
        QString path;   ///< QHttpServer's pattern, e.g. "/api/deliveries/<arg>/status"
        friend bool operator==(const Route &, const Route &) = default;
    };

    /// QHttpServer::route(path, method, handler...) that also records the route.
    template <typename... Args>
    static bool route(QHttpServer &server, const QString &path, QHttpServerRequest::Method method, Args &&...args)
    {
        of(server).add(method, path);
        return server.route(path, method, std::forward<Args>(args)...);
    }

    /// The routes installed on `server` through route(), in installation order.
    static QList<Route> routesOf(const QHttpServer &server);
    /// The methods served on `path` (an `<arg>` matches one non-empty segment), each once, in
    /// installation order; empty when no route has this path: what a 405's Allow lists.
    static QStringList methodsFor(const QHttpServer &server, const QString &path);

private:
    explicit RouteCatalog(QHttpServer &server);
    static RouteCatalog &of(QHttpServer &server);
    void add(QHttpServerRequest::Method method, const QString &path);

    QList<Route> m_routes;
};

} // namespace dd::backend
