#include "connectors/sandbox/sandboxserver.h"

#include "connectors/sandbox/feedserver.h"
#include "models/sandbox/sandboxlog.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>

namespace sightline::sandbox {

// QAbstractHttpServer hands each parsed request to one function; routing is the sandbox's own, so
// that a response can be delayed, withheld (hanging request) or cut.
class HttpFrontend : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;
    explicit HttpFrontend(Handler handler) : m_handler(std::move(handler)) {}
    static QHttpServerResponder responderFor(const QHttpServerRequest &request, QTcpSocket *socket)
    {
        return makeResponder(request, socket);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        m_handler(request, socket);
        return true;
    }
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        m_handler(request, socket);
    }

private:
    Handler m_handler;
};

namespace {
QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    default:
        return "OTHER";
    }
}

void send(QHttpServerResponder &responder, const ApiReply &reply)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    for (const auto &[name, value] : reply.headers)
        responder.writeHeader(name, value);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
    responder.writeBody(reply.body);
}
} // namespace

SandboxServer::SandboxServer(SandboxOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_scenario(m_options.scenario),
      m_clock(m_scenario.config().start, m_options.speed), m_faults(m_options.faults),
      m_faultRandom(m_options.scenario.seed ^ 0xfa017ULL),
      m_api(
          m_scenario, [this] { return m_clock.nowMs(); }, m_options.credentials),
      m_http(std::make_unique<HttpFrontend>(
          [this](const QHttpServerRequest &request, QTcpSocket *socket) { handle(request, socket); })),
      m_feed(new FeedServer(m_scenario, m_faults, m_options.scenario.seed, this))
{
    m_tickTimer.setInterval(m_options.tickMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &SandboxServer::tick);
    m_heartbeatTimer.setInterval(m_options.heartbeatMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] { m_feed->heartbeat(m_clock.nowMs()); });
}

SandboxServer::~SandboxServer() = default;

Status SandboxServer::start()
{
    m_scenario.advanceTo(m_clock.nowMs());
    m_httpPort = m_http->listen(QHostAddress::LocalHost, m_options.httpPort);
    if (m_httpPort == 0)
        return Error{QStringLiteral("the sandbox cannot listen on 127.0.0.1:%1 (port in use?)")
                         .arg(m_options.httpPort)};
    const auto feedPort = m_feed->listen(m_options.feedPort);
    if (!feedPort)
        return Error{feedPort.error()};
    m_feedPort = feedPort.value();
    m_tickTimer.start();
    m_heartbeatTimer.start();
    qCInfo(lcSandbox) << "sandbox listening: http" << m_httpPort << "feed" << m_feedPort << "events"
                      << m_scenario.events().size();
    return {};
}

void SandboxServer::tick()
{
    if (m_scenario.advanceTo(m_clock.nowMs()) > 0)
        m_feed->publish();
}

Status SandboxServer::setFaults(const QJsonObject &changes)
{
    return m_faults.merge(changes);
}

void SandboxServer::handle(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ++m_requests;
    const ApiRequest apiRequest{methodName(request.method()), request.url().path(), request.query(),
                                request.headers(), request.body()};
    auto responder = std::make_shared<QHttpServerResponder>(HttpFrontend::responderFor(request, socket));
    if (apiRequest.path.startsWith(u"/admin/")) {
        send(*responder, admin(apiRequest));
        return;
    }
    if (!RestApi::handles(apiRequest.path)) {
        send(*responder, ApiReply::error(404, QStringLiteral("not_found"),
                                         QStringLiteral("no API at ") + apiRequest.path));
        return;
    }
    if (m_faults.hangRate > 0 && m_faultRandom.chance(m_faults.hangRate)) {
        m_hanging.push_back(responder); // never answered while the sandbox runs
        return;
    }
    ApiReply reply;
    if (m_faults.rateLimitRate > 0 && m_faultRandom.chance(m_faults.rateLimitRate)) {
        reply = ApiReply::error(429, QStringLiteral("rate_limited"),
                                QStringLiteral("too many requests; retry later"));
        reply.headers.append(
            {QByteArrayLiteral("Retry-After"), QByteArray::number(m_faults.retryAfterSeconds)});
    } else if (m_faults.errorRate > 0 && m_faultRandom.chance(m_faults.errorRate)) {
        reply = ApiReply::error(503, QStringLiteral("unavailable"),
                                QStringLiteral("injected fault: service unavailable"));
    } else {
        tick(); // answers reflect the simulated now
        reply = m_api.handle(apiRequest);
        if (m_faults.malformedRate > 0 && m_faultRandom.chance(m_faults.malformedRate))
            reply.body = reply.body.left(qMax<qsizetype>(1, reply.body.size() / 2));
    }
    if (m_faults.latencyMs <= 0) {
        send(*responder, reply);
        return;
    }
    QTimer::singleShot(m_faults.latencyMs, this, [responder, guard = QPointer<QTcpSocket>(socket), reply] {
        if (guard)
            send(*responder, reply);
    });
}

