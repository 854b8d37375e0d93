// The checks every HTTP handler starts with: token and role, body size, media type, JSON, ids, limits.
#pragma once

#include "backend/gateway/AccessControl.h"
#include "backend/gateway/HttpReply.h"
#include "backend/identity/CredentialSigner.h"
#include "net/resilience/Clock.h"

#include <QHttpServerRequest>
#include <QJsonObject>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace dd::backend {

/// Each check answers the error itself and returns false (or nullopt), so a
/// handler reads as a chain: `if (!checks.authorize(...) || !checks.readJson(...)) return;`.
class HttpChecks
{
public:
    HttpChecks(const AccessControl &access, qsizetype maxBodyBytes,
               std::shared_ptr<const identity::CredentialSigner> credentials, const net::Clock *clock);

    /// Open mode (no tokens): everyone is ("anonymous", dispatcher): reads and dispatches, and
    /// 403 for anything a supervisor or admin does. With tokens: 401 without a valid one, 403 for the wrong role.
    std::optional<Principal> authorize(const QHttpServerRequest &request, Permission permission, HttpReply &reply) const;
    /// The signed credential the mesh request made on the principal's behalf carries
    /// (the Supervisor and Account verify it); lives CredentialSigner::kRequestLifetimeUs.
    dronedelivery::v1::Credential credentialFor(const Principal &principal) const;
    /// 413 over the size limit, 415 unless application/json (or +json), 400 for malformed
    /// JSON or anything but an object. With `optional`, an empty body is an empty object.
    bool readJsonObject(const QHttpServerRequest &request, HttpReply &reply, QJsonObject &out,
                        bool optional = false) const;

    /// An id from the URL; 400 with field "id" otherwise.
    static bool checkId(const QString &id, HttpReply &reply);
    /// `limit` from the query: absent → fallback; otherwise 1..max, else 400 with field "limit".
    static bool readLimit(const QUrlQuery &query, std::uint32_t fallback, std::uint32_t max, HttpReply &reply,
                          std::uint32_t &out);
    /// The reading behind readLimit, without the answer (the query fuzzer calls it): nullopt when refused.
    static std::optional<std::uint32_t> parseLimit(const QUrlQuery &query, std::uint32_t fallback, std::uint32_t max);
    static std::string queryText(const QUrlQuery &query, const char *name);
    /// Header lookup by case-insensitive name.
    static QByteArray header(const QHttpServerRequest &request, const QByteArray &name);
    /// "role/user", the requested_by of what a principal sends.
    static std::string requestedBy(const Principal &principal);

private:
    const AccessControl &m_access;
    qsizetype m_maxBodyBytes;
    std::shared_ptr<const identity::CredentialSigner> m_credentials;
    const net::Clock *m_clock;
};

} // namespace dd::backend
