#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/profile/connectionprofile.h"
#include "connectors/tryton/trytonclient.h"
#include "models/ingest/cloudevents.h"
#include "models/result.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace sightline {

class Store;

namespace tryton {

// Where the polling of one model stands, committed with the events it covers: the write date a
// cycle reads from (records written, or created and never written, at or after it), the offset of
// the next page in that cycle, and the newest change seen with the records changed at that instant
// (so that the next cycle, reading from it inclusive, leaves them out). Kept in the store as a
// small JSON text.
struct ModelPosition
{
    QString since;             // ISO with microseconds; empty: from the beginning
    QList<qint64> readAtSince; // records changed at since that were read already
    int offset = 0;
    QString newest;
    QList<qint64> newestIds; // records changed at newest

    QString toText() const;
    static ModelPosition fromText(const QString &text);
};

// Polls one Tryton server: every interval it reads each polled model (tryton::polledModels())
// changed since its committed position with search_read, page by page in id order, maps the
// records (tryton::mapRecords) and queues each page to the store as one batch whose checkpoint
// is the position after that page. Lives on its connector thread; the client's login, re-login
// and error layers are tryton::Client's. An authentication failure stops it.
class Poller : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        ServerSettings server;
        std::chrono::milliseconds pollInterval{30'000};
        int pageSize = 200;
        QStringList models; // the polled models to read; empty: all of them
        HttpRunner::Settings http;
    };

    Poller(Settings settings, Store &store, QObject *parent = nullptr);
    ~Poller() override;

    static QString checkpointKey(const QString &connection, const QString &model);

    // positions: committed checkpoint texts by checkpointKey(). Starts a cycle at once.
    void start(const QHash<QString, QString> &positions);
    void stop();
    const ConnectionHealth &health() const { return m_health; }
    Client &client() { return *m_client; }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    void cycleFinished(int cycle, bool clean);
    void pollFailed(const QString &message);

private:
    struct Model
    {
        QString name;
        QStringList fields;
        QString key;
        ModelPosition committed;
    };

    void beginCycle();
    void fetch();
    void onReply(quint64 job, const Reply &reply);
    void commit(ParsedInput input, const ModelPosition &next, bool last, int records);
    void nextModel();
    void endCycle();
    void fail(const Reply &reply);
    void setState(ConnectionHealth::State state, const QString &error = {});

    Settings m_settings;
    Store &m_store;
    Client *m_client;
    QList<Model> m_models;
    QTimer m_pollTimer;
    qsizetype m_current = -1;
    quint64 m_job = 0;
    bool m_running = false;
    bool m_cycleHadErrors = false;
    qint64 m_cycleStartedMs = 0;
    int m_cycles = 0;
    int m_page = 0;
    ConnectionHealth m_health;
};

// A tryton profile's server, database and login (synctryton.cpp).
ServerSettings serverSettingsOf(const ConnectionProfile &profile);

} // namespace tryton
} // namespace sightline
