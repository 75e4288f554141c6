#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace sightline {

class ConnectionClient;
class Store;
class StoreReader;
struct ParsedInput;

// Reads a RabbitMQ connection's dead-letter queues through the management API without taking
// anything off them (get with ackmode ack_requeue_true: each message goes back where it was) and
// stores each message as a message.dead_lettered event carrying its x-death history and raw
// payload; the exception engine makes a technical exception of it. Re-reading stores nothing new
// (the event's id is stable for the same death); a message that dies again makes a new event.
// Lives on the connection's thread, with its own QNetworkAccessManager.
class DeadLetterReader : public QObject
{
    Q_OBJECT
public:
    DeadLetterReader(const ConnectionProfile &profile, Store &store, HttpRunner::Settings http = {},
                     QObject *parent = nullptr);
    ~DeadLetterReader() override;

    // Reads now and then every dead_letter_poll_seconds.
    void start();
    void stop();
    // One pass over every queue; passFinished() follows.
    void readNow();

Q_SIGNALS:
    // A pass is committed: messages looked at, events new to the store.
    void passFinished(int messages, int stored);
    void readFailed(const QString &message);
    void healthChanged(const sightline::ConnectionHealth &health);

private:
    void readQueue(int index);
    void onAnswer(int index, const HttpResult &result);
    void finishPass();
    // Adds to the quarantine unless an entry of this connection at this position is kept already.
    void quarantineOnce(ParsedInput &parsed, const QString &position, const QString &error,
                        const QByteArray &raw, qint64 now);

    ConnectionProfile m_profile;
    Store &m_store;
    ConnectionClient *m_client;
    std::unique_ptr<StoreReader> m_reader; // on this thread: what the quarantine holds already
    QTimer m_timer;
    ConnectionHealth m_health;
    bool m_reading = false;
    bool m_again = false;
    bool m_passFailed = false;
    int m_passMessages = 0;
    int m_passStored = 0;
    quint64 m_nextJob = 1;
};

// A management API path: "queues/%2F/ops.dlq/get" for ("queues", "/", "ops.dlq", "get").
QString managementPath(const QString &collection, const QString &virtualHost, const QString &name,
                       const QString &action = {});

} // namespace sightline
