#pragma once

#include "connectors/http/httpexchange.h"
#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace sightline {

// Sends requests to one connection's API with its authentication: an API key header, a bearer
// token, HTTP Basic, or an OAuth2 client-credentials token that it fetches before the first call,
// renews before it expires, and fetches again once if the API answers 401. Secrets are resolved
// from their references at the first call (on the connection's thread), kept in memory only, and
// never logged. Lives on the connection's
// thread; results come back by signal with the caller's job id.
class ConnectionClient : public QObject
{
    Q_OBJECT
public:
    ConnectionClient(ConnectionProfile profile, HttpRunner::Settings settings, QObject *parent = nullptr);
    ~ConnectionClient() override;

    const ConnectionProfile &profile() const { return m_profile; }
    // A path relative to the connection's base URL ("messages/M-1/resubmit"), as an absolute URL.
    QUrl urlFor(const QString &relativePath) const;

    // Sends request (its url absolute, or relative to the base URL) with the connection's
    // credentials. finished() always follows, once, for each job.
    void send(quint64 jobId, sightline::HttpRequest request);

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::HttpResult &result);
    void retrying(quint64 jobId, int attempt, qint64 delayMs, const QString &reason);

private:
    struct Job
    {
        quint64 callerJob = 0;
        HttpRequest request;
        bool renewedToken = false;
    };

    void dispatch(quint64 internalJob);
    void onFinished(quint64 internalJob, const HttpResult &result);
    void fetchToken();
    void onToken(const HttpResult &result);
    void fail(quint64 internalJob, const QString &error);
    bool needsToken() const;
    void resolveSecret();

    ConnectionProfile m_profile;
    HttpRunner *m_runner;
    std::optional<Secret> m_secret;
    QString m_secretError;
    bool m_secretResolved = false;
    QByteArray m_token;
    qint64 m_tokenExpiresMs = 0;
    bool m_fetchingToken = false;
    QList<quint64> m_waitingForToken;
    QHash<quint64, Job> m_jobs;
    quint64 m_nextJob = 1;
    quint64 m_tokenJob = 0;
};

} // namespace sightline
