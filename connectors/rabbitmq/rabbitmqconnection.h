#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"

#include <QObject>
#include <QSet>

namespace sightline {

class Store;
class RabbitMqFeed;
class DeadLetterReader;

// One "rabbitmq" connection profile at work on its connector thread: the live feed over STOMP
// (when the profile names a destination) and the dead-letter reader over the management API
// (when it names dead-letter queues), with one health for both.
class RabbitMqConnection : public QObject
{
    Q_OBJECT
public:
    // mappingDir: where a profile's relative mapping file is looked up (then the built-in ones).
    RabbitMqConnection(ConnectionProfile profile, Store &store, HttpRunner::Settings http = {},
                       QString mappingDir = {}, QObject *parent = nullptr);
    ~RabbitMqConnection() override;

    void start();
    void stop();

    RabbitMqFeed *feed() const { return m_feed; }
    DeadLetterReader *deadLetters() const { return m_deadLetters; }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    void connectionFailed(const QString &message);
    // The feed found nothing more waiting and the dead-letter queues were read once.
    void caughtUp();

private:
    void partCaughtUp(const QString &part);
    void publishHealth();

    ConnectionProfile m_profile;
    QString m_mappingDir;
    RabbitMqFeed *m_feed = nullptr;
    DeadLetterReader *m_deadLetters = nullptr;
    ConnectionHealth m_feedHealth;
    ConnectionHealth m_deadLetterHealth;
    QSet<QString> m_waiting;
};

} // namespace sightline
