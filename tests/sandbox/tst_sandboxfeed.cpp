// The sandbox's feed through Sightline's own FeedConnector into a real store, with duplicates,
// reordering and abrupt disconnects on: every event is stored exactly once, nothing quarantined.
#include "connectors/feed/feedconnector.h"
#include "connectors/sandbox/sandboxserver.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;

class TestSandboxFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectorStoresEveryEventOnce()
    {
        sandbox::SandboxOptions options;
        options.speed = 0;
        options.heartbeatMs = 200;
        options.scenario.seed = 21;
        options.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
        options.scenario.backfillDays = 3;
        options.faults.feedDuplicateRate = 0.1;
        options.faults.feedReorderRate = 0.1;
        options.faults.feedDisconnectAfter = 400;
        sandbox::SandboxServer server(options);
        QVERIFY(server.start().ok());
        const qint64 total = server.scenario().events().size();
        QVERIFY(total > 1000);

        QTemporaryDir dir;
        auto store = Store::open(dir.filePath(QStringLiteral("feed.db")));
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error()));
        FeedConnector::Settings settings;
        settings.connection = QStringLiteral("sandbox-feed");
        settings.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.feedPort()));
        FeedConnector connector(settings, *store.value());
        connector.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(connector.committedSequence(), total, 60000);
        connector.stop();

        auto reader = StoreReader::open(dir.filePath(QStringLiteral("feed.db")));
        QVERIFY(reader.ok());
        const auto counts = reader.value()->counts();
        QVERIFY(counts.ok());
        QCOMPARE(counts->events, total);
        QCOMPARE(counts->quarantined, 0);
        QVERIFY(server.scenario().inspect().value(QStringLiteral("events")).toInt() == total);
    }
};

QTEST_GUILESS_MAIN(TestSandboxFeed)
#include "tst_sandboxfeed.moc"
