#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/profile/connectionprofile.h"
#include "models/result.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <vector>

class QThread;

namespace sightline {

class Store;

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

    // Reads each connection's committed checkpoint and starts it.
    Status start();
    void stop();

    QList<ConnectionHealth> health() const { return m_health.values(); }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    void connectionFailed(const QString &connection, const QString &message);

private:
    struct Running
    {
        QThread *thread = nullptr;
        QObject *connector = nullptr;
    };

    Status startFeed(const ConnectionProfile &profile, qint64 after);

    Store &m_store;
    QList<ConnectionProfile> m_profiles;
    QString m_mappingDir;
    std::vector<Running> m_running;
    QHash<QString, ConnectionHealth> m_health;
};

} // namespace sightline
