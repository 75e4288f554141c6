#include "connectors/rabbitmq/brokerredrive.h"

#include "connectors/connectorslog.h"
#include "connectors/http/connectionclient.h"
#include "connectors/rabbitmq/deadletterreader.h"
#include "connectors/rabbitmq/stompclient.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sightline {
namespace {

constexpr int kPrefetch = 1000; // how far into a dead-letter queue a replay looks
constexpr auto kIdle = std::chrono::milliseconds(1500);
constexpr auto kDeadline = std::chrono::seconds(30);
constexpr auto kReceiptWait = std::chrono::seconds(5);

ConnectionProfile managementProfile(const ConnectionProfile &broker)
{
    ConnectionProfile p = broker;
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = broker.rabbitmq.managementUrl;
    return p;
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

WriteReply reply(WriteReply::Outcome outcome, int status, const QString &error, const QJsonObject &body = {})
{
    WriteReply r;
    r.outcome = outcome;
    r.status = status;
    r.error = error;
    r.body = json(body);
    r.attempts = 1;
    return r;
}

} // namespace

BrokerRedrive::BrokerRedrive(ConnectionProfile profile, HttpRunner::Settings http, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)),
      m_management(new ConnectionClient(managementProfile(m_profile), http, this))
{
    for (QTimer *t : {&m_idle, &m_deadline, &m_receipt}) {
        t->setParent(this);
        t->setSingleShot(true);
    }
    m_idle.setInterval(kIdle);
    m_deadline.setInterval(kDeadline);
    m_receipt.setInterval(kReceiptWait);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (!m_job || m_job->published)
            return;
        // Looked through the queue: it is not there (replayed before, or removed by someone).
        finish(reply(WriteReply::Outcome::Applied, 200, {},
                     {{QStringLiteral("published"), false},
                      {QStringLiteral("reason"),
                       QStringLiteral("message %1 is no longer in %2 (%3 messages looked at): replayed "
                                      "before, nothing sent")
                           .arg(m_job->letter.messageId, m_job->letter.deadLetterQueue)
                           .arg(m_job->seen)}}));
    });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_job)
            return;
        finish(reply(m_job->published ? WriteReply::Outcome::Applied : WriteReply::Outcome::Unavailable,
                     m_job->published ? 200 : 0,
                     m_job->published ? QString()
                                      : QStringLiteral("%1: the broker did not answer within %2 s")
                                            .arg(m_profile.name)
                                            .arg(kDeadline.count()),
                     {{QStringLiteral("published"), m_job->published}, {QStringLiteral("removed"), false}}));
    });
    connect(&m_receipt, &QTimer::timeout, this, [this] {
        if (m_job)
            finish(reply(WriteReply::Outcome::Applied, 200, {},
                         {{QStringLiteral("published"), true},
                          {QStringLiteral("routed"), true},
                          {QStringLiteral("removed"), QStringLiteral("acknowledged, receipt not seen")}}));
    });
    connect(m_management, &ConnectionClient::finished, this,
            [this](quint64, const HttpResult &result) { onPublished(result); });
}

BrokerRedrive::~BrokerRedrive() = default;

void BrokerRedrive::redrive(quint64 jobId, const WriteAction &action)
{
    Job job;
    job.id = jobId;
    job.action = action;
    m_queue.push_back(std::move(job));
    if (!m_job)
        startNext();
}

void BrokerRedrive::startNext()
{
    if (m_queue.empty())
        return;
    m_job = std::make_unique<Job>(std::move(m_queue.front()));
    m_queue.pop_front();
    auto letter = deadLetterFromEvent(m_job->action.body);
    if (!letter) {
        finish(reply(WriteReply::Outcome::Rejected, 0, letter.error()));
        return;
    }
    m_job->letter = letter.value();
    StompClient::Settings s;
    s.connection = m_profile.name + QStringLiteral(" (replay)");
    s.url = m_profile.url;
    s.login = m_profile.auth.user;
    s.passcode = m_profile.auth.secret;
    s.virtualHost = m_profile.rabbitmq.virtualHost.toUtf8();
    s.heartbeat = std::chrono::milliseconds(0);
    s.reconnects = false;
    m_stomp = new StompClient(s, this);
    connect(m_stomp, &StompClient::connected, this, [this] { m_idle.start(); });
    connect(m_stomp, &StompClient::messageReceived, this, &BrokerRedrive::onMessage);
    connect(m_stomp, &StompClient::receiptReceived, this, [this](const QByteArray &id) {
        if (m_job && id == "redrive-" + QByteArray::number(m_job->id))
            finish(reply(WriteReply::Outcome::Applied, 200, {},
                         {{QStringLiteral("published"), true},
                          {QStringLiteral("routed"), true},
                          {QStringLiteral("exchange"), m_job->letter.exchange},
                          {QStringLiteral("routing_key"), m_job->letter.routingKey},
                          {QStringLiteral("removed_from"), m_job->letter.deadLetterQueue}}));
    });
    connect(m_stomp, &StompClient::clientFailed, this, [this](const QString &why) {
        if (m_job && !m_job->published)
            finish(reply(WriteReply::Outcome::Unavailable, 0, why));
    });
    connect(m_stomp, &StompClient::disconnected, this, [this](const QString &why) {
        if (m_job && !m_job->published)
            finish(
                reply(WriteReply::Outcome::Unavailable, 0,
                      QStringLiteral("%1: the broker closed the connection (%2)").arg(m_profile.name, why)));
    });
    m_stomp->subscribe("redrive", "/amq/queue/" + m_job->letter.deadLetterQueue.toUtf8(),
                       {{"ack", "client-individual"}, {"prefetch-count", QByteArray::number(kPrefetch)}});
    m_deadline.start();
    m_stomp->open();
}

