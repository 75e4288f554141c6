#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/rabbitmq/stompclient.h"
#include "models/ingest/cloudevents.h"
#include "models/mapping/mapping.h"

#include <QObject>
#include <QTimer>
#include <chrono>

namespace sightline {

class Store;

// Consumes live events from RabbitMQ over STOMP (a queue, or an exchange and routing key) with
// client-individual acknowledgments. Each MESSAGE body is read as a CloudEvent; what does not read
// is quarantined with its raw bytes. A message is ACKed only after the store has committed the
// batch that holds it (or its quarantine entry): a crash before the commit leaves it unacknowledged
// and the broker delivers it again; a crash between commit and ACK delivers it again too, and the
// store counts the repeat by (source, id) instead of storing it twice. Lives on a connector thread.
class RabbitMqFeed : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        StompClient::Settings stomp;
        QByteArray destination; // /amq/queue/<q>, /queue/<q>, /exchange/<x>/<routing key>
        QByteArray queueName;   // for /exchange: a named durable queue that outlives the connection
        int prefetch = 200;
        int batchEvents = 200;
        std::chrono::milliseconds batchDelay{50};
        std::chrono::milliseconds idleForCaughtUp{750}; // no message for this long after subscribing
    };

    RabbitMqFeed(Settings settings, Store &store, QObject *parent = nullptr);
    ~RabbitMqFeed() override;

    // Bodies are then mapped by this mapping file instead of read as CloudEvents; before start().
    void setMapping(const Mapping &mapping) { m_mapping = mapping; }
    void start();
    // Commits what is buffered, ACKs it, then disconnects (unacknowledged messages go back).
    void stop();
    // Drops the connection at once, buffered messages uncommitted and unacknowledged (a crash).
    void abort();

    const ConnectionHealth &health() const { return m_health; }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    void feedFailed(const QString &message);
    // Nothing was waiting on the subscription for a moment after it started (once per start).
    void caughtUp();
    // A batch was committed and its messages ACKed (count of messages).
    void acknowledged(int messages);

private:
    struct Pending
    {
        QByteArray ackId;
        quint64 session = 0;
    };

    void onConnected();
    void onMessage(const StompFrame &frame, quint64 session);
    void flush();
    void setState(ConnectionHealth::State state, const QString &error = {});

    Settings m_settings;
    Store &m_store;
    CloudEventReader m_reader;
    std::optional<Mapping> m_mapping;
    StompClient *m_client;
    ParsedInput m_buffer;
    QList<Pending> m_pending;
    QTimer m_flushTimer;
    QTimer m_idleTimer;
    bool m_caughtUpSent = false;
    qint64 m_inFlight = 0;
    ConnectionHealth m_health;
};

} // namespace sightline
