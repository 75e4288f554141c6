// The health table under QAbstractItemModelTester, fed by hand and by a SyncService running a
// REST connection and a feed against the sandbox.
#include "connectors/health/connectionhealthmodel.h"
#include "connectors/sync/syncservice.h"
#include "models/store/store.h"
#include "sandboxfixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sandboxfixture;

class TestConnectionHealthModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowUpdates()
    {
        ConnectionHealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(ConnectionHealthModel::ColumnCount));
        ConnectionHealth erp;
        erp.connection = QStringLiteral("erp");
        erp.state = ConnectionHealth::State::Degraded;
        erp.lastError = QStringLiteral("HTTP 503");
        erp.requests = 12;
        erp.lagMs = 125'000;
        model.update(erp);
        ConnectionHealth feed;
        feed.connection = QStringLiteral("feed");
        model.update(feed);
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        erp.state = ConnectionHealth::State::AuthenticationFailed;
        erp.errors = 3;
        model.update(erp);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(changed.size(), 1);
        const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(cell(0, ConnectionHealthModel::State).toString(), QStringLiteral("authentication failed"));
        QCOMPARE(cell(0, ConnectionHealthModel::State, Qt::UserRole).toInt(),
                 int(ConnectionHealth::State::AuthenticationFailed));
        QCOMPARE(cell(0, ConnectionHealthModel::Errors).toLongLong(), 3);
        QCOMPARE(cell(0, ConnectionHealthModel::Lag).toString(), QStringLiteral("2 min"));
        QCOMPARE(cell(0, ConnectionHealthModel::Lag, Qt::UserRole).toLongLong(), 125'000);
        QCOMPARE(cell(0, ConnectionHealthModel::Requests, Qt::ToolTipRole).toString(),
                 QStringLiteral("HTTP 503"));
        QCOMPARE(cell(1, ConnectionHealthModel::LastSuccess).toString(), QStringLiteral("never"));
        QCOMPARE(model.headerData(ConnectionHealthModel::Retries, Qt::Horizontal).toString(),
                 QStringLiteral("Retries"));
        model.reset({feed});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(0, ConnectionHealthModel::Connection).toString(), QStringLiteral("feed"));
    }

    // One rule for every poller (REST and Tryton): what a cycle's errors do to the state.
    void stateAfterACycle()
    {
        using State = ConnectionHealth::State;
        for (State s : {State::Connecting, State::Connected, State::Degraded, State::Down})
            QCOMPARE(stateAfterCycle(s, false), State::Connected);
        QCOMPARE(stateAfterCycle(State::Connecting, true), State::Degraded);
        QCOMPARE(stateAfterCycle(State::Connected, true), State::Degraded);
        QCOMPARE(stateAfterCycle(State::Degraded, true), State::Degraded);
        QCOMPARE(stateAfterCycle(State::Down, true), State::Down);
        // Only working credentials end an authentication failure, never a cycle.
        QCOMPARE(stateAfterCycle(State::AuthenticationFailed, false), State::AuthenticationFailed);
        QCOMPARE(stateAfterCycle(State::AuthenticationFailed, true), State::AuthenticationFailed);
    }

    void followsASyncServiceAgainstTheSandbox()
    {
        sandbox::SandboxServer server(calmOptions(3, 1));
        QVERIFY(server.start().ok());
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath(QStringLiteral("health.db")));
        QVERIFY(store.ok());
        ConnectionProfile erp = erpProfile(server);
        erp.resources = {resource("sales-orders", "sandbox-erp-sales-orders.json")};
        ConnectionProfile feed;
        feed.name = QStringLiteral("feed");
        feed.kind = ConnectionProfile::Kind::WebSocketFeed;
        feed.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.feedPort()));
        ConnectionProfile locked = wmsProfile(server);
        locked.name = QStringLiteral("wms-locked");
        locked.auth.secret = envSecret("TST_HEALTH_WRONG_KEY", "wrong");
        locked.resources = {resource("shipments", "sandbox-wms-shipments.json")};

        ConnectionHealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SyncService sync(*store.value(), {erp, feed, locked}, QStringLiteral(SIGHTLINE_MAPPINGS_DIR));
        connect(&sync, &SyncService::healthChanged, &model, &ConnectionHealthModel::update);
        QSignalSpy done(&sync, &SyncService::allCaughtUp);
        QVERIFY(sync.start().ok());
        QVERIFY(done.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 10000);
        sync.stop();
        QHash<QString, ConnectionHealth> byName;
        for (const ConnectionHealth &h : model.connections())
            byName.insert(h.connection, h);
        QCOMPARE(byName.value(QStringLiteral("erp")).state, ConnectionHealth::State::Connected);
        QVERIFY(byName.value(QStringLiteral("erp")).events > 0);
        QCOMPARE(byName.value(QStringLiteral("feed")).state, ConnectionHealth::State::Connected);
        QCOMPARE(byName.value(QStringLiteral("feed")).events, server.scenario().events().size());
        QCOMPARE(byName.value(QStringLiteral("wms-locked")).state,
                 ConnectionHealth::State::AuthenticationFailed);
    }
};

QTEST_GUILESS_MAIN(TestConnectionHealthModel)
#include "tst_connectionhealthmodel.moc"
