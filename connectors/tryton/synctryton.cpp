// SyncService's start of a Tryton connection: beside the Tryton connector, so that syncservice.cpp
// only names it.
#include "connectors/sync/syncservice.h"
#include "connectors/tryton/trytonpoller.h"
#include "connectors/tryton/trytonrecords.h"
#include "models/store/storereader.h"

#include <QThread>

namespace sightline {

tryton::ServerSettings tryton::serverSettingsOf(const ConnectionProfile &profile)
{
    tryton::ServerSettings s;
    s.connection = profile.name;
    s.url = profile.url;
    s.database = profile.trytonDatabase;
    s.user = profile.auth.user;
    s.password = profile.auth.secret;
    s.timeout = profile.timeout;
    return s;
}

Status SyncService::startTryton(const ConnectionProfile &profile, StoreReader &reader)
{
    QHash<QString, QString> positions;
    for (const tryton::PolledModel &m : tryton::polledModels()) {
        const QString key = tryton::Poller::checkpointKey(profile.name, m.model);
        auto checkpoint = reader.checkpoint(key);
        if (!checkpoint)
            return Error{checkpoint.error()};
        if (checkpoint.value())
            positions.insert(key, *checkpoint.value());
    }
    tryton::Poller::Settings settings;
    settings.server = tryton::serverSettingsOf(profile);
    settings.pollInterval = profile.pollInterval;
    settings.pageSize = profile.trytonPageSize;
    settings.models = profile.trytonModels;
    settings.http = m_http;
    QThread *thread = connectorThread(profile);
    auto *poller = new tryton::Poller(settings, m_store);
    poller->moveToThread(thread);
    connect(thread, &QThread::finished, poller, &QObject::deleteLater);
    connect(poller, &tryton::Poller::healthChanged, this, [this](const ConnectionHealth &h) {
        m_health.insert(h.connection, h);
        Q_EMIT healthChanged(h);
        if (h.state == ConnectionHealth::State::AuthenticationFailed)
            caughtUp(h.connection);
    });
    connect(poller, &tryton::Poller::pollFailed, this,
            [this, name = profile.name](const QString &message) { Q_EMIT connectionFailed(name, message); });
    connect(poller, &tryton::Poller::cycleFinished, this, [this, name = profile.name](int, bool clean) {
        if (clean)
            caughtUp(name);
    });
    thread->start();
    QMetaObject::invokeMethod(
        poller, [poller, positions] { poller->start(positions); }, Qt::QueuedConnection);
    m_running.push_back({thread, poller});
    return {};
}

} // namespace sightline
