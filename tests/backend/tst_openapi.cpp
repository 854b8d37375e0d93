// Tests that docs/openapi.json, as a real gateway serves it, documents exactly the routes the gateway serves.
#include "GatewayTestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace dd;
using namespace dd::backend;
using namespace dd::backend::test;

namespace {

const QStringList kMethods{"get", "put", "post", "delete", "patch", "head", "options", "trace"};

/// "/api/deliveries/{id}/status" → "/api/deliveries/<arg>/status", QHttpServer's spelling.
QString routePattern(QString openApiPath)
{
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]+\\}"));
    return openApiPath.replace(parameter, QStringLiteral("<arg>"));
}

QString key(const QString &method, const QString &pattern)
{
    return method.toUpper() + QLatin1Char(' ') + pattern;
}

QJsonObject repositoryDocument()
{
    QFile file(QStringLiteral(DD_SOURCE_DIR "/docs/openapi.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

/// A concrete URL path for a documented path: ids become "x", enumerated segments their first value.
QString samplePath(const QString &path, const QJsonObject &pathItem, const QJsonObject &operation)
{
    QHash<QString, QString> values;
    for (const QJsonObject &owner : {pathItem, operation})
        for (const auto parameter : owner.value("parameters").toArray()) {
            const QJsonObject p = parameter.toObject();
            const QJsonArray allowed = p.value("schema").toObject().value("enum").toArray();
            if (p.value("in").toString() == "path")
                values.insert(p.value("name").toString(), allowed.isEmpty() ? QStringLiteral("x") : allowed.first().toString());
        }
    QString out = path;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        out.replace(QLatin1Char('{') + it.key() + QLatin1Char('}'), it.value());
    return out;
}

} // namespace

class TestOpenApi : public QObject
{
    Q_OBJECT

private slots:
    void servesTheRepositoryDocument()
    {
        Fixture f;
        const Response served = f.send("GET", "/openapi.json");
        QCOMPARE(served.status, 200);
        QVERIFY(served.headers.value("content-type").startsWith("application/json"));
        QFile file(QStringLiteral(DD_SOURCE_DIR "/docs/openapi.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(served.body, file.readAll()); // compiled in from the file, not a copy that can age
        QVERIFY(served.json.value("openapi").toString().startsWith("3.1."));
    }

    void documentsExactlyTheServedRoutes()
    {
        Fixture f;
        const QJsonObject paths = f.send("GET", "/openapi.json").json.value("paths").toObject();
        QSet<QString> documented;
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path)
            for (const QString &method : kMethods)
                if (path.value().toObject().contains(method))
                    documented.insert(key(method, routePattern(path.key())));

        QSet<QString> served;
        for (const RouteCatalog::Route &route : f.gateway->routes()) {
            QVERIFY2(!served.contains(key(route.method, route.path)), qPrintable("installed twice: " + route.path));
            served.insert(key(route.method, route.path));
        }
        QVERIFY2(served.size() >= 20, qPrintable(QString::number(served.size()))); // the catalog sees every area

        QStringList undocumented = (served - documented).values();
        QStringList unserved = (documented - served).values();
        undocumented.sort();
        unserved.sort();
        QVERIFY2(undocumented.isEmpty(), qPrintable("served but not in docs/openapi.json: " + undocumented.join(", ")));
        QVERIFY2(unserved.isEmpty(), qPrintable("in docs/openapi.json but not served: " + unserved.join(", ")));
    }

    void everyRouteIsInstalledThroughTheCatalog()
    {
        // QHttpServer cannot list its routes: one installed around RouteCatalog would be invisible to the check above.
        const QDir sources(QStringLiteral(DD_SOURCE_DIR "/backend/gateway"));
        const QStringList files = sources.entryList({"*.cpp", "*.h"}, QDir::Files);
        QVERIFY(files.contains("HttpGateway.cpp"));
        static const QRegularExpression direct(QStringLiteral("(\\.|->)\\s*route\\s*(<[^>]*>)?\\s*\\(|addRule\\s*[<(]"));
        for (const QString &name : files) {
            // HttpTrace's router rule never matches a request: it only notes the request's trace span.
            if (name.startsWith(QLatin1String("RouteCatalog.")) || name.startsWith(QLatin1String("HttpTrace.")))
                continue;
            QFile file(sources.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            const QRegularExpressionMatch match = direct.match(text);
            QVERIFY2(!match.hasMatch(), qPrintable(QStringLiteral("%1 installs a route around RouteCatalog: \"%2\"")
                                                       .arg(name, match.captured(0))));
        }
    }

    void documentedSecurityIsTheGatewaysRule()
    {
        // With tokens on, a request without one is 401 exactly where the document asks for the bearer token.
        Fixture f(true, 1000, "tok-a admin root\n");
        const QJsonObject document = repositoryDocument();
        const QJsonArray defaultSecurity = document.value("security").toArray();
        QVERIFY(!defaultSecurity.isEmpty());
        const QJsonObject paths = document.value("paths").toObject();
        int checked = 0;
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            const QJsonObject item = path.value().toObject();
            for (const QString &method : kMethods) {
                if (!item.contains(method))
                    continue;
                const QJsonObject operation = item.value(method).toObject();
                const bool open = operation.contains("security") && operation.value("security").toArray().isEmpty();
                const QString url = samplePath(path.key(), item, operation);
                const Response response = f.send(method.toUpper().toLatin1(), url);
                const QString what = method.toUpper() + ' ' + url + " → " + QString::number(response.status);
                if (open)
                    QVERIFY2(response.status != 401, qPrintable(what + " (documented as open)"));
                else
                    QVERIFY2(response.status == 401 && response.json.value("error") == "UNAUTHENTICATED",
                             qPrintable(what + " (documented as needing a token)"));
                ++checked;
            }
        }
        QVERIFY(checked >= 20);
        QCOMPARE(f.send("GET", "/openapi.json").status, 200); // the document itself stays open
    }
};

QTEST_MAIN(TestOpenApi)
#include "tst_openapi.moc"