ApiReply SandboxServer::admin(const ApiRequest &request)
{
    const QString path = request.path;
    if (path == u"/admin/inspect" && request.method == "GET") {
        tick();
        return ApiReply::json(200, inspect());
    }
    if (path == u"/admin/health" && request.method == "GET")
        return ApiReply::json(200, {{QStringLiteral("status"), QStringLiteral("ok")},
                                    {QStringLiteral("simulated_now"), m_clock.now().toString(Qt::ISODate)},
                                    {QStringLiteral("events"), m_scenario.events().size()}});
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (path == u"/admin/faults") {
        if (request.method == "GET")
            return ApiReply::json(200, m_faults.toJson());
        if (request.method != "POST" || !doc.isObject())
            return ApiReply::error(400, QStringLiteral("bad_request"),
                                   QStringLiteral("POST a JSON object of faults"));
        if (const Status s = setFaults(doc.object()); !s)
            return ApiReply::error(400, QStringLiteral("bad_request"), s.error());
        qCInfo(lcSandbox) << "faults now" << QJsonDocument(m_faults.toJson()).toJson(QJsonDocument::Compact);
        return ApiReply::json(200, m_faults.toJson());
    }
    if (path == u"/admin/oauth/revoke" && request.method == "POST") {
        m_api.revokeTokens();
        return ApiReply::json(200, {{QStringLiteral("revoked"), true}});
    }
    if (path == u"/admin/clock" && request.method == "POST") {
        const QJsonObject body = doc.object();
        if (body.contains(QStringLiteral("speed")))
            m_clock.setSpeed(body.value(QStringLiteral("speed")).toDouble());
        if (body.contains(QStringLiteral("advance_minutes")))
            m_clock.advance(
                static_cast<qint64>(body.value(QStringLiteral("advance_minutes")).toDouble() * 60000.0));
        tick();
        return ApiReply::json(200, {{QStringLiteral("simulated_now"), m_clock.now().toString(Qt::ISODate)},
                                    {QStringLiteral("speed"), m_clock.speed()},
                                    {QStringLiteral("events"), m_scenario.events().size()}});
    }
    return ApiReply::error(404, QStringLiteral("not_found"), QStringLiteral("no admin endpoint at ") + path);
}

QJsonObject SandboxServer::inspect() const
{
    QJsonObject out = m_scenario.inspect();
    out.insert(QStringLiteral("simulated_now"), m_clock.now().toString(Qt::ISODate));
    out.insert(QStringLiteral("speed"), m_clock.speed());
    out.insert(QStringLiteral("writes"), m_api.writes());
    out.insert(QStringLiteral("oauth_tokens_issued"), m_api.tokensIssued());
    out.insert(QStringLiteral("faults"), m_faults.toJson());
    out.insert(QStringLiteral("feed"), m_feed->stats());
    out.insert(QStringLiteral("http_requests"), m_requests);
    out.insert(QStringLiteral("hanging_requests"), static_cast<qint64>(m_hanging.size()));
    out.insert(QStringLiteral("http_port"), m_httpPort);
    out.insert(QStringLiteral("feed_port"), m_feedPort);
    return out;
}

} // namespace sightline::sandbox
