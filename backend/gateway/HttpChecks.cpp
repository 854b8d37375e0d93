// HttpChecks: shared request validation of the gateway's handlers.
#include "backend/gateway/HttpChecks.h"

#include "backend/gateway/DeliveryRequestJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace dd::backend {

namespace {
bool isJsonMediaType(const QByteArray &contentType)
{
    const QByteArray media = contentType.split(';').first().trimmed().toLower();
    return media == "application/json" || (media.startsWith("application/") && media.endsWith("+json"));
}
} // namespace

HttpChecks::HttpChecks(const AccessControl &access, qsizetype maxBodyBytes,
                       std::shared_ptr<const identity::CredentialSigner> credentials, const net::Clock *clock)
    : m_access(access), m_maxBodyBytes(maxBodyBytes), m_credentials(std::move(credentials)), m_clock(clock)
{
}

dronedelivery::v1::Credential HttpChecks::credentialFor(const Principal &principal) const
{
    return m_credentials->sign(principal.user.toStdString(), AccessControl::roleName(principal.role).toStdString(),
                               m_clock->now() + identity::CredentialSigner::kRequestLifetimeUs);
}

std::optional<Principal> HttpChecks::authorize(const QHttpServerRequest &request, Permission permission,
                                               HttpReply &reply) const
{
    if (!m_access.enabled()) {
        // The open local demo: nobody is authenticated, so nobody gets more than a dispatcher.
        if (permission == Permission::Supervise || permission == Permission::Administer) {
            reply.error(403, QStringLiteral("PERMISSION_DENIED"),
                        QStringLiteral("without --tokens the API is anonymous: it reads and dispatches; approving, "
                                       "rejecting, retrying, account changes and fault injection need a %1 token "
                                       "(start drone-backend with --tokens FILE)")
                            .arg(permission == Permission::Supervise ? QStringLiteral("supervisor")
                                                                     : QStringLiteral("admin")));
            return std::nullopt;
        }
        return Principal{QStringLiteral("anonymous"), Role::Dispatcher};
    }
    if (permission == Permission::Public)
        return Principal{QStringLiteral("anonymous"), Role::Dispatcher};
    const auto principal = m_access.authenticate(header(request, "Authorization"));
    if (!principal) {
        reply.error(401, QStringLiteral("UNAUTHENTICATED"),
                    QStringLiteral("a valid Authorization: Bearer token is required"), {}, 0,
                    {{"WWW-Authenticate", "Bearer"}});
        return std::nullopt;
    }
    if (!AccessControl::allows(principal->role, permission)) {
        reply.error(403, QStringLiteral("PERMISSION_DENIED"),
                    QStringLiteral("the %1 role may not do this").arg(AccessControl::roleName(principal->role)));
        return std::nullopt;
    }
    return principal;
}

bool HttpChecks::readJsonObject(const QHttpServerRequest &request, HttpReply &reply, QJsonObject &out,
                                bool optional) const
{
    const QByteArray body = request.body();
    if (body.size() > m_maxBodyBytes) {
        reply.error(413, QStringLiteral("PAYLOAD_TOO_LARGE"),
                    QStringLiteral("the body is larger than %1 bytes").arg(m_maxBodyBytes));
        return false;
    }
    if (optional && body.trimmed().isEmpty()) {
        out = {};
        return true;
    }
    const QByteArray contentType = header(request, "Content-Type");
    if (!isJsonMediaType(contentType)) {
        reply.error(415, QStringLiteral("UNSUPPORTED_MEDIA_TYPE"),
                    QStringLiteral("the body must be application/json, not \"%1\"").arg(QString::fromUtf8(contentType)));
        return false;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        reply.error(400, QStringLiteral("BAD_REQUEST"),
                    QStringLiteral("malformed JSON at offset %1: %2").arg(error.offset).arg(error.errorString()));
        return false;
    }
    if (!document.isObject()) {
        reply.error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("the body must be a JSON object"));
        return false;
    }
    out = document.object();
    return true;
}

bool HttpChecks::checkId(const QString &id, HttpReply &reply)
{
    if (DeliveryRequestJson::validId(id))
        return true;
    reply.error(400, QStringLiteral("BAD_REQUEST"), QStringLiteral("ids are 1 to 128 characters of A-Z a-z 0-9 . _ : -"),
                QStringLiteral("id"));
    return false;
}

bool HttpChecks::readLimit(const QUrlQuery &query, std::uint32_t fallback, std::uint32_t max, HttpReply &reply,
                           std::uint32_t &out)
{
    const auto limit = parseLimit(query, fallback, max);
    if (!limit) {
        reply.error(400, QStringLiteral("BAD_REQUEST"),
                    QStringLiteral("limit must be an integer from 1 to %1").arg(max), QStringLiteral("limit"));
        return false;
    }
    out = *limit;
    return true;
}

std::optional<std::uint32_t> HttpChecks::parseLimit(const QUrlQuery &query, std::uint32_t fallback, std::uint32_t max)
{
    const QString text = query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded);
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value < 1 || value > max)
        return std::nullopt;
    return value;
}

std::string HttpChecks::queryText(const QUrlQuery &query, const char *name)
{
    return query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded).toStdString();
}

QByteArray HttpChecks::header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

std::string HttpChecks::requestedBy(const Principal &principal)
{
    return (AccessControl::roleName(principal.role) + QLatin1Char('/') + principal.user).toStdString();
}

} // namespace dd::backend
