#include "connectors/setup/connectiontest.h"

#include "connectors/connectorslog.h"
#include "connectors/http/connectionclient.h"
#include "connectors/http/httprunner.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <limits>

namespace sightline {
namespace {

using Outcome = ConnectionTestResult::Outcome;

ConnectionTestResult result(Outcome outcome, QString summary, int status = 0)
{
    ConnectionTestResult r;
    r.outcome = outcome;
    r.summary = std::move(summary);
    r.httpStatus = status;
    return r;
}

// The header a feed's WebSocket handshake carries (REST goes through ConnectionClient).
Result<ConnectionTestWorker::Header> authHeader(const AuthSettings &auth)
{
    if (auth.type == AuthSettings::Type::None)
        return ConnectionTestWorker::Header{};
    if (!auth.secret)
        return Error{QStringLiteral("the authentication needs a secret reference")};
    auto secret = auth.secret->resolve();
    if (!secret)
        return Error{secret.error()};
    const QByteArray &value = secret.value().reveal();
    switch (auth.type) {
    case AuthSettings::Type::ApiKey:
        return ConnectionTestWorker::Header{auth.header, value};
    case AuthSettings::Type::Bearer:
        return ConnectionTestWorker::Header{"Authorization", QByteArray("Bearer " + value)};
    case AuthSettings::Type::Basic:
        return ConnectionTestWorker::Header{
            "Authorization", QByteArray("Basic " + QByteArray(auth.user.toUtf8() + ':' + value).toBase64())};
    case AuthSettings::Type::OAuth2ClientCredentials:
        return Error{QStringLiteral("a feed takes an API key, a bearer token or a user and password, "
                                    "not OAuth2")};
    case AuthSettings::Type::None:
        break;
    }
    return ConnectionTestWorker::Header{};
}

QUrl firstResourceUrl(const ConnectionProfile &profile)
{
    QUrl url = profile.url;
    if (profile.resources.isEmpty())
        return url;
    const RestResource &r = profile.resources.constFirst();
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + (r.path.startsWith(u'/') ? r.path : u'/' + r.path));
    if (r.paging.type != PagingSettings::Type::None) {
        QUrlQuery query(url);
        query.addQueryItem(r.paging.limitParam, QStringLiteral("1"));
        url.setQuery(query);
    }
    return url;
}

// HttpRunner's words without its wrapping ("no answer: ...", "(gave up after 1 attempts)").
QString plainError(QString error)
{
    error.remove(QStringLiteral("no answer: "));
    if (const qsizetype gaveUp = error.indexOf(QStringLiteral(" (gave up after")); gaveUp > 0)
        error.truncate(gaveUp);
    return error;
}

ConnectionTestResult fromHttp(const HttpResult &http, const QUrl &url, const AuthSettings &auth)
{
    const QString where = url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    if (http.ok())
        return result(Outcome::Connected,
                      QStringLiteral("Connected: %1 answered HTTP %2").arg(where).arg(http.status),
                      http.status);
    switch (http.outcome) {
    case AttemptOutcome::AuthenticationFailed:
        return result(Outcome::AuthenticationFailed,
                      QStringLiteral("Authentication failed: %1 answered HTTP %2. Check the %3 (%4).")
                          .arg(where)
                          .arg(http.status)
                          .arg(auth.type == AuthSettings::Type::OAuth2ClientCredentials
                                   ? QStringLiteral("client id and client secret")
                                   : QStringLiteral("credentials"),
                               auth.secret ? QStringLiteral("secret from ") + auth.secret->describe()
                                           : QStringLiteral("no secret given")),
                      http.status);
    case AttemptOutcome::Rejected:
        return result(Outcome::Refused,
                      QStringLiteral("%1 refused the request: %2").arg(where, plainError(http.error)),
                      http.status);
    case AttemptOutcome::RetryLater:
    case AttemptOutcome::Success:
        break;
    }
    if (http.status == 0)
        return result(Outcome::Unreachable,
                      QStringLiteral("No answer from %1: %2").arg(where, plainError(http.error)));
    return result(Outcome::Refused, QStringLiteral("%1 failed: %2").arg(where, plainError(http.error)),
                  http.status);
}

} // namespace

struct ConnectionTestWorker::Pending
{
    quint64 jobId = 0;
    ConnectionProfile profile;
    QUrl target;
    QElapsedTimer clock;
};

ConnectionTestWorker::ConnectionTestWorker(std::chrono::milliseconds feedTimeout) : m_timeout(feedTimeout) {}

ConnectionTestWorker::~ConnectionTestWorker() = default;