bool BrokerRedrive::matches(const StompFrame &frame) const
{
    const DeadLetter &l = m_job->letter;
    if (frame.body != l.payloadBytes())
        return false;
    if (l.messageId.startsWith(u"sha256:"))
        return true; // it had no message id: the payload is its identity
    return QString::fromUtf8(frame.header("amqp-message-id")) == l.messageId;
}

void BrokerRedrive::onMessage(const StompFrame &frame, quint64 session)
{
    if (!m_job || m_job->published || !m_job->heldAck.isEmpty())
        return; // held unacknowledged; goes back when the subscription closes
    ++m_job->seen;
    if (!matches(frame)) {
        m_idle.start();
        return;
    }
    m_idle.stop();
    m_job->heldAck = frame.header("ack");
    m_job->session = session;
    publish();
}

void BrokerRedrive::publish()
{
    const DeadLetter &l = m_job->letter;
    QJsonObject properties = l.properties;
    QJsonObject headers = properties.value(u"headers").toObject();
    headers.insert(QStringLiteral("x-sightline-replay-key"), m_job->action.idempotencyKey);
    headers.insert(QStringLiteral("x-sightline-redrive-of"), l.messageId);
    properties.insert(QStringLiteral("headers"), headers);
    HttpRequest request;
    request.method = "POST";
    // The default exchange is "amq.default" in the management API.
    request.url = QUrl(managementPath(QStringLiteral("exchanges"), l.virtualHost,
                                      l.exchange.isEmpty() ? QStringLiteral("amq.default") : l.exchange,
                                      QStringLiteral("publish")),
                       QUrl::StrictMode);
    request.body = json({{QStringLiteral("properties"), properties},
                         {QStringLiteral("routing_key"), l.routingKey},
                         {QStringLiteral("payload"), l.payload},
                         {QStringLiteral("payload_encoding"), l.payloadEncoding}});
    request.headers.emplaceBack(QByteArray("Content-Type"), QByteArray("application/json"));
    request.retry = false; // a publish is not idempotent: never sent twice by a retry
    m_management->send(m_job->id, request);
}

void BrokerRedrive::onPublished(const HttpResult &result)
{
    if (!m_job)
        return;
    const DeadLetter &l = m_job->letter;
    if (!result.ok()) {
        finish(writeReplyFrom(m_profile.name, result)); // the dead letter stays where it is
        return;
    }
    const bool routed = QJsonDocument::fromJson(result.body).object().value(u"routed").toBool();
    if (!routed) {
        finish(reply(WriteReply::Outcome::Rejected, result.status,
                     QStringLiteral("%1: the broker routed the message nowhere (no queue is bound to %2 for "
                                    "routing key '%3'); it stays in %4")
                         .arg(m_profile.name, l.exchange, l.routingKey, l.deadLetterQueue),
                     {{QStringLiteral("routed"), false}}));
        return;
    }
    m_job->published = true;
    qCInfo(lcConnectors) << m_profile.name << "replayed" << l.messageId << "to" << l.destination()
                         << "; removing it from" << l.deadLetterQueue;
    // Only now, with the broker holding the new copy, the dead-letter queue's copy goes.
    StompFrame ack("ACK", {{"id", m_job->heldAck}, {"receipt", "redrive-" + QByteArray::number(m_job->id)}});
    if (m_job->session != m_stomp->session() || !m_stomp->send(ack)) {
        finish(reply(WriteReply::Outcome::Applied, 200, {},
                     {{QStringLiteral("published"), true},
                      {QStringLiteral("routed"), true},
                      {QStringLiteral("removed"), false}}));
        return;
    }
    m_receipt.start();
}

void BrokerRedrive::finish(WriteReply r)
{
    m_idle.stop();
    m_deadline.stop();
    m_receipt.stop();
    if (!m_job)
        return;
    const quint64 id = m_job->id;
    if (!r.ok())
        qCInfo(lcConnectors) << m_profile.name << "replay" << id << "not applied:" << r.error;
    r.replayed = r.ok() && !m_job->published;
    m_job.reset();
    if (m_stomp) {
        m_stomp->disconnect(this);
        m_stomp->close(); // what was held unacknowledged goes back to the dead-letter queue
        m_stomp->deleteLater();
        m_stomp = nullptr;
    }
    Q_EMIT finished(id, r);
    startNext();
}

} // namespace sightline
