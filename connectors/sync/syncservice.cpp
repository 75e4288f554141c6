#include "connectors/sync/syncservice.h"

#include "connectors/connectorslog.h"
#include "connectors/feed/feedconnector.h"
#include "connectors/rabbitmq/rabbitmqconnection.h"
#include "connectors/rest/restpoller.h"
#include "connectors/tryton/trytonpoller.h"
#include "models/domain/timestamp.h"
#include "models/store/connectionstatus.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QThread>

namespace sightline {

SyncService::SyncService(Store &store, QList<ConnectionProfile> profiles, QString mappingDir, QObject *parent)
    : QObject(parent), m_store(store), m_profiles(std::move(profiles)), m_mappingDir(std::move(mappingDir))
{
    qRegisterMetaType<sightline::ConnectionHealth>();
    m_recordTimer.setInterval(1000);
    connect(&m_recordTimer, &QTimer::timeout, this, &SyncService::recordHealth);
    connect(this, &SyncService::healthChanged, this,
            [this](const ConnectionHealth &h) { m_healthToRecord.insert(h.connection); });
}

SyncService::~SyncService()
{
    stop();
}

Status SyncService::start()
{
    auto reader = StoreReader::open(m_store.path());
    if (!reader)
        return Error{reader.error()};
    for (const ConnectionProfile &profile : std::as_const(m_profiles)) {
        if (profile.enabled)
            m_waitingToCatchUp.insert(profile.name);
    }
    for (const ConnectionProfile &profile : std::as_const(m_profiles)) {
        if (!profile.enabled)
            continue;
        Status started;
        if (profile.kind == ConnectionProfile::Kind::WebSocketFeed) {
            auto checkpoint = reader.value()->checkpoint(profile.name);
            if (!checkpoint)
                return Error{checkpoint.error()};
            started = startFeed(profile, checkpoint->value_or(QStringLiteral("0")).toLongLong());
        } else if (profile.kind == ConnectionProfile::Kind::Tryton) {
            started = startTryton(profile, *reader.value());
        } else if (profile.kind == ConnectionProfile::Kind::RabbitMq) {
            started = startRabbitMq(profile);
        } else {
            started = startRest(profile, *reader.value());
        }
        if (!started) {
            qCWarning(lcConnectors) << started.error();
            Q_EMIT connectionFailed(profile.name, started.error());
            caughtUp(profile.name); // it will not get further on its own
        }
    }
    m_recordTimer.start();
    return {};
}

void SyncService::recordHealth()
{
    if (m_healthToRecord.isEmpty())
        return;
    QList<ConnectionStatusRow> rows;
    const qint64 now = nowMs();
    for (const QString &name : std::as_const(m_healthToRecord)) {
        const ConnectionHealth h = m_health.value(name);
        rows.append({h.connection, healthStateKey(h.state), h.lastError, h.lastSuccessMs, h.lagMs, h.requests,
                     h.errors, h.retries, h.events, h.quarantined, now});
    }
    m_healthToRecord.clear();
    IngestBatch batch;
    batch.writes.push_back(connectionStatusWrite(std::move(rows)));
    m_store.ingest(std::move(batch), this, [this](Result<IngestReport> r) {
        if (!r)
            qCWarning(lcConnectors) << "connection health not recorded:" << r.error();
    });
}

QThread *SyncService::connectorThread(const ConnectionProfile &profile)
{
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("sightline-connector-") + profile.name);
    return thread;
}

Status SyncService::startFeed(const ConnectionProfile &profile, qint64 after)
{
    FeedConnector::Settings settings;
    settings.connection = profile.name;
    settings.url = profile.url;
    settings.heartbeatTimeout = profile.heartbeatTimeout;
    QThread *thread = connectorThread(profile);
    auto *feed = new FeedConnector(settings, m_store);
    feed->moveToThread(thread);
    connect(thread, &QThread::finished, feed, &QObject::deleteLater);
    connect(feed, &FeedConnector::healthChanged, this, [this](const ConnectionHealth &h) {
        m_health.insert(h.connection, h);
        Q_EMIT healthChanged(h);
    });
    connect(feed, &FeedConnector::feedFailed, this,
            [this, name = profile.name](const QString &message) { Q_EMIT connectionFailed(name, message); });
    connect(feed, &FeedConnector::caughtUp, this, [this, name = profile.name] { caughtUp(name); });
    thread->start();
    QMetaObject::invokeMethod(
        feed, [feed, after] { feed->start(after); }, Qt::QueuedConnection);
    m_running.push_back({thread, feed});
    return {};
}

