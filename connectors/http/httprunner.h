#pragma once

#include "connectors/http/httpexchange.h"
#include "connectors/reliability/retrypolicy.h"

#include <QHash>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace sightline {

// Sends requests for one connection on its connector thread, through that thread's own
// QNetworkAccessManager. Checks each answer in layers (network, HTTP status), retries what can
// be retried with backoff, jitter and Retry-After, and keeps a circuit breaker for the target.
// Results come back by signal with the job id the caller gave.
class HttpRunner : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        RetryPolicy::Settings retry;
        int breakerThreshold = 5;
        std::chrono::milliseconds breakerOpenFor{30'000};
    };

    explicit HttpRunner(Settings settings, QObject *parent = nullptr);
    ~HttpRunner() override;

    void send(quint64 jobId, const sightline::HttpRequest &request);
    CircuitBreaker::State circuitState() const { return m_breaker.state(); }

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::HttpResult &result);
    // Each retry, for the connection's health and the operations log.
    void retrying(quint64 jobId, int attempt, qint64 delayMs, const QString &reason);

private:
    struct Job
    {
        HttpRequest request;
        int attempt = 0;
    };

    void attempt(quint64 jobId);
    void onReply(quint64 jobId, QNetworkReply *reply);
    void finish(quint64 jobId, HttpResult result);

    QNetworkAccessManager *m_network;
    RetryPolicy m_retry;
    CircuitBreaker m_breaker;
    QHash<quint64, Job> m_jobs;
};

} // namespace sightline
