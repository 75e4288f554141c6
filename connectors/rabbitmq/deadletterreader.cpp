#include "connectors/rabbitmq/deadletterreader.h"

#include "connectors/connectorslog.h"
#include "connectors/http/connectionclient.h"
#include "connectors/rabbitmq/deadletter.h"
#include "models/domain/timestamp.h"
#include "models/ingest/cloudevents.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace sightline {
namespace {

// The management API, as a REST connection with the broker user's Basic credentials.
ConnectionProfile managementProfile(const ConnectionProfile &broker)
{
    ConnectionProfile p = broker;
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = broker.rabbitmq.managementUrl;
    return p;
}

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

QString managementPath(const QString &collection, const QString &virtualHost, const QString &name,
                       const QString &action)
{
    QString path = collection + u'/' + encoded(virtualHost) + u'/' + encoded(name);
    if (!action.isEmpty())
        path += u'/' + action;
    return path;
}

DeadLetterReader::DeadLetterReader(const ConnectionProfile &profile, Store &store, HttpRunner::Settings http,
                                   QObject *parent)
    : QObject(parent), m_profile(profile), m_store(store),
      m_client(new ConnectionClient(managementProfile(profile), http, this))
{
    m_health.connection = profile.name;
    m_timer.setParent(this);
    m_timer.setInterval(std::chrono::milliseconds(profile.rabbitmq.deadLetterPollInterval));
    connect(&m_timer, &QTimer::timeout, this, &DeadLetterReader::readNow);
    connect(m_client, &ConnectionClient::finished, this,
            [this](quint64 job, const HttpResult &result) { onAnswer(int(job >> 32), result); });
}

DeadLetterReader::~DeadLetterReader() = default;

void DeadLetterReader::start()
{
    readNow();
    m_timer.start();
}

void DeadLetterReader::stop()
{
    m_timer.stop();
}

void DeadLetterReader::readNow()
{
    if (m_reading) {
        m_again = true;
        return;
    }
    m_reading = true;
    m_passMessages = m_passStored = 0;
    m_passFailed = false;
    readQueue(0);
}

void DeadLetterReader::readQueue(int index)
{
    const QStringList &queues = m_profile.rabbitmq.deadLetterQueues;
    if (index >= queues.size()) {
        finishPass();
        return;
    }
    HttpRequest request;
    request.method = "POST";
    request.url = QUrl(managementPath(QStringLiteral("queues"), m_profile.rabbitmq.virtualHost, queues[index],
                                      QStringLiteral("get")),
                       QUrl::StrictMode);
    // ack_requeue_true: every message read goes back to the queue, in its place. Nothing is taken.
    request.body = QJsonDocument(QJsonObject{{QStringLiteral("count"), m_profile.rabbitmq.deadLetterBatch},
                                             {QStringLiteral("ackmode"), QStringLiteral("ack_requeue_true")},
                                             {QStringLiteral("encoding"), QStringLiteral("auto")}})
                       .toJson(QJsonDocument::Compact);
    request.headers.emplaceBack(QByteArray("Content-Type"), QByteArray("application/json"));
    ++m_health.requests;
    m_client->send((quint64(index) << 32) | (m_nextJob++ & 0xffffffffu), request);
}

void DeadLetterReader::onAnswer(int index, const HttpResult &result)
{
    const QString queue = m_profile.rabbitmq.deadLetterQueues.value(index);
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    if (!result.ok() || !doc.isArray()) {
        const QString why =
            QStringLiteral("%1: dead-letter queue %2 cannot be read: %3")
                .arg(m_profile.name, queue,
                     result.ok() ? QStringLiteral("the answer is not a list of messages") : result.error);
        ++m_health.errors;
        m_passFailed = true;
        m_health.state = result.outcome == AttemptOutcome::AuthenticationFailed
                             ? ConnectionHealth::State::AuthenticationFailed
                             : ConnectionHealth::State::Degraded;
        m_health.lastError = why;
        Q_EMIT healthChanged(m_health);
        Q_EMIT readFailed(why);
        readQueue(index + 1);
        return;
    }
    ParsedInput parsed;
    const CloudEventReader reader(m_profile.name);
    const qint64 now = nowMs();
    const QJsonArray messages = doc.array();
    for (int i = 0; i < messages.size(); ++i) {
        QString position = QStringLiteral("dead-letter queue %1, message %2").arg(queue).arg(i + 1);
        auto letter = deadLetterFromManagement(messages[i].toObject(), m_profile.name,
                                               m_profile.rabbitmq.virtualHost, queue);
        if (!letter) {
            quarantineOnce(parsed, position, letter.error(),
                           QJsonDocument(messages[i].toObject()).toJson(QJsonDocument::Compact), now);
            continue;
        }
        const QByteArray event = deadLetterEvent(letter.value());
        const qsizetype before = parsed.events.size();
        reader.readEvent(event, position, now, parsed);
        if (parsed.events.size() > before && !parsed.events.constLast().document) {
            // No document, no trace, no exception: kept in the quarantine instead, which the
            // exception engine shows, with the death reason. Once per death.
            parsed.events.removeLast();
            position =
                QStringLiteral("dead-letter queue %1, message %2, %3")
                    .arg(queue, letter->messageId)
                    .arg(letter->deathCount == 1 ? QStringLiteral("1 death")
                                                 : QStringLiteral("%1 deaths").arg(letter->deathCount));
            quarantineOnce(
                parsed, position,
                QStringLiteral("dead-lettered: %1, sent to %2; its payload names no document, so it "
                               "belongs to no trace (replay it from the broker)")
                    .arg(letter->reasonText(), letter->destination()),
                event, now);
        }
    }
    m_passMessages += int(messages.size());
    IngestBatch batch;
    batch.events = std::move(parsed.events);
    batch.quarantined = std::move(parsed.quarantined);
    if (batch.isEmpty()) {
        readQueue(index + 1);
        return;
    }
    m_store.ingest(std::move(batch), this, [this, index](Result<IngestReport> r) {
        if (!r) {
            ++m_health.errors;
            m_passFailed = true;
            m_health.lastError = r.error();
            Q_EMIT readFailed(r.error());
        } else {
            m_passStored += int(r->accepted);
            m_health.events += r->accepted;
            m_health.quarantined += r->quarantined;
            m_health.lastSuccessMs = nowMs();
        }
        readQueue(index + 1);
    });
}

void DeadLetterReader::quarantineOnce(ParsedInput &parsed, const QString &position, const QString &error,
                                      const QByteArray &raw, qint64 now)
{
    if (!m_reader) {
        auto opened = StoreReader::open(m_store.path());
        if (!opened) {
            qCWarning(lcConnectors) << m_profile.name
                                    << "dead letters: the store cannot be read:" << opened.error();
            return;
        }
        m_reader = std::move(opened).value();
    }
    QSqlQuery q(m_reader->database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM quarantine WHERE origin = ? AND position = ?"));
    q.addBindValue(m_profile.name);
    q.addBindValue(position);
    if (!q.exec() || !q.next() || q.value(0).toLongLong() > 0)
        return; // kept already (or unreadable: the next pass tries again)
    parsed.quarantined.append(QuarantinedInput{m_profile.name, position, error, raw, now});
}

void DeadLetterReader::finishPass()
{
    m_reading = false;
    if (!m_passFailed) {
        m_health.state = ConnectionHealth::State::Connected;
        m_health.lastSuccessMs = nowMs();
    }
    Q_EMIT healthChanged(m_health);
    qCDebug(lcConnectors) << m_profile.name << "dead letters: looked at" << m_passMessages << "stored"
                          << m_passStored;
    Q_EMIT passFinished(m_passMessages, m_passStored);
    if (std::exchange(m_again, false))
        readNow();
}

} // namespace sightline
