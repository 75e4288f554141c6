#include "connectors/http/connectionclient.h"

#include "connectors/connectorslog.h"
#include "models/domain/timestamp.h"

#include <QUrlQuery>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

// A token is renewed this long before the server says it expires.
constexpr qint64 kTokenMarginMs = 30'000;

QByteArray basicCredentials(const QString &user, const QByteArray &password)
{
    return "Basic " + QByteArray(user.toUtf8() + ':' + password).toBase64();
}

} // namespace

ConnectionClient::ConnectionClient(ConnectionProfile profile, HttpRunner::Settings settings, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_runner(new HttpRunner(settings, this))
{
    connect(m_runner, &HttpRunner::finished, this, &ConnectionClient::onFinished);
    connect(m_runner, &HttpRunner::retrying, this,
            [this](quint64 job, int attempt, qint64 delay, const QString &why) {
                if (const auto it = m_jobs.constFind(job); it != m_jobs.cend())
                    Q_EMIT retrying(it->callerJob, attempt, delay, why);
            });
}

ConnectionClient::~ConnectionClient() = default;

QUrl ConnectionClient::urlFor(const QString &relativePath) const
{
    QUrl base = m_profile.url;
    if (!base.path().endsWith(u'/'))
        base.setPath(base.path() + u'/');
    QString relative = relativePath;
    while (relative.startsWith(u'/'))
        relative.remove(0, 1);
    return base.resolved(QUrl(relative));
}

void ConnectionClient::send(quint64 jobId, HttpRequest request)
{
    if (request.url.isRelative())
        request.url = urlFor(request.url.toString());
    request.timeout = m_profile.timeout;
    const quint64 internal = m_nextJob++;
    m_jobs.insert(internal, Job{jobId, std::move(request), false});
    resolveSecret();
    if (!m_secretError.isEmpty()) {
        fail(internal, QStringLiteral("authentication failed: %1").arg(m_secretError));
        return;
    }
    if (needsToken()) {
        m_waitingForToken.append(internal);
        fetchToken();
        return;
    }
    dispatch(internal);
}

void ConnectionClient::resolveSecret()
{
    // On the connection's thread, at the first call: reading a secret file is I/O.
    if (m_secretResolved || m_profile.auth.type == AuthSettings::Type::None || !m_profile.auth.secret)
        return;
    m_secretResolved = true;
    auto secret = m_profile.auth.secret->resolve();
    if (secret)
        m_secret = secret.value();
    else
        m_secretError = secret.error();
}

bool ConnectionClient::needsToken() const
{
    return m_profile.auth.type == AuthSettings::Type::OAuth2ClientCredentials &&
           (m_token.isEmpty() || nowMs() >= m_tokenExpiresMs);
}

void ConnectionClient::dispatch(quint64 internalJob)
{
    HttpRequest request = m_jobs.value(internalJob).request;
    const AuthSettings &auth = m_profile.auth;
    const QByteArray secret = m_secret ? m_secret->reveal() : QByteArray();
    switch (auth.type) {
    case AuthSettings::Type::None:
        break;
    case AuthSettings::Type::ApiKey:
        request.headers.emplaceBack(auth.header, secret);
        break;
    case AuthSettings::Type::Bearer:
        request.headers.emplaceBack(QByteArray("Authorization"), QByteArray("Bearer " + secret));
        break;
    case AuthSettings::Type::Basic:
        request.headers.emplaceBack(QByteArray("Authorization"), basicCredentials(auth.user, secret));
        break;
    case AuthSettings::Type::OAuth2ClientCredentials:
        request.headers.emplaceBack(QByteArray("Authorization"), QByteArray("Bearer " + m_token));
        break;
    }
    m_runner->send(internalJob, request);
}

void ConnectionClient::onFinished(quint64 internalJob, const HttpResult &result)
{
    if (internalJob == m_tokenJob) {
        onToken(result);
        return;
    }
    auto it = m_jobs.find(internalJob);
    if (it == m_jobs.end())
        return;
    // An OAuth2 token the API no longer accepts (revoked, expired early): fetch a new one, once.
    if (result.outcome == AttemptOutcome::AuthenticationFailed &&
        m_profile.auth.type == AuthSettings::Type::OAuth2ClientCredentials && !it->renewedToken) {
        it->renewedToken = true;
        m_token.clear();
        m_waitingForToken.append(internalJob);
        fetchToken();
        return;
    }
    const quint64 caller = it->callerJob;
    m_jobs.erase(it);
    Q_EMIT finished(caller, result);
}

void ConnectionClient::fetchToken()
{
    if (m_fetchingToken)
        return;
    m_fetchingToken = true;
    const AuthSettings &auth = m_profile.auth;
    HttpRequest request;
    request.method = "POST";
    request.url = auth.tokenUrl.isRelative() ? urlFor(auth.tokenUrl.toString()) : auth.tokenUrl;
    request.timeout = m_profile.timeout;
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
    if (!auth.scope.isEmpty())
        form.addQueryItem(QStringLiteral("scope"), auth.scope);
    request.body = form.toString(QUrl::FullyEncoded).toUtf8();
    request.headers.emplaceBack(QByteArray("Content-Type"), "application/x-www-form-urlencoded");
    request.headers.emplaceBack(QByteArray("Authorization"),
                                basicCredentials(auth.user, m_secret ? m_secret->reveal() : QByteArray()));
    m_tokenJob = m_nextJob++;
    m_runner->send(m_tokenJob, request);
}

void ConnectionClient::onToken(const HttpResult &result)
{
    m_fetchingToken = false;
    m_tokenJob = 0;
    QString error;
    if (result.ok()) {
        const json body = json::parse(result.body.begin(), result.body.end(), nullptr, false);
        const auto token = body.is_object() ? body.find("access_token") : body.end();
        if (token != body.end() && token->is_string() && !token->get<std::string>().empty()) {
            m_token = QByteArray::fromStdString(token->get<std::string>());
            const qint64 lifetimeMs = body.value("expires_in", 3600) * qint64(1000);
            m_tokenExpiresMs = nowMs() + std::max<qint64>(lifetimeMs - kTokenMarginMs, lifetimeMs / 2);
        } else {
            error = QStringLiteral("authentication failed: the token endpoint's answer has no access_token");
        }
    } else if (result.outcome == AttemptOutcome::AuthenticationFailed ||
               result.outcome == AttemptOutcome::Rejected) {
        error = QStringLiteral("authentication failed: the token endpoint refused the client credentials "
                               "(HTTP %1)")
                    .arg(result.status);
    } else {
        error = QStringLiteral("cannot get an access token: %1").arg(result.error);
    }
    const QList<quint64> waiting = std::exchange(m_waitingForToken, {});
    for (const quint64 job : waiting) {
        if (error.isEmpty()) {
            dispatch(job);
            continue;
        }
        HttpResult failed = result;
        failed.outcome = result.outcome == AttemptOutcome::RetryLater ? AttemptOutcome::RetryLater
                                                                      : AttemptOutcome::AuthenticationFailed;
        failed.error = error;
        failed.body.clear();
        const quint64 caller = m_jobs.value(job).callerJob;
        m_jobs.remove(job);
        Q_EMIT finished(caller, failed);
    }
    if (!error.isEmpty())
        qCWarning(lcConnectors) << m_profile.name << error;
}

void ConnectionClient::fail(quint64 internalJob, const QString &error)
{
    HttpResult result;
    result.outcome = AttemptOutcome::AuthenticationFailed;
    result.error = error;
    const quint64 caller = m_jobs.value(internalJob).callerJob;
    m_jobs.remove(internalJob);
    // Later, not from inside send(): callers see every result the same way.
    QMetaObject::invokeMethod(
        this, [this, caller, result] { Q_EMIT finished(caller, result); }, Qt::QueuedConnection);
}

} // namespace sightline
