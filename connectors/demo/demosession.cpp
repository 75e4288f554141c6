#include "connectors/demo/demosession.h"

#include "connectors/sync/syncservice.h"
#include "models/store/store.h"

#include <QDateTime>

namespace sightline {
namespace {

QString startOfThisMinute()
{
    QDateTime now = QDateTime::currentDateTimeUtc();
    now.setTime(QTime(now.time().hour(), now.time().minute()));
    return now.toString(Qt::ISODate);
}

} // namespace

DemoSession::DemoSession(Store &store, Options options, QObject *parent)
    : QObject(parent), m_store(store), m_options(options)
{
    connect(&m_sandbox, &DemoSandbox::ready, this, &DemoSession::onSandboxReady);
    connect(&m_sandbox, &DemoSandbox::failed, this, &DemoSession::demoFailed);
}

DemoSession::~DemoSession()
{
    m_sync.reset(); // connectors stop before the sandbox does
    m_sandbox.stop();
}

void DemoSession::start()
{
    m_sandbox.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--feed-port"),
                     QStringLiteral("0"), QStringLiteral("--seed"), QString::number(m_options.seed),
                     QStringLiteral("--speed"), QString::number(m_options.speed),
                     QStringLiteral("--backfill-days"), QString::number(m_options.backfillDays),
                     QStringLiteral("--orders-per-hour"), QString::number(m_options.ordersPerHour),
                     QStringLiteral("--pos-per-hour"), QString::number(m_options.purchaseOrdersPerHour),
                     // the simulated clock starts at this minute, not at the hour: no built-in lag
                     QStringLiteral("--start"), startOfThisMinute()});
}

void DemoSession::onSandboxReady(const DemoSandbox::Endpoints &endpoints)
{
    ConnectionProfile feed;
    feed.name = connectionName();
    feed.kind = ConnectionProfile::Kind::WebSocketFeed;
    feed.url = endpoints.feed;
    m_sync = std::make_unique<SyncService>(m_store, QList<ConnectionProfile>{feed}, QString());
    connect(m_sync.get(), &SyncService::healthChanged, this, &DemoSession::healthChanged);
    connect(m_sync.get(), &SyncService::connectionFailed, this,
            [this](const QString &connection, const QString &message) {
                Q_EMIT demoFailed(tr("%1: %2").arg(connection, message));
            });
    if (Status s = m_sync->start(); !s) {
        Q_EMIT demoFailed(tr("The demo connection could not start: %1").arg(s.error()));
        return;
    }
    Q_EMIT started(endpoints.api, endpoints.feed);
}

} // namespace sightline
