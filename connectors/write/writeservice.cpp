#include "connectors/write/writeservice.h"

#include "connectors/connectorslog.h"
#include "connectors/http/connectionclient.h"
#include "connectors/rabbitmq/brokerredrive.h"

#include <QThread>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

// The target's own words for a refusal: a JSON body's message (or detail, error_description,
// title, error), else the start of the body.
QString targetReason(const QByteArray &body)
{
    const json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_object()) {
        for (const char *field : {"message", "detail", "error_description", "title", "error"}) {
            const auto it = j.find(field);
            if (it != j.end() && it->is_string() && !it->get<std::string>().empty())
                return QString::fromStdString(it->get<std::string>());
        }
    }
    return QString::fromUtf8(body.left(300)).simplified();
}

WriteReply::Outcome outcomeFor(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Success:
        return WriteReply::Outcome::Applied;
    case AttemptOutcome::Rejected:
        return WriteReply::Outcome::Rejected;
    case AttemptOutcome::AuthenticationFailed:
        return WriteReply::Outcome::AuthenticationFailed;
    case AttemptOutcome::RetryLater:
        return WriteReply::Outcome::Unavailable;
    }
    return WriteReply::Outcome::Unavailable;
}

} // namespace

WriteReply writeReplyFrom(const QString &connection, const HttpResult &result)
{
    WriteReply reply;
    reply.outcome = outcomeFor(result.outcome);
    reply.status = result.status;
    reply.body = result.body;
    reply.attempts = result.attempts;
    reply.replayed = result.header("Idempotent-Replayed").compare("true", Qt::CaseInsensitive) == 0;
    switch (reply.outcome) {
    case WriteReply::Outcome::Applied:
        break;
    case WriteReply::Outcome::Rejected: {
        const QString reason = targetReason(result.body);
        reply.error =
            reason.isEmpty()
                ? QStringLiteral("%1 refused the action (HTTP %2)").arg(connection).arg(result.status)
                : QStringLiteral("%1 refused the action (HTTP %2): %3")
                      .arg(connection)
                      .arg(result.status)
                      .arg(reason);
        break;
    }
    case WriteReply::Outcome::AuthenticationFailed:
    case WriteReply::Outcome::Unavailable:
        reply.error = QStringLiteral("%1: %2").arg(connection, result.error);
        break;
    }
    return reply;
}

WriteService::WriteService(QList<ConnectionProfile> profiles, HttpRunner::Settings settings, QObject *parent)
    : QObject(parent), m_profiles(std::move(profiles)), m_settings(settings)
{
    qRegisterMetaType<sightline::WriteAction>();
    qRegisterMetaType<sightline::WriteReply>();
    qRegisterMetaType<sightline::HttpResult>();
}

WriteService::~WriteService()
{
    for (Worker &w : m_workers) {
        w.thread->quit();
        w.thread->wait();
        delete w.thread;
    }
}

void WriteService::submit(quint64 jobId, const WriteAction &action)
{
    if (action.idempotencyKey.trimmed().isEmpty()) {
        WriteReply reply;
        reply.outcome = WriteReply::Outcome::Rejected;
        reply.error = QStringLiteral("an action needs an Idempotency-Key; it was not sent");
        answerLater(jobId, reply);
        return;
    }
    Worker *worker = workerFor(action.connection);
    if (!worker) {
        WriteReply reply;
        reply.outcome = WriteReply::Outcome::Rejected;
        reply.error = QStringLiteral("no REST connection named '%1' is configured").arg(action.connection);
        answerLater(jobId, reply);
        return;
    }
    if (BrokerRedrive *broker = worker->broker) {
        QMetaObject::invokeMethod(
            broker, [broker, jobId, action] { broker->redrive(jobId, action); }, Qt::QueuedConnection);
        return;
    }
    HttpRequest request;
    request.method = action.method;
    request.url = QUrl(action.path);
    request.body = action.body;
    request.retry = true; // the key makes a repeat harmless
    request.headers.emplaceBack(QByteArray("Idempotency-Key"), action.idempotencyKey.toUtf8());
    if (!action.body.isEmpty())
        request.headers.emplaceBack(QByteArray("Content-Type"), "application/json");
    ConnectionClient *client = worker->client;
    QMetaObject::invokeMethod(
        client, [client, jobId, request] { client->send(jobId, request); }, Qt::QueuedConnection);
}

WriteService::Worker *WriteService::workerFor(const QString &connection)
{
    if (auto it = m_workers.find(connection); it != m_workers.end())
        return &it.value();
    const auto profile = std::find_if(m_profiles.cbegin(), m_profiles.cend(),
                                      [&](const ConnectionProfile &p) { return p.name == connection; });
    if (profile == m_profiles.cend() || (profile->kind != ConnectionProfile::Kind::Rest &&
                                         profile->kind != ConnectionProfile::Kind::RabbitMq))
        return nullptr;
    Worker worker;
    worker.thread = new QThread;
    worker.thread->setObjectName(QStringLiteral("sightline-connector-%1-writes").arg(connection));
    if (profile->kind == ConnectionProfile::Kind::RabbitMq) {
        worker.broker = new BrokerRedrive(*profile, m_settings);
        worker.broker->moveToThread(worker.thread);
        connect(worker.thread, &QThread::finished, worker.broker, &QObject::deleteLater);
        connect(worker.broker, &BrokerRedrive::finished, this, &WriteService::finished);
        worker.thread->start();
        return &m_workers.insert(connection, worker).value();
    }
    worker.client = new ConnectionClient(*profile, m_settings);
    worker.client->moveToThread(worker.thread);
    connect(worker.thread, &QThread::finished, worker.client, &QObject::deleteLater);
    connect(worker.client, &ConnectionClient::finished, this,
            [this, connection](quint64 jobId, const HttpResult &result) {
                const WriteReply reply = writeReplyFrom(connection, result);
                if (!reply.ok())
                    qCInfo(lcConnectors) << connection << "write" << jobId << "not applied:" << reply.error;
                Q_EMIT finished(jobId, reply);
            });
    worker.thread->start();
    return &m_workers.insert(connection, worker).value();
}

void WriteService::answerLater(quint64 jobId, WriteReply reply)
{
    QMetaObject::invokeMethod(
        this, [this, jobId, reply] { Q_EMIT finished(jobId, reply); }, Qt::QueuedConnection);
}

} // namespace sightline
