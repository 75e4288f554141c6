#include "connectors/tryton/trytonclient.h"

#include "connectors/connectorslog.h"

namespace sightline::tryton {
namespace {

using json = nlohmann::json;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

Reply &Reply::shapeError(const QString &what)
{
    if (ok()) {
        failure = Failure::Shape;
        error = QStringLiteral("Tryton's answer to %1 is not what was expected: %2").arg(method, what);
        result.reset();
    }
    return *this;
}

QString describeRpcError(const json &error)
{
    if (error.is_string())
        return qs(error.get<std::string>());
    if (!error.is_array() || error.empty())
        return qs(error.dump()).left(300);
    const json &head = error.at(0);
    if (error.size() > 1 && error.at(1).is_array()) {
        // A TrytonException: its name, then its arguments (message, description, ...).
        QStringList parts;
        for (const json &arg : error.at(1)) {
            if (arg.is_string() && !arg.get<std::string>().empty())
                parts.append(qs(arg.get<std::string>()).simplified());
        }
        const QString name = head.is_string() ? qs(head.get<std::string>()) : QString();
        return parts.isEmpty() ? name : parts.join(QStringLiteral(": "));
    }
    // Any other exception: its text, then a traceback that is not for the user.
    return head.is_string() ? qs(head.get<std::string>()).simplified().left(500) : qs(head.dump()).left(300);
}

Client::Client(ServerSettings settings, HttpRunner::Settings http, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_runner(new HttpRunner(http, this))
{
    qRegisterMetaType<sightline::tryton::Reply>();
    connect(m_runner, &HttpRunner::finished, this, &Client::onHttp);
}

Client::~Client() = default;

QUrl Client::databaseUrl() const
{
    QUrl url = m_settings.url;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + m_settings.database + u'/');
    return url;
}

void Client::call(quint64 jobId, const QString &method, json params)
{
    const quint64 internal = m_nextJob++;
    m_jobs.insert(internal, Job{jobId, method, std::move(params), false});
    if (m_stage == Stage::LoggedIn) {
        dispatch(internal);
        return;
    }
    m_waiting.append(internal);
    if (m_stage == Stage::LoggedOut)
        login();
}

void Client::dispatch(quint64 internalJob)
{
    const Job &job = m_jobs[internalJob];
    json params = job.params.is_array() ? job.params : json::array();
    if (job.method.startsWith(u"model."))
        params.push_back(m_context);
    HttpRequest request;
    request.method = "POST";
    request.url = databaseUrl();
    request.timeout = m_settings.timeout;
    request.headers.emplaceBack(QByteArray("Content-Type"), "application/json");
    if (!m_authorization.isEmpty())
        request.headers.emplaceBack(QByteArray("Authorization"), m_authorization);
    const json body{{"id", internalJob}, {"method", job.method.toStdString()}, {"params", params}};
    request.body = QByteArray::fromStdString(body.dump());
    // A model call may change data: HttpRunner retries only what did not reach the server.
    m_runner->send(internalJob, request);
}

Reply Client::readAnswer(const QString &method, const HttpResult &result) const
{
    Reply reply;
    reply.method = method;
    reply.body = result.body;
    const QString where = QStringLiteral("Tryton (%1)").arg(m_settings.connection);
    if (!result.ok()) {
        reply.failure = result.outcome == AttemptOutcome::AuthenticationFailed
                            ? Reply::Failure::Authentication
                            : Reply::Failure::Network;
        reply.error = QStringLiteral("%1 %2: %3").arg(where, method, result.error);
        return reply;
    }
    const json answer = json::parse(result.body.begin(), result.body.end(), nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
        reply.failure = Reply::Failure::Json;
        reply.error = QStringLiteral("%1 answered %2 with something that is not a JSON-RPC object: %3")
                          .arg(where, method, QString::fromUtf8(result.body.left(120)).simplified());
        return reply;
    }
    if (answer.contains("error") && !answer.at("error").is_null()) {
        reply.failure = Reply::Failure::Rpc;
        reply.error =
            QStringLiteral("%1 refused %2: %3").arg(where, method, describeRpcError(answer.at("error")));
        return reply;
    }
    const auto span = memberSpan(result.body, "result");
    if (!answer.contains("result") || !span) {
        reply.failure = Reply::Failure::Shape;
        reply.error = QStringLiteral("%1 answered %2 with neither a result nor an error").arg(where, method);
        return reply;
    }
    reply.resultSpan = *span;
    reply.result = std::make_shared<json>(answer.at("result"));
    return reply;
}

void Client::onHttp(quint64 internalJob, const HttpResult &result)
{
    if (internalJob == m_loginJob || internalJob == m_preferencesJob) {
        const bool isLogin = internalJob == m_loginJob;
        m_jobs.remove(internalJob);
        const Reply reply = readAnswer(isLogin ? QStringLiteral("common.db.login")
                                               : QStringLiteral("model.res.user.get_preferences"),
                                       result);
        isLogin ? onLogin(reply) : onPreferences(reply);
        return;
    }
    auto it = m_jobs.find(internalJob);
    if (it == m_jobs.end())
        return;
    // 401/403: the session expired, was ended, or the server forgot it. Log in again, once.
    if (result.outcome == AttemptOutcome::AuthenticationFailed && !it->loggedInAgain &&
        !it->method.startsWith(u"common.")) {
        it->loggedInAgain = true;
        qCInfo(lcConnectors) << m_settings.connection << "Tryton session refused (HTTP" << result.status
                             << "); logging in again";
        if (m_stage == Stage::LoggedIn) {
            m_stage = Stage::LoggedOut;
            m_authorization.clear();
        }
        m_waiting.append(internalJob);
        if (m_stage == Stage::LoggedOut)
            login();
        return;
    }
    finish(internalJob, readAnswer(it->method, result));
}

void Client::login()
{
    m_stage = Stage::LoggingIn;
    m_authorization.clear();
    QByteArray password;
    if (m_settings.password) {
        auto secret = m_settings.password->resolve();
        if (!secret) {
            Reply failed;
            failed.failure = Reply::Failure::Authentication;
            failed.error = QStringLiteral("Tryton (%1): cannot read the password (%2): %3")
                               .arg(m_settings.connection, m_settings.password->describe(), secret.error());
            failWaiting(failed);
            return;
        }
        password = secret->reveal();
    }
    ++m_logins;
    m_loginJob = m_nextJob++;
    m_jobs.insert(m_loginJob, Job{0, QStringLiteral("common.db.login"), json::array(), true});
    HttpRequest request;
    request.method = "POST";
    request.url = databaseUrl();
    request.timeout = m_settings.timeout;
    request.headers.emplaceBack(QByteArray("Content-Type"), "application/json");
    const json body{
        {"id", m_loginJob},
        {"method", "common.db.login"},
        {"params",
         json::array({m_settings.user.toStdString(),
                      json{{"password", std::string(password.constData(), size_t(password.size()))}},
                      "en"})}};
    request.body = QByteArray::fromStdString(body.dump());
    m_runner->send(m_loginJob, request);
}

void Client::onLogin(const Reply &answer)
{
    m_loginJob = 0;
    Reply reply = answer;
    const bool refused =
        reply.failure == Reply::Failure::Rpc || reply.failure == Reply::Failure::Authentication;
    const json *r = reply.ok() ? reply.result.get() : nullptr;
    const bool session =
        r && r->is_array() && r->size() >= 2 && r->at(0).is_number_integer() && r->at(1).is_string();
    if (!session && (refused || reply.ok())) {
        // Tryton answers a wrong password with 401 (or, older servers, a null result).
        reply.failure = Reply::Failure::Authentication;
        reply.error = QStringLiteral("Tryton (%1) refused user '%2' on database '%3': check the user and "
                                     "the password")
                          .arg(m_settings.connection, m_settings.user, m_settings.database);
    }
    if (!session) {
        failWaiting(reply);
        return;
    }
    const QByteArray token = m_settings.user.toUtf8() + ':' + QByteArray::number(r->at(0).get<qint64>()) +
                             ':' + QByteArray::fromStdString(r->at(1).get<std::string>());
    m_authorization = "Session " + token.toBase64();
    // The user's preferences are the context of every model call: company, language, ...
    m_preferencesJob = m_nextJob++;
    m_jobs.insert(m_preferencesJob,
                  Job{0, QStringLiteral("model.res.user.get_preferences"), json::array({true}), true});
    m_context = json::object();
    dispatch(m_preferencesJob);
}

void Client::onPreferences(const Reply &answer)
{
    m_preferencesJob = 0;
    if (!answer.ok() || !answer.result->is_object()) {
        Reply reply = answer;
        reply.shapeError(QStringLiteral("the user's preferences should be an object"));
        m_stage = Stage::LoggedOut;
        m_authorization.clear();
        failWaiting(reply);
        return;
    }
    m_context = *answer.result;
    m_stage = Stage::LoggedIn;
    const QList<quint64> waiting = std::exchange(m_waiting, {});
    for (const quint64 job : waiting)
        dispatch(job);
}

void Client::failWaiting(const Reply &reply)
{
    m_stage = Stage::LoggedOut;
    qCWarning(lcConnectors) << reply.error;
    const QList<quint64> waiting = std::exchange(m_waiting, {});
    for (const quint64 job : waiting) {
        Reply failed = reply;
        failed.method = m_jobs.value(job).method;
        finish(job, failed);
    }
}

void Client::finish(quint64 internalJob, Reply reply)
{
    const quint64 caller = m_jobs.value(internalJob).callerJob;
    m_jobs.remove(internalJob);
    Q_EMIT finished(caller, reply);
}

} // namespace sightline::tryton