Status SyncService::startRest(const ConnectionProfile &profile, StoreReader &reader)
{
    QHash<QString, QString> positions;
    for (const RestResource &resource : profile.resources) {
        const QString key = RestPoller::checkpointKey(profile.name, resource);
        auto checkpoint = reader.checkpoint(key);
        if (!checkpoint)
            return Error{checkpoint.error()};
        if (checkpoint.value())
            positions.insert(key, *checkpoint.value());
    }
    RestPoller::Settings settings;
    settings.profile = profile;
    settings.mappingDir = m_mappingDir;
    settings.http = m_http;
    QThread *thread = connectorThread(profile);
    auto *poller = new RestPoller(settings, m_store);
    poller->moveToThread(thread);
    connect(thread, &QThread::finished, poller, &QObject::deleteLater);
    connect(poller, &RestPoller::healthChanged, this, [this](const ConnectionHealth &h) {
        m_health.insert(h.connection, h);
        Q_EMIT healthChanged(h);
        if (h.state == ConnectionHealth::State::AuthenticationFailed)
            caughtUp(h.connection); // stopped until its credentials change
    });
    connect(poller, &RestPoller::pollFailed, this,
            [this, name = profile.name](const QString &message) { Q_EMIT connectionFailed(name, message); });
    connect(poller, &RestPoller::cycleFinished, this, [this, name = profile.name](int, bool clean) {
        if (clean)
            caughtUp(name);
    });
    thread->start();
    QMetaObject::invokeMethod(
        poller,
        [this, poller, positions, name = profile.name] {
            if (const Status s = poller->start(positions); !s)
                QMetaObject::invokeMethod(
                    this,
                    [this, name, message = s.error()] {
                        Q_EMIT connectionFailed(name, message);
                        caughtUp(name);
                    },
                    Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    m_running.push_back({thread, poller});
    return {};
}

Status SyncService::startRabbitMq(const ConnectionProfile &profile)
{
    QThread *thread = connectorThread(profile);
    auto *broker = new RabbitMqConnection(profile, m_store, m_http, m_mappingDir);
    broker->moveToThread(thread);
    connect(thread, &QThread::finished, broker, &QObject::deleteLater);
    connect(broker, &RabbitMqConnection::healthChanged, this, [this](const ConnectionHealth &h) {
        m_health.insert(h.connection, h);
        Q_EMIT healthChanged(h);
    });
    connect(broker, &RabbitMqConnection::connectionFailed, this,
            [this, name = profile.name](const QString &message) { Q_EMIT connectionFailed(name, message); });
    connect(broker, &RabbitMqConnection::caughtUp, this, [this, name = profile.name] { caughtUp(name); });
    thread->start();
    QMetaObject::invokeMethod(
        broker, [broker] { broker->start(); }, Qt::QueuedConnection);
    m_running.push_back({thread, broker});
    return {};
}

void SyncService::caughtUp(const QString &connection)
{
    Q_EMIT connectionCaughtUp(connection);
    m_waitingToCatchUp.remove(connection);
    if (m_waitingToCatchUp.isEmpty() && !m_allCaughtUpSent) {
        m_allCaughtUpSent = true;
        Q_EMIT allCaughtUp();
    }
}

void SyncService::stop()
{
    m_recordTimer.stop();
    for (Running &r : m_running) {
        QObject *connector = r.connector;
        QMetaObject::invokeMethod(
            connector,
            [connector] {
                if (auto *feed = qobject_cast<FeedConnector *>(connector))
                    feed->stop();
                else if (auto *broker = qobject_cast<RabbitMqConnection *>(connector))
                    broker->stop();
                else if (auto *poller = qobject_cast<RestPoller *>(connector))
                    poller->stop();
                else if (auto *tryton = qobject_cast<tryton::Poller *>(connector))
                    tryton->stop();
            },
            Qt::BlockingQueuedConnection);
        r.thread->quit();
        r.thread->wait();
        delete r.thread;
    }
    m_running.clear();
    recordHealth(); // the last word of each connection, queued before the store closes
}

} // namespace sightline
