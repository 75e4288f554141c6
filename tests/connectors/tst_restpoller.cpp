// REST polling against the sandbox over real HTTP into a real store: every authentication type,
// cursor and page-number paging, incremental sync by updated_since, HTTP faults, records that do
// not map, and a 401 that stops the connection.
#include "connectors/rest/restpoller.h"
#include "connectors/sync/syncservice.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "sandboxfixture.h"
#include "scriptedhttp.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sandboxfixture;

namespace {

HttpRunner::Settings quickRetries()
{
    HttpRunner::Settings s;
    s.retry.base = std::chrono::milliseconds(20);
    s.retry.cap = std::chrono::milliseconds(300);
    s.retry.maxAttempts = 8;
    s.breakerOpenFor = std::chrono::milliseconds(300);
    return s;
}

struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Store> store;

    Fixture()
    {
        auto opened = Store::open(dbPath());
        if (opened)
            store = std::move(opened).value();
    }
    QString dbPath() const { return dir.filePath(QStringLiteral("rest.db")); }
    StoreCounts counts() const
    {
        auto reader = StoreReader::open(dbPath());
        return reader ? reader.value()->counts().value() : StoreCounts{};
    }
    QList<QuarantineEntry> quarantine() const
    {
        auto reader = StoreReader::open(dbPath());
        return reader ? reader.value()->quarantine(1000).value() : QList<QuarantineEntry>{};
    }
};

std::unique_ptr<RestPoller> poller(const ConnectionProfile &profile, Store &store,
                                   const QString &mappingDir = QStringLiteral(SIGHTLINE_MAPPINGS_DIR))
{
    RestPoller::Settings settings;
    settings.profile = profile;
    settings.mappingDir = mappingDir;
    settings.http = quickRetries();
    return std::make_unique<RestPoller>(settings, store);
}

// Each record's version (id -> updated_at) in the given collections.
QHash<QString, QString> versions(const sandbox::SandboxServer &server, const QStringList &collections)
{
    QHash<QString, QString> out;
    for (const QString &c : collections) {
        const auto page =
            server.scenario().records().page(c, 1'000'000, {}, std::numeric_limits<qint64>::min());
        for (const QJsonObject &r : page->items)
            out.insert(c + u'/' + r.value(QStringLiteral("id")).toString(),
                       r.value(QStringLiteral("updated_at")).toString());
    }
    return out;
}

// Records that are new or changed between two snapshots: what an incremental cycle adds.
qint64 changedBetween(const QHash<QString, QString> &before, const QHash<QString, QString> &after)
{
    qint64 n = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        n += before.value(it.key()) != it.value() ? 1 : 0;
    return n;
}

} // namespace

