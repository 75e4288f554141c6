#pragma once

#include "connectors/sandbox/sandboxoptions.h"
#include "models/sandbox/scenario.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QPair>
#include <QUrlQuery>
#include <functional>

namespace sightline::sandbox {

using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

// One HTTP request as the APIs see it, whatever server carried it.
struct ApiRequest
{
    QByteArray method; // GET, POST...
    QString path;
    QUrlQuery query;
    HeaderPairs headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive
};

struct ApiReply
{
    int status = 200;
    QByteArray body;
    HeaderPairs headers;

    static ApiReply json(int status, const QJsonObject &body);
    static ApiReply error(int status, const QString &code, const QString &message);
};

// The ERP, WMS and portal APIs over a Scenario: authentication per API, cursor paging with
// updated_since, detail endpoints, and idempotent business writes. Knows nothing of sockets.
class RestApi
{
public:
    RestApi(Scenario &scenario, std::function<qint64()> simulatedNowMs, Credentials credentials);

    static bool handles(const QString &path);
    ApiReply handle(const ApiRequest &request);

    // Every write received: key, method, path, body, status and result.
    const QJsonArray &writes() const { return m_writes; }
    // OAuth2 tokens issued by POST /oauth/token; revoking makes the ERP refuse them (401).
    int tokensIssued() const { return m_tokensIssued; }
    void revokeTokens() { m_tokens.clear(); }

private:
    enum class Api { Erp, Wms, Portal };
    struct StoredReply
    {
        QByteArray fingerprint;
        ApiReply reply;
    };
    using Write = std::function<WriteResult(const QJsonObject &body)>;

    bool authorized(Api api, const ApiRequest &request) const;
    ApiReply route(Api api, const QStringList &segments, const ApiRequest &request);
    ApiReply list(const QString &collectionName, const ApiRequest &request) const;
    ApiReply detail(const QString &collectionName, const QString &id) const;
    ApiReply write(Api api, const ApiRequest &request, const Write &apply);
    void record(const ApiRequest &request, const QString &key, const ApiReply &reply, bool replayed);
    ApiReply issueToken(const ApiRequest &request);

    Scenario &m_scenario;
    std::function<qint64()> m_now;
    Credentials m_credentials;
    QHash<QString, StoredReply> m_idempotency;
    QJsonArray m_writes;
    QHash<QByteArray, qint64> m_tokens; // token -> expiry, wall-clock ms
    int m_tokensIssued = 0;
};

} // namespace sightline::sandbox
