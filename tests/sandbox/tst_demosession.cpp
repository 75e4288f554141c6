// `sightline --demo`'s engine: DemoSession starts the real sightline-sandbox program on free ports,
// connects a feed to it and fills a real store; a missing program and a sandbox that cannot start
// are reported for a person, not crashed on.

#include "connectors/demo/demosession.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;

class TestDemoSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { qputenv("SIGHTLINE_SANDBOX", SIGHTLINE_SANDBOX_PATH); }
    void parsesTheSandboxBanner();
    void fillsTheStoreFromTheSandbox();
    void missingProgramIsReported();
    void sandboxThatRefusesItsArgumentsIsReported();
};

void TestDemoSession::parsesTheSandboxBanner()
{
    const auto ok = DemoSandbox::parseBanner("sightline-sandbox listening: api http://127.0.0.1:41231 feed "
                                             "ws://127.0.0.1:41232/feed events 3012\n");
    QVERIFY(ok);
    QCOMPARE(ok->api, QUrl(QStringLiteral("http://127.0.0.1:41231")));
    QCOMPARE(ok->feed, QUrl(QStringLiteral("ws://127.0.0.1:41232/feed")));
    QVERIFY(!DemoSandbox::parseBanner("something else entirely"));
    QVERIFY(!DemoSandbox::parseBanner(
        "sightline-sandbox listening: api http://10.0.0.1:1 feed ws://10.0.0.1:2/feed"));
}

void TestDemoSession::fillsTheStoreFromTheSandbox()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.filePath(QStringLiteral("demo.db")));
    QVERIFY(store);
    DemoSession::Options options;
    options.backfillDays = 2;
    DemoSession session(*store.value(), options);
    QSignalSpy started(&session, &DemoSession::started);
    QSignalSpy failed(&session, &DemoSession::demoFailed);
    QSignalSpy health(&session, &DemoSession::healthChanged);
    session.start();
    QVERIFY(started.wait(20000));
    QCOMPARE(started.at(0).at(0).toUrl().host(), QStringLiteral("127.0.0.1"));
    auto reader = StoreReader::open(store.value()->path());
    QVERIFY(reader);
    QTRY_VERIFY_WITH_TIMEOUT(reader.value()->counts()->events > 100, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!health.isEmpty(), 10000);
    const auto last = health.last().at(0).value<ConnectionHealth>();
    QCOMPARE(last.connection, DemoSession::connectionName());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(reader.value()->checkpoint(DemoSession::connectionName())->has_value());
}

void TestDemoSession::missingProgramIsReported()
{
    qputenv("SIGHTLINE_SANDBOX", "/nonexistent/sightline-sandbox");
    QTemporaryDir dir;
    auto store = Store::open(dir.filePath(QStringLiteral("demo.db")));
    QVERIFY(store);
    DemoSession session(*store.value(), {});
    QSignalSpy failed(&session, &DemoSession::demoFailed);
    session.start();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("could not start")),
             qPrintable(failed.at(0).at(0).toString()));
}

void TestDemoSession::sandboxThatRefusesItsArgumentsIsReported()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.filePath(QStringLiteral("demo.db")));
    QVERIFY(store);
    DemoSession::Options options;
    options.backfillDays = -5; // the sandbox refuses a negative backfill and exits non-zero
    DemoSession session(*store.value(), options);
    QSignalSpy failed(&session, &DemoSession::demoFailed);
    session.start();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("exited")),
             qPrintable(failed.at(0).at(0).toString()));
}

QTEST_GUILESS_MAIN(TestDemoSession)
#include "tst_demosession.moc"
