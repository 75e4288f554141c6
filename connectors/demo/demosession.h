#pragma once

#include "connectors/demo/demosandbox.h"
#include "connectors/health/connectionhealth.h"

#include <QObject>
#include <memory>

namespace sightline {

class Store;
class SyncService;

// `sightline --demo`: starts the sandbox, points a feed connection at it, and syncs it into the
// store, so the console shows a living system. Health and failures arrive by signal.
class DemoSession : public QObject
{
    Q_OBJECT
public:
    // The sandbox's clock runs at real time by default so that the console's "now" (gaps, lag,
    // SLA ages) agrees with the simulated systems; a busy scenario keeps the demo moving.
    struct Options
    {
        int backfillDays = 3;
        int speed = 1; // simulated seconds per real second
        int ordersPerHour = 40;
        int purchaseOrdersPerHour = 12;
        quint32 seed = 42;
    };

    DemoSession(Store &store, Options options, QObject *parent = nullptr);
    ~DemoSession() override;

    void start();

    static QString connectionName() { return QStringLiteral("sandbox-feed"); }

Q_SIGNALS:
    void started(const QUrl &api, const QUrl &feed);
    void healthChanged(const sightline::ConnectionHealth &health);
    void demoFailed(const QString &message);

private:
    void onSandboxReady(const DemoSandbox::Endpoints &endpoints);

    Store &m_store;
    Options m_options;
    DemoSandbox m_sandbox;
    std::unique_ptr<SyncService> m_sync;
};

} // namespace sightline
