#include "connectors/sync/syncservice.h"

#include "connectors/connectorslog.h"
#include "connectors/feed/feedconnector.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QThread>

namespace sightline {

SyncService::SyncService(Store &store, QList<ConnectionProfile> profiles, QString mappingDir, QObject *parent)
    : QObject(parent), m_store(store), m_profiles(std::move(profiles)), m_mappingDir(std::move(mappingDir))
{
    qRegisterMetaType<sightline::ConnectionHealth>();
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
        if (!profile.enabled)
            continue;
        auto checkpoint = reader.value()->checkpoint(profile.name);
        if (!checkpoint)
            return Error{checkpoint.error()};
        const qint64 after = checkpoint->value_or(QStringLiteral("0")).toLongLong();
        Status started;
        if (profile.kind == ConnectionProfile::Kind::WebSocketFeed)
            started = startFeed(profile, after);
        else
            started = Error{QStringLiteral("connection '%1': REST polling is not available in this build yet")
                                .arg(profile.name)};
        if (!started) {
            qCWarning(lcConnectors) << started.error();
            Q_EMIT connectionFailed(profile.name, started.error());
        }
    }
    return {};
}

Status SyncService::startFeed(const ConnectionProfile &profile, qint64 after)
{
    FeedConnector::Settings settings;
    settings.connection = profile.name;
    settings.url = profile.url;
    settings.heartbeatTimeout = profile.heartbeatTimeout;
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("sightline-connector-") + profile.name);
    auto *feed = new FeedConnector(settings, m_store);
    feed->moveToThread(thread);
    connect(thread, &QThread::finished, feed, &QObject::deleteLater);
    connect(feed, &FeedConnector::healthChanged, this, [this](const ConnectionHealth &h) {
        m_health.insert(h.connection, h);
        Q_EMIT healthChanged(h);
    });
    connect(feed, &FeedConnector::feedFailed, this,
            [this, name = profile.name](const QString &message) { Q_EMIT connectionFailed(name, message); });
    thread->start();
    QMetaObject::invokeMethod(
        feed, [feed, after] { feed->start(after); }, Qt::QueuedConnection);
    m_running.push_back({thread, feed});
    return {};
}

void SyncService::stop()
{
    for (Running &r : m_running) {
        QObject *connector = r.connector;
        QMetaObject::invokeMethod(
            connector,
            [connector] {
                if (auto *feed = qobject_cast<FeedConnector *>(connector))
                    feed->stop();
            },
            Qt::BlockingQueuedConnection);
        r.thread->quit();
        r.thread->wait();
        delete r.thread;
    }
    m_running.clear();
}

} // namespace sightline
