#pragma once

#include "connectors/health/connectionhealth.h"
#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"
#include "models/ingest/cloudevents.h"
#include "models/mapping/mapping.h"
#include "models/store/ingestbatch.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <optional>

namespace sightline {

class ConnectionClient;
class Store;

// Where a REST resource's reading stands, as committed with the events it covers:
// the updated_since a cycle reads from, the cursor or page of the next page to read, and the
// newest change seen. Kept in the store as a small JSON text.
struct RestPosition
{
    QString updatedSince;
    QString cursor;
    int page = 0;
    QString newest;

    QString toText() const;
    static RestPosition fromText(const QString &text);
};

// Polls one REST connection: every interval it reads each resource from its committed position,
// page after page, maps the records with the resource's mapping file, and queues each page to the
// store as one batch whose checkpoint is the position after that page, so a crash re-reads rather
// than loses and the store drops the repeats. A body that is not JSON is quarantined with its
// error and the page read again; a record that does not map is quarantined with the mapping's
// reason. A 401 stops the connection as "authentication failed". Lives on a connector thread.
class RestPoller : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        ConnectionProfile profile;
        QString mappingDir; // where relative mapping file names are found
        HttpRunner::Settings http;
        int malformedPageRetries = 20; // then the resource waits for the next cycle
    };

    RestPoller(Settings settings, Store &store, QObject *parent = nullptr);
    ~RestPoller() override;

    // The key under which a resource's position is committed.
    static QString checkpointKey(const QString &connection, const RestResource &resource);

    // Loads the mapping files, then starts a cycle at once and one per poll interval after it.
    // positions: the committed checkpoint text of each resource, by checkpointKey().
    Status start(const QHash<QString, QString> &positions);
    void stop();

    const ConnectionHealth &health() const { return m_health; }
    int completedCycles() const { return m_cycles; }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    // Every resource was read to its end (or gave up) and what was read is committed. clean: no
    // resource gave up; after an unclean cycle the next one starts within a few seconds.
    void cycleFinished(int cycle, bool clean);
    void pollFailed(const QString &message);

private:
    struct Resource
    {
        RestResource spec;
        QString key;
        std::optional<Mapping> mapping;
        RestPosition committed; // as the store has it
        RestPosition reading;   // the page being read, queued or in flight
        int malformedInARow = 0;
    };
    struct PageRead
    {
        ParsedInput input;
        RestPosition next;
        bool last = false;
    };

    void beginCycle();
    void fetchPage();
    void onPage(quint64 jobId, const HttpResult &result);
    std::optional<PageRead> readPage(Resource &resource, const HttpResult &result, QString &error);
    void commit(PageRead page);
    void onCommitted(qsizetype resource, const RestPosition &position, qint64 events, qint64 quarantined,
                     const Result<IngestReport> &report);
    void advance();
    void quarantineBody(const Resource &resource, const HttpResult &result, const QString &error);
    void nextResource();
    void endCycle();
    void setState(ConnectionHealth::State state, const QString &error = {});

    Settings m_settings;
    Store &m_store;
    ConnectionClient *m_client = nullptr;
    QList<Resource> m_resources;
    QTimer m_pollTimer;
    qsizetype m_current = -1; // resource being read in this cycle; -1 between cycles
    quint64 m_job = 0;
    int m_pageNumber = 0; // pages read in this cycle, for positions in quarantine
    bool m_running = false;
    bool m_cycleHadErrors = false;
    bool m_commitPending = false;
    bool m_fetching = false;
    bool m_resourceDone = false;    // no more pages of the current resource in this cycle
    std::optional<PageRead> m_held; // read while the previous page commits
    qint64 m_cycleStartedMs = 0;
    int m_cycles = 0;
    ConnectionHealth m_health;
};

} // namespace sightline