class TestRestPoller : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>(calmOptions(5, 3));
        QVERIFY(m_server->start().ok());
    }

    void cleanup() { m_server.reset(); }

    void everyAuthenticationTypeReadsEveryRecordOnce()
    {
        Fixture f;
        QVERIFY(f.store);
        ConnectionProfile erp = erpProfile(*m_server);
        addErpResources(erp);
        ConnectionProfile wms = wmsProfile(*m_server);
        addWmsResources(wms);
        ConnectionProfile portal = portalProfile(*m_server);
        addPortalResources(portal);
        SyncService sync(*f.store, {erp, wms, portal}, QStringLiteral(SIGHTLINE_MAPPINGS_DIR));
        sync.setHttpSettings(quickRetries());
        QSignalSpy done(&sync, &SyncService::allCaughtUp);
        QVERIFY(sync.start().ok());
        QVERIFY(done.wait(30000));
        sync.stop();

        const qint64 records =
            recordCount(*m_server, erpCollections() + wmsCollections() + portalCollections());
        QVERIFY(records > 200);
        const StoreCounts counts = f.counts();
        QCOMPARE(counts.events, records);
        QCOMPARE(counts.quarantined, 0);
        for (const ConnectionHealth &h : sync.health()) {
            QCOMPARE(h.state, ConnectionHealth::State::Connected);
            QVERIFY(h.requests > 0);
            QVERIFY(h.lastSuccessMs > 0);
        }
        QCOMPARE(sync.health().size(), 3);
    }

    void incrementalCyclesReadOnlyWhatChanged()
    {
        Fixture f;
        ConnectionProfile erp = erpProfile(*m_server);
        addErpResources(erp);
        erp.pollInterval = std::chrono::seconds(1);
        auto p = poller(erp, *f.store);
        QSignalSpy cycles(p.get(), &RestPoller::cycleFinished);
        QVERIFY(p->start({}).ok());
        QVERIFY(cycles.wait(30000));
        const qint64 first = f.counts().events;
        QCOMPARE(first, recordCount(*m_server, erpCollections()));

        // Time moves on in the ERP: the next cycle adds each changed record's new version, once.
        const auto before = versions(*m_server, erpCollections());
        call(*m_server, "POST", QStringLiteral("/admin/clock"), R"({"advance_minutes": 240})");
        const qint64 changed = changedBetween(before, versions(*m_server, erpCollections()));
        QVERIFY(changed > 0);
        QVERIFY(cycles.wait(30000));
        QVERIFY(cycles.wait(30000)); // and one more with nothing new
        p->stop();
        const StoreCounts counts = f.counts();
        QCOMPARE(counts.events, first + changed);
        QCOMPARE(counts.quarantined, 0);
        QVERIFY(counts.duplicates > 0); // each cycle reads the newest record again, and drops it
    }

    void pageNumberPagingAndResumeFromCheckpoint()
    {
        Fixture f;
        ConnectionProfile wms = wmsProfile(*m_server);
        addWmsResources(wms);
        for (RestResource &r : wms.resources) {
            r.paging.type = PagingSettings::Type::PageNumber;
            r.paging.limit = 7;
        }
        auto p = poller(wms, *f.store);
        QSignalSpy cycles(p.get(), &RestPoller::cycleFinished);
        QVERIFY(p->start({}).ok());
        QVERIFY(cycles.wait(30000));
        p->stop();
        QCOMPARE(f.counts().events, recordCount(*m_server, wmsCollections()));

        // The committed positions resume a new poller where the old one ended: nothing new is stored.
        auto reader = StoreReader::open(f.dbPath());
        QHash<QString, QString> positions;
        for (const RestResource &r : wms.resources) {
            const QString key = RestPoller::checkpointKey(wms.name, r);
            const auto position = reader.value()->checkpoint(key);
            QVERIFY(position.ok() && position.value().has_value());
            QVERIFY(!RestPosition::fromText(*position.value()).updatedSince.isEmpty());
            positions.insert(key, *position.value());
        }
        auto again = poller(wms, *f.store);
        QSignalSpy againCycles(again.get(), &RestPoller::cycleFinished);
        QVERIFY(again->start(positions).ok());
        QVERIFY(againCycles.wait(30000));
        again->stop();
        QCOMPARE(f.counts().events, recordCount(*m_server, wmsCollections()));
        QVERIFY(again->health().requests < 2 * wms.resources.size() + 1);
    }

    void faultsLoseAndDoubleNothing()
    {
        setFaults(*m_server, R"({"error_rate": 0.15, "rate_limit_rate": 0.1, "retry_after_seconds": 1,
                                 "hang_rate": 0.03, "malformed_rate": 0.1})");
        Fixture f;
        ConnectionProfile portal = portalProfile(*m_server);
        addPortalResources(portal);
        portal.timeout = std::chrono::seconds(1);
        portal.pollInterval = std::chrono::seconds(1);
        for (RestResource &r : portal.resources)
            r.paging.limit = 10;
        auto p = poller(portal, *f.store);
        QVERIFY(p->start({}).ok());
        const qint64 records = recordCount(*m_server, portalCollections());
        QTRY_VERIFY_WITH_TIMEOUT(f.counts().events >= records, 60000);
        p->stop();
        setFaults(*m_server,
                  R"({"error_rate": 0, "rate_limit_rate": 0, "hang_rate": 0, "malformed_rate": 0})");
        const StoreCounts counts = f.counts();
        QCOMPARE(counts.events, records);
        QVERIFY(p->health().retries > 0);
        QVERIFY(p->health().errors > 0);
        // Every cut-off body is in quarantine with its error, byte-exact; no record is.
        const QList<QuarantineEntry> quarantined = f.quarantine();
        QVERIFY(!quarantined.isEmpty());
        for (const QuarantineEntry &e : quarantined) {
            QVERIFY2(e.input.error.contains(u"not JSON"), qPrintable(e.input.error));
            QCOMPARE(e.input.origin, QStringLiteral("portal"));
            QVERIFY(e.input.position.contains(u"page"));
            QVERIFY(!e.input.raw.isEmpty());
        }
        const QJsonObject seen = inspect(*m_server);
        QVERIFY(seen.value(QStringLiteral("hanging_requests")).toInt() >= 0);
    }

    void recordsThatDoNotMapAreQuarantinedWithTheReason()
    {
        QTemporaryDir mappings;
        QFile file(mappings.filePath(QStringLiteral("strict-orders.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"name": "strict", "source": "strict/erp", "rules": [{"name": "only created orders",
            "id": "{/id}@{/updated_at}", "document": {"kind": "sales_order", "key": "/id"},
            "milestone": {"pointer": "/status", "values": {"created": "order.created"}},
            "time": {"pointer": "/updated_at", "formats": ["rfc3339"]}}]})");
        file.close();
        Fixture f;
        ConnectionProfile erp = erpProfile(*m_server);
        erp.resources = {resource("sales-orders", "strict-orders.json")};
        auto p = poller(erp, *f.store, mappings.path());
        QSignalSpy cycles(p.get(), &RestPoller::cycleFinished);
        QVERIFY(p->start({}).ok());
        QVERIFY(cycles.wait(30000));
        p->stop();
        const StoreCounts counts = f.counts();
        QVERIFY(counts.events > 0);
        QVERIFY(counts.quarantined > 0);
        QCOMPARE(counts.events + counts.quarantined,
                 recordCount(*m_server, {sandbox::collection::SalesOrders}));
        const QuarantineEntry e = f.quarantine().first();
        QVERIFY2(e.input.error.contains(u"strict-orders.json") &&
                     e.input.error.contains(u"only created orders") && e.input.error.contains(u"/status"),
                 qPrintable(e.input.error));
        QVERIFY(e.input.position.contains(u"sales-orders page"));
        QVERIFY(e.input.raw.startsWith("{"));

        // A mapping file that cannot be read stops the connection with a reason naming it.
        erp.resources = {resource("sales-orders", "missing.json")};
        auto broken = poller(erp, *f.store, mappings.path());
        const Status s = broken->start({});
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(u"missing.json"), qPrintable(s.error()));
        QCOMPARE(broken->health().state, ConnectionHealth::State::Down);
    }

    void recordsKeepTheBytesTheyCameIn()
    {
        // Spaces, key order and number forms a re-serialisation would change.
        const QByteArray first = R"({"updated_at": "2026-11-20T08:00:00Z",  "id": "SO-1", "status": "created",
            "total": 12.50})";
        const QByteArray second = R"({"id":"SO-2","status":"weird","updated_at":"2026-11-20T09:00:00.000Z"})";
        sightline::testing::ScriptedHttpServer server(
            {"{\"items\":  [ " + first + " ,\n " + second + " ], \"next_cursor\": null }"});
        QTemporaryDir mappings;
        QFile file(mappings.filePath(QStringLiteral("strict-orders.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"name": "strict", "source": "strict/erp", "rules": [{"name": "only created orders",
            "id": "{/id}@{/updated_at}", "document": {"kind": "sales_order", "key": "/id"},
            "milestone": {"pointer": "/status", "values": {"created": "order.created"}},
            "time": {"pointer": "/updated_at", "formats": ["rfc3339"]}}]})");
        file.close();
        Fixture f;
        ConnectionProfile erp = erpProfile(*m_server);
        erp.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server.port()));
        erp.resources = {resource("sales-orders", "strict-orders.json")};
        auto p = poller(erp, *f.store, mappings.path());
        QSignalSpy cycles(p.get(), &RestPoller::cycleFinished);
        QVERIFY(p->start({}).ok());
        QVERIFY(cycles.wait(30000));
        p->stop();
        QCOMPARE(f.quarantine().size(), 1);
        QCOMPARE(f.quarantine().first().input.raw, second);
        auto reader = StoreReader::open(f.dbPath());
        QVERIFY(reader);
        auto traces = reader.value()->findTraces(QStringLiteral("SO-1"));
        QVERIFY(traces && traces->size() == 1);
        auto trace = reader.value()->loadTrace(traces->first());
        QVERIFY(trace && trace->events.size() == 1);
        QCOMPARE(reader.value()->rawPayload(trace->events.first().rowId).value(), first);
    }

    void unauthorizedStopsAsAuthenticationFailed()
    {
        Fixture f;
        ConnectionProfile erp = erpProfile(*m_server, "not-the-token");
        addErpResources(erp);
        erp.pollInterval = std::chrono::seconds(1);
        auto p = poller(erp, *f.store);
        QSignalSpy failed(p.get(), &RestPoller::pollFailed);
        QVERIFY(p->start({}).ok());
        QVERIFY(failed.wait(30000));
        QCOMPARE(p->health().state, ConnectionHealth::State::AuthenticationFailed);
        QVERIFY(p->health().lastError.contains(u"authentication failed"));
        QVERIFY(!p->health().lastError.contains(u"not-the-token"));
        const int requests = inspect(*m_server).value(QStringLiteral("http_requests")).toInt();
        QTest::qWait(2500); // two poll intervals: it does not try again
        QCOMPARE(inspect(*m_server).value(QStringLiteral("http_requests")).toInt(), requests + 1);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(p->health().requests, 1);
        QCOMPARE(f.counts().events, 0);
    }

    void oauth2TokenIsFetchedAndRenewedAfterRevocation()
    {
        Fixture f;
        ConnectionProfile erp = erpProfile(*m_server);
        erp.name = QStringLiteral("erp-oauth");
        erp.auth.type = AuthSettings::Type::OAuth2ClientCredentials;
        erp.auth.user = QStringLiteral("sightline");
        erp.auth.secret = envSecret("TST_SANDBOX_OAUTH_SECRET", "sandbox-oauth-secret");
        erp.auth.tokenUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/oauth/token").arg(m_server->httpPort()));
        erp.resources = {resource("purchase-orders", "sandbox-erp-purchase-orders.json")};
        erp.pollInterval = std::chrono::seconds(1);
        auto p = poller(erp, *f.store);
        QSignalSpy cycles(p.get(), &RestPoller::cycleFinished);
        QVERIFY(p->start({}).ok());
        QVERIFY(cycles.wait(30000));
        QCOMPARE(f.counts().events, recordCount(*m_server, {sandbox::collection::PurchaseOrders}));
        QCOMPARE(inspect(*m_server).value(QStringLiteral("oauth_tokens_issued")).toInt(), 1);
        QVERIFY(cycles.wait(30000)); // the token is reused while it is valid
        QCOMPARE(inspect(*m_server).value(QStringLiteral("oauth_tokens_issued")).toInt(), 1);

        call(*m_server, "POST", QStringLiteral("/admin/oauth/revoke"));
        call(*m_server, "POST", QStringLiteral("/admin/clock"), R"({"advance_minutes": 600})");
        QVERIFY(cycles.wait(30000));
        p->stop();
        QCOMPARE(inspect(*m_server).value(QStringLiteral("oauth_tokens_issued")).toInt(), 2);
        QCOMPARE(p->health().state, ConnectionHealth::State::Connected);
        QVERIFY(f.counts().events > 0);

        // A wrong client secret is "authentication failed", not retried.
        ConnectionProfile wrong = erp;
        wrong.auth.secret = envSecret("TST_SANDBOX_OAUTH_WRONG", "guess");
        auto w = poller(wrong, *f.store);
        QSignalSpy failed(w.get(), &RestPoller::pollFailed);
        QVERIFY(w->start({}).ok());
        QVERIFY(failed.wait(30000));
        QCOMPARE(w->health().state, ConnectionHealth::State::AuthenticationFailed);
        QVERIFY(w->health().lastError.contains(u"client credentials"));
    }

private:
    std::unique_ptr<sandbox::SandboxServer> m_server;
};

QTEST_GUILESS_MAIN(TestRestPoller)
#include "tst_restpoller.moc"
