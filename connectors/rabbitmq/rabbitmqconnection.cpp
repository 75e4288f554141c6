#include "connectors/rabbitmq/rabbitmqconnection.h"

#include "connectors/profile/sandboxprofiles.h"
#include "connectors/rabbitmq/deadletterreader.h"
#include "connectors/rabbitmq/rabbitmqfeed.h"

#include <QDir>
#include <QFileInfo>

namespace sightline {
namespace {

RabbitMqFeed::Settings feedSettings(const ConnectionProfile &p)
{
    RabbitMqFeed::Settings s;
    s.stomp.connection = p.name;
    s.stomp.url = p.url;
    s.stomp.login = p.auth.user;
    s.stomp.passcode = p.auth.secret;
    s.stomp.virtualHost = p.rabbitmq.virtualHost.toUtf8();
    s.stomp.heartbeat = std::chrono::duration_cast<std::chrono::milliseconds>(p.heartbeatTimeout) / 2;
    s.destination = p.rabbitmq.destination.toUtf8();
    s.queueName = p.rabbitmq.queueName.toUtf8();
    s.prefetch = p.rabbitmq.prefetch;
    return s;
}

} // namespace

RabbitMqConnection::RabbitMqConnection(ConnectionProfile profile, Store &store, HttpRunner::Settings http,
                                       QString mappingDir, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_mappingDir(std::move(mappingDir))
{
    m_feedHealth.connection = m_deadLetterHealth.connection = m_profile.name;
    if (!m_profile.rabbitmq.destination.isEmpty()) {
        m_feed = new RabbitMqFeed(feedSettings(m_profile), store, this);
        connect(m_feed, &RabbitMqFeed::healthChanged, this, [this](const ConnectionHealth &h) {
            m_feedHealth = h;
            publishHealth();
        });
        connect(m_feed, &RabbitMqFeed::feedFailed, this, &RabbitMqConnection::connectionFailed);
        connect(m_feed, &RabbitMqFeed::caughtUp, this, [this] { partCaughtUp(QStringLiteral("feed")); });
    }
    if (!m_profile.rabbitmq.deadLetterQueues.isEmpty()) {
        m_deadLetters = new DeadLetterReader(m_profile, store, http, this);
        connect(m_deadLetters, &DeadLetterReader::healthChanged, this, [this](const ConnectionHealth &h) {
            m_deadLetterHealth = h;
            publishHealth();
        });
        connect(m_deadLetters, &DeadLetterReader::readFailed, this, &RabbitMqConnection::connectionFailed);
        connect(m_deadLetters, &DeadLetterReader::passFinished, this,
                [this] { partCaughtUp(QStringLiteral("dead letters")); });
    }
}

RabbitMqConnection::~RabbitMqConnection() = default;

void RabbitMqConnection::start()
{
    m_waiting.clear();
    if (m_feed && !m_profile.rabbitmq.mappingFile.isEmpty()) {
        QString file = QDir(m_mappingDir).filePath(m_profile.rabbitmq.mappingFile);
        const QString builtIn = QDir(builtInMappingsDir()).filePath(m_profile.rabbitmq.mappingFile);
        if (!QFileInfo::exists(file) && QFileInfo::exists(builtIn))
            file = builtIn;
        auto mapping = Mapping::load(file);
        if (!mapping) {
            const QString why = QStringLiteral("connection '%1': %2").arg(m_profile.name, mapping.error());
            m_feedHealth.state = ConnectionHealth::State::Down;
            m_feedHealth.lastError = why;
            publishHealth();
            Q_EMIT connectionFailed(why);
            Q_EMIT caughtUp(); // it will not get further on its own
            return;
        }
        m_feed->setMapping(mapping.value());
    }
    if (m_feed) {
        m_waiting.insert(QStringLiteral("feed"));
        m_feed->start();
    }
    if (m_deadLetters) {
        m_waiting.insert(QStringLiteral("dead letters"));
        m_deadLetters->start();
    }
}

void RabbitMqConnection::stop()
{
    if (m_feed)
        m_feed->stop();
    if (m_deadLetters)
        m_deadLetters->stop();
}

void RabbitMqConnection::partCaughtUp(const QString &part)
{
    if (m_waiting.remove(part) && m_waiting.isEmpty())
        Q_EMIT caughtUp();
}

// One health for the connection: the feed's state and counts, with the dead-letter reader's
// requests, errors and events added; a failing reader degrades a connected feed.
void RabbitMqConnection::publishHealth()
{
    ConnectionHealth h = m_feed ? m_feedHealth : m_deadLetterHealth;
    if (m_feed && m_deadLetters) {
        h.requests += m_deadLetterHealth.requests;
        h.errors += m_deadLetterHealth.errors;
        h.events += m_deadLetterHealth.events;
        h.quarantined += m_deadLetterHealth.quarantined;
        h.lastSuccessMs = std::max(h.lastSuccessMs, m_deadLetterHealth.lastSuccessMs);
        const bool readerFailing = m_deadLetterHealth.state == ConnectionHealth::State::Degraded ||
                                   m_deadLetterHealth.state == ConnectionHealth::State::AuthenticationFailed;
        if (readerFailing && h.state == ConnectionHealth::State::Connected) {
            h.state = m_deadLetterHealth.state;
            h.lastError = m_deadLetterHealth.lastError;
        }
    }
    Q_EMIT healthChanged(h);
}

} // namespace sightline