void ConnectionTestWorker::test(quint64 jobId, const ConnectionProfile &profile)
{
    dropSocket();
    m_pending = std::make_unique<Pending>();
    m_pending->jobId = jobId;
    m_pending->profile = profile;
    m_pending->clock.start();
    if (profile.kind == ConnectionProfile::Kind::Tryton ||
        profile.kind == ConnectionProfile::Kind::RabbitMq) {
        // Neither is a plain GET or a bare socket: their own clients log in (JSON-RPC, STOMP).
        finish(
            jobId,
            result(Outcome::BadSettings,
                   QStringLiteral("Nothing sent: this test covers REST and WebSocket feed connections; "
                                  "check a %1 connection with 'sightline-cli sync --once'")
                       .arg(profile.kind == ConnectionProfile::Kind::Tryton ? QStringLiteral("Tryton")
                                                                            : QStringLiteral("RabbitMQ"))));
        return;
    }
    const bool rest = profile.kind == ConnectionProfile::Kind::Rest;
    const QString scheme = profile.url.scheme();
    const bool schemeFits = rest ? (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
                                 : (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"));
    if (!profile.url.isValid() || profile.url.host().isEmpty() || !schemeFits) {
        finish(jobId,
               result(Outcome::BadSettings,
                      rest ? QStringLiteral("The URL must start with http:// or https:// and name a host")
                           : QStringLiteral("The URL must start with ws:// or wss:// and name a host")));
        return;
    }
    if (rest) {
        testRest(jobId, profile);
        return;
    }
    auto header = authHeader(profile.auth);
    if (!header) {
        finish(jobId, result(Outcome::BadSettings, QStringLiteral("Nothing sent: ") + header.error()));
        return;
    }
    testFeed(jobId, profile, header.value());
}

void ConnectionTestWorker::testRest(quint64 jobId, const ConnectionProfile &profile)
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
    }
    // The same client the REST poller uses: its authentication (OAuth2 token included) is what
    // is tested. One attempt: a test says what one try gets.
    HttpRunner::Settings once;
    once.retry.maxAttempts = 1;
    once.breakerThreshold = std::numeric_limits<int>::max();
    m_client = new ConnectionClient(profile, once, this);
    connect(m_client, &ConnectionClient::finished, this, &ConnectionTestWorker::onHttp);
    HttpRequest request;
    request.url = firstResourceUrl(profile);
    request.headers = {{"Accept", "application/json"}};
    request.retry = false;
    m_pending->target = request.url;
    qCDebug(lcConnectors) << "connection test: GET" << request.url.toDisplayString(QUrl::RemoveUserInfo);
    m_client->send(jobId, request);
}

void ConnectionTestWorker::onHttp(quint64 jobId, const HttpResult &http)
{
    if (!m_pending || jobId != m_pending->jobId)
        return; // a test that a newer one replaced
    if (http.outcome == AttemptOutcome::AuthenticationFailed && http.status == 0) {
        // Nothing reached the API: the secret could not be read, or no token was issued.
        QString why = http.error;
        why.remove(QStringLiteral("authentication failed: "));
        finish(jobId, result(Outcome::AuthenticationFailed, QStringLiteral("Not authenticated: ") + why));
        return;
    }
    finish(jobId, fromHttp(http, m_pending->target, m_pending->profile.auth));
}

void ConnectionTestWorker::testFeed(quint64 jobId, const ConnectionProfile &profile, const Header &auth)
{
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    const QString where = profile.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    connect(m_socket, &QWebSocket::connected, this, [this, jobId, where] {
        m_socket->close();
        finish(jobId, result(Outcome::Connected,
                             QStringLiteral("Connected: the feed at %1 accepted the connection").arg(where)));
    });
    connect(
        m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this, jobId, where](QAbstractSocket::SocketError) {
            const QString why = m_socket->errorString();
            const bool refused = why.contains(QStringLiteral("401")) || why.contains(QStringLiteral("403"));
            finish(jobId,
                   refused ? result(Outcome::AuthenticationFailed,
                                    QStringLiteral(
                                        "Authentication failed: the feed at %1 refused the credentials (%2)")
                                        .arg(where, why))
                           : result(Outcome::Unreachable,
                                    QStringLiteral("No connection to the feed at %1: %2").arg(where, why)));
        });
    QTimer::singleShot(m_timeout, m_socket, [this, jobId, where] {
        finish(jobId, result(Outcome::Unreachable,
                             QStringLiteral("No answer from the feed at %1 within %2 s")
                                 .arg(where)
                                 .arg(std::chrono::duration_cast<std::chrono::seconds>(m_timeout).count())));
    });
    QNetworkRequest request(profile.url);
    if (!auth.first.isEmpty())
        request.setRawHeader(auth.first, auth.second);
    m_socket->open(request);
}

void ConnectionTestWorker::dropSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void ConnectionTestWorker::finish(quint64 jobId, ConnectionTestResult r)
{
    if (!m_pending || m_pending->jobId != jobId)
        return; // already answered (a socket error after a timeout), or replaced
    r.elapsedMs = m_pending->clock.elapsed();
    m_pending.reset();
    dropSocket();
    qCInfo(lcConnectors) << "connection test:" << r.summary;
    Q_EMIT finished(jobId, r);
}

ConnectionTester::ConnectionTester(QObject *parent, std::chrono::milliseconds feedTimeout) : QObject(parent)
{
    qRegisterMetaType<sightline::ConnectionTestResult>();
    qRegisterMetaType<sightline::HttpResult>();
    m_thread.setObjectName(QStringLiteral("sightline-connection-test"));
    m_worker = new ConnectionTestWorker(feedTimeout);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ConnectionTestWorker::finished, this,
            [this](quint64 jobId, const ConnectionTestResult &r) {
                if (jobId == m_latest)
                    Q_EMIT finished(jobId, r);
            });
    m_thread.start();
}

ConnectionTester::~ConnectionTester()
{
    m_thread.quit();
    m_thread.wait();
}

quint64 ConnectionTester::test(const ConnectionProfile &profile)
{
    const quint64 job = ++m_latest;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, profile] { w->test(job, profile); });
    return job;
}

} // namespace sightline
