#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"
#include "models/result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>
#include <vector>

class QThread;

namespace sightline {

class Store;
class StoreReader;

// Runs every enabled connection of a profiles file, each on its own named thread
// ("sightline-connector-<name>") with its own QNetworkAccessManager, writing to one store.
// Used by the console and by `sightline-cli sync`. Health arrives by signal on the thread that
// owns the service.
class SyncService : public QObject
{
    Q_OBJECT
public:
    SyncService(Store &store, QList<ConnectionProfile> profiles, QString mappingDir,
                QObject *parent = nullptr);
    ~SyncService() override;

    // Retries, timeouts between attempts and the circuit breaker of REST calls; before start().
    void setHttpSettings(const HttpRunner::Settings &settings) { m_http = settings; }

    // Reads each connection's committed checkpoints and starts it.
    Status start();
    void stop();

    QList<ConnectionHealth> health() const { return m_health.values(); }

    // Queues every connection's health changed since the last call to the store (table
    // connection_status). Runs by itself every second while connections run, and from stop().
    void recordHealth();

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    void connectionFailed(const QString &connection, const QString &message);
    // A connection has read everything its source had when it started (a REST connection finished
    // a poll cycle; a feed reached the sequence its heartbeat announced), or stopped for good.
    void connectionCaughtUp(const QString &connection);
    // Every started connection has caught up at least once: what `sightline-cli sync --once` waits for.
    void allCaughtUp();

private:
    struct Running
    {
        QThread *thread = nullptr;
        QObject *connector = nullptr;
    };

    Status startFeed(const ConnectionProfile &profile, qint64 after);
    Status startRest(const ConnectionProfile &profile, StoreReader &reader);
    Status startTryton(const ConnectionProfile &profile, StoreReader &reader); // synctryton.cpp
    Status startRabbitMq(const ConnectionProfile &profile);
    QThread *connectorThread(const ConnectionProfile &profile);
    void caughtUp(const QString &connection);

    Store &m_store;
    QList<ConnectionProfile> m_profiles;
    QString m_mappingDir;
    std::vector<Running> m_running;
    QHash<QString, ConnectionHealth> m_health;
    QSet<QString> m_healthToRecord;
    QTimer m_recordTimer;
    HttpRunner::Settings m_http;
    QSet<QString> m_waitingToCatchUp;
    bool m_allCaughtUpSent = false;
};

} // namespace sightline
