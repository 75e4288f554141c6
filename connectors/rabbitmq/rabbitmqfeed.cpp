#include "connectors/rabbitmq/rabbitmqfeed.h"

#include "connectors/connectorslog.h"
#include "models/domain/timestamp.h"
#include "models/store/store.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sightline {
namespace {

// Where a message came from, for the quarantine and the logs.
QString positionOf(const StompFrame &frame)
{
    QByteArray id = frame.header("amqp-message-id");
    if (id.isEmpty())
        id = frame.header("message-id");
    return QStringLiteral("message %1 from %2%3")
        .arg(QString::fromUtf8(id), QString::fromUtf8(frame.header("destination")),
             frame.header("redelivered") == "true" ? QStringLiteral(" (redelivered)") : QString());
}

// A message Sightline sent back from a dead-letter queue (BrokerRedrive marks it) arriving again:
// a message.replayed event for the same message id and document, which resolves the exception.
QByteArray replayedEvent(const StompFrame &frame, const QString &connection)
{
    const QJsonObject body = QJsonDocument::fromJson(frame.body).object();
    QJsonObject data{
        {QStringLiteral("message_id"), QString::fromUtf8(frame.header("x-sightline-redrive-of"))},
        {QStringLiteral("destination"), QString::fromUtf8(frame.header("destination"))},
        {QStringLiteral("system"), QStringLiteral("broker")},
        {QStringLiteral("status"), QStringLiteral("replayed")}};
    const QJsonObject payloadData = body.value(QStringLiteral("data")).toObject();
    if (payloadData.contains(QStringLiteral("document")))
        data.insert(QStringLiteral("document"), payloadData.value(QStringLiteral("document")));
    const QJsonObject event{
        {QStringLiteral("specversion"), QStringLiteral("1.0")},
        {QStringLiteral("id"),
         QString(QStringLiteral("replayed:") + QString::fromUtf8(frame.header("x-sightline-replay-key")))},
        {QStringLiteral("source"), QString(QStringLiteral("rabbitmq/") + connection)},
        {QStringLiteral("type"), QStringLiteral("message.replayed")},
        {QStringLiteral("data"), data}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace

RabbitMqFeed::RabbitMqFeed(Settings settings, Store &store, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_store(store), m_reader(m_settings.stomp.connection),
      m_client(new StompClient(m_settings.stomp, this))
{
    m_health.connection = m_settings.stomp.connection;
    for (QTimer *timer : {&m_flushTimer, &m_idleTimer})
        timer->setParent(this);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(m_settings.batchDelay);
    connect(&m_flushTimer, &QTimer::timeout, this, &RabbitMqFeed::flush);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_settings.idleForCaughtUp);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_caughtUpSent || m_inFlight > 0 || !m_pending.isEmpty()) {
            if (!m_caughtUpSent)
                m_idleTimer.start();
            return;
        }
        m_caughtUpSent = true;
        Q_EMIT caughtUp();
    });
    connect(m_client, &StompClient::connected, this, &RabbitMqFeed::onConnected);
    connect(m_client, &StompClient::messageReceived, this, &RabbitMqFeed::onMessage);
    connect(m_client, &StompClient::clientFailed, this, [this](const QString &why) {
        ++m_health.errors;
        const bool refused = !m_client->isConnected();
        setState(refused ? ConnectionHealth::State::AuthenticationFailed : ConnectionHealth::State::Degraded,
                 why);
        Q_EMIT feedFailed(why);
        if (refused && !m_caughtUpSent) {
            m_caughtUpSent = true;
            Q_EMIT caughtUp(); // it will not get further on its own
        }
    });
    connect(m_client, &StompClient::disconnected, this, [this](const QString &why) {
        // Messages not yet committed stay unacknowledged: the broker delivers them again.
        ++m_health.errors;
        ++m_health.retries;
        setState(ConnectionHealth::State::Down, QStringLiteral("broker connection closed (%1)").arg(why));
    });
}

RabbitMqFeed::~RabbitMqFeed() = default;

