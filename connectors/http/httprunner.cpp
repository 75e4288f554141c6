#include "connectors/http/httprunner.h"

#include "connectors/connectorslog.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace sightline {
namespace {

QString describeFailure(const HttpResult &r, const QNetworkReply *reply)
{
    if (r.status == 0)
        return QStringLiteral("no answer: %1").arg(reply->errorString());
    QString reason = QString::fromUtf8(r.body.left(300)).simplified();
    return reason.isEmpty() ? QStringLiteral("HTTP %1").arg(r.status)
                            : QStringLiteral("HTTP %1: %2").arg(r.status).arg(reason);
}

} // namespace

QByteArray HttpResult::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpRunner::HttpRunner(Settings settings, QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_retry(settings.retry),
      m_breaker(settings.breakerThreshold, settings.breakerOpenFor)
{
    m_network->setAutoDeleteReplies(true);
}

HttpRunner::~HttpRunner() = default;

void HttpRunner::send(quint64 jobId, const HttpRequest &request)
{
    m_jobs.insert(jobId, Job{request, 0});
    attempt(jobId);
}

void HttpRunner::attempt(quint64 jobId)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    if (!m_breaker.allowRequest(QDateTime::currentMSecsSinceEpoch())) {
        HttpResult r;
        r.outcome = AttemptOutcome::RetryLater;
        r.attempts = it->attempt;
        r.error = QStringLiteral("%1 is failing; calls paused until %2 (circuit open)")
                      .arg(it->request.url.host(),
                           QDateTime::fromMSecsSinceEpoch(m_breaker.reopensAtMs()).toString(Qt::ISODate));
        finish(jobId, r);
        return;
    }
    ++it->attempt;
    QNetworkRequest req(it->request.url);
    req.setTransferTimeout(int(it->request.timeout.count()));
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    for (const auto &[name, value] : it->request.headers)
        req.setRawHeader(name, value);
    QNetworkReply *reply = m_network->sendCustomRequest(req, it->request.method, it->request.body);
    connect(reply, &QNetworkReply::finished, this, [this, jobId, reply] { onReply(jobId, reply); });
}

void HttpRunner::onReply(quint64 jobId, QNetworkReply *reply)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->isOpen() ? reply->readAll() : QByteArray();
    for (const auto &pair : reply->rawHeaderPairs())
        r.headers.append({pair.first, pair.second});
    r.attempts = it->attempt;
    r.outcome = classifyAttempt(reply->error(), r.status);
    if (r.outcome == AttemptOutcome::Success) {
        m_breaker.recordSuccess();
        finish(jobId, r);
        return;
    }
    r.error = describeFailure(r, reply);
    if (r.outcome != AttemptOutcome::RetryLater) {
        if (r.outcome == AttemptOutcome::AuthenticationFailed)
            r.error = QStringLiteral("authentication failed (HTTP %1): check the connection's credentials")
                          .arg(r.status);
        finish(jobId, r);
        return;
    }
    m_breaker.recordFailure(QDateTime::currentMSecsSinceEpoch());
    if (!it->request.retry || it->attempt >= m_retry.maxAttempts()) {
        r.error = QStringLiteral("%1 (gave up after %2 attempts)").arg(r.error).arg(r.attempts);
        finish(jobId, r);
        return;
    }
    const auto retryAfter = r.status == 429 || r.status == 503
                                ? parseRetryAfter(r.header("Retry-After"), QDateTime::currentDateTimeUtc())
                                : std::nullopt;
    const auto delay = m_retry.delayFor(it->attempt - 1, retryAfter);
    qCDebug(lcConnectors) << "retrying" << it->request.url.path() << "in" << delay.count()
                          << "ms:" << r.error;
    Q_EMIT retrying(jobId, it->attempt, delay.count(), r.error);
    QTimer::singleShot(delay, this, [this, jobId] { attempt(jobId); });
}

void HttpRunner::finish(quint64 jobId, HttpResult result)
{
    m_jobs.remove(jobId);
    Q_EMIT finished(jobId, result);
}

} // namespace sightline