void RabbitMqFeed::start()
{
    m_caughtUpSent = false;
    QList<std::pair<QByteArray, QByteArray>> headers{
        {"ack", "client-individual"}, {"prefetch-count", QByteArray::number(m_settings.prefetch)}};
    if (!m_settings.queueName.isEmpty()) // a durable named queue for an /exchange destination
        headers.append(
            {{"x-queue-name", m_settings.queueName}, {"durable", "true"}, {"auto-delete", "false"}});
    m_client->subscribe("sightline-0", m_settings.destination, headers);
    ++m_health.requests;
    m_client->open();
}

void RabbitMqFeed::stop()
{
    m_flushTimer.stop();
    m_idleTimer.stop();
    if (!m_buffer.events.isEmpty() || !m_buffer.quarantined.isEmpty()) {
        // Commit and acknowledge what is buffered before leaving (waits: this is the end).
        IngestBatch batch;
        batch.events = std::move(m_buffer.events);
        batch.quarantined = std::move(m_buffer.quarantined);
        m_buffer = {};
        const QList<Pending> acks = std::exchange(m_pending, {});
        if (m_store.ingestAndWait(std::move(batch))) {
            for (const Pending &p : acks)
                m_client->ack(p.ackId, p.session);
        }
    }
    m_client->close();
}

void RabbitMqFeed::abort()
{
    m_flushTimer.stop();
    m_idleTimer.stop();
    m_buffer = {};
    m_pending.clear();
    m_client->abort();
}

void RabbitMqFeed::onConnected()
{
    m_health.lastSuccessMs = nowMs();
    setState(ConnectionHealth::State::Connected);
    if (!m_caughtUpSent)
        m_idleTimer.start();
}

void RabbitMqFeed::onMessage(const StompFrame &frame, quint64 session)
{
    const qint64 now = nowMs();
    const qsizetype before = m_buffer.events.size();
    // A body that is not a valid CloudEvent (or does not map) is quarantined, raw and all.
    if (m_mapping)
        m_mapping->map(frame.body, m_settings.stomp.connection, positionOf(frame), now, m_buffer);
    else
        m_reader.readEvent(frame.body, positionOf(frame), now, m_buffer);
    if (frame.hasHeader("x-sightline-redrive-of") && frame.hasHeader("x-sightline-replay-key"))
        m_reader.readEvent(replayedEvent(frame, m_settings.stomp.connection), positionOf(frame), now,
                           m_buffer);
    if (m_buffer.events.size() > before)
        m_health.lagMs = std::max<qint64>(0, now - m_buffer.events.constLast().occurredMs);
    m_pending.append({frame.header("ack"), session});
    if (!m_caughtUpSent)
        m_idleTimer.start();
    if (m_pending.size() >= m_settings.batchEvents)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RabbitMqFeed::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    IngestBatch batch;
    batch.events = std::move(m_buffer.events);
    batch.quarantined = std::move(m_buffer.quarantined);
    m_buffer = {};
    const qint64 events = batch.events.size();
    const qint64 quarantined = batch.quarantined.size();
    QList<Pending> acks = std::exchange(m_pending, {});
    ++m_inFlight;
    m_store.ingest(std::move(batch), this, [this, acks, events, quarantined](Result<IngestReport> r) {
        --m_inFlight;
        if (!r) {
            // Not stored: not acknowledged either. The broker delivers them again after a reconnect.
            ++m_health.errors;
            setState(ConnectionHealth::State::Degraded, r.error());
            Q_EMIT feedFailed(r.error());
            m_client->abort();
            m_client->open();
            return;
        }
        int acked = 0;
        for (const Pending &p : acks)
            acked += m_client->ack(p.ackId, p.session) ? 1 : 0;
        m_health.events += events;
        m_health.quarantined += quarantined;
        m_health.lastSuccessMs = nowMs();
        Q_EMIT healthChanged(m_health);
        Q_EMIT acknowledged(acked);
    });
}

void RabbitMqFeed::setState(ConnectionHealth::State state, const QString &error)
{
    m_health.state = state;
    if (!error.isEmpty())
        m_health.lastError = error;
    Q_EMIT healthChanged(m_health);
}

} // namespace sightline
