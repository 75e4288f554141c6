// Schema migration: a store written by an older build (schema version 1) opens in this build, is
// brought forward to the latest version with its rows intact, and a store newer than this build is
// refused untouched. Written against latestSchemaVersion(), not a fixed number.

#include "models/ingest/cloudevents.h"
#include "models/store/connection.h"
#include "models/store/schema.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "tests/store/teststorelocation.h"
#include "tests/store/testsupport.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;

namespace {

const QByteArray kOldRaw1 =
    R"({"specversion":"1.0","id":"old-1","source":"legacy/erp","type":"order.created"})";
const QByteArray kOldRaw2 =
    R"({"specversion":"1.0","id":"old-2","source":"legacy/erp","type":"order.released"})";
const QByteArray kOldRaw3 =
    R"({"specversion":"1.0","id":"old-3","source":"legacy/wms","type":"pick.confirmed"})";

// A plain connection of the test's own, outside the store's code, as an old build would have had.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path) : m_name(QStringLiteral("raw-%1").arg(++s_count))
    {
        auto db = openStoreConnection(path, m_name, false);
        if (!db)
            qFatal("cannot open %s: %s", qPrintable(path), qPrintable(db.error()));
        m_db = db.value();
    }
    ~RawDatabase()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase &db() { return m_db; }

    bool exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(m_db);
        bool ok = values.isEmpty() ? q.exec(sql) : q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!values.isEmpty())
            ok = ok && q.exec();
        if (!ok) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }

    QVariant value(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_count = 0;
    QString m_name;
    QSqlDatabase m_db;
};

// Rows exactly as a version 1 build wrote them: identifiers had no folded form yet.
bool writeVersion1Rows(RawDatabase &raw)
{
    const qint64 t = 1'700'000'000'000;
    return raw.exec(
               QStringLiteral("INSERT INTO documents (id, kind, doc_key, trace_id, first_seen_ms) VALUES "
                              "(1, 'sales_order', 'So-Old-1', 1, ?), (2, 'release', 'Rel-Old-2', 1, ?), "
                              "(3, 'purchase_order', 'PO-Alone', 3, ?)"),
               {t, t + 1, t + 2}) &&
           raw.exec(QStringLiteral("INSERT INTO identifiers (value, document_id, scheme) VALUES "
                                   "('So-Old-1', 1, 'key'), ('CPO-Mixed-5', 1, 'customer_po'), "
                                   "('Rel-Old-2', 2, 'key'), ('PO-Alone', 3, 'key')")) &&
           raw.exec(QStringLiteral("INSERT INTO links (from_id, to_id, relation, created_ms) VALUES "
                                   "(1, 2, 'released_as', ?)"),
                    {t}) &&
           raw.exec(
               QStringLiteral("INSERT INTO events (source, event_id, type, milestone, document_id, system, "
                              "status, partner, warehouse, occurred_ms, received_ms, occurred_estimated, "
                              "duplicate_count, raw_sha1, raw) VALUES "
                              "('legacy/erp', 'old-1', 'order.created', 'order.created', 1, 'erp', 'open', "
                              "'Acme', '', ?, ?, 0, 2, NULL, ?), "
                              "('legacy/erp', 'old-2', 'order.released', 'order.released', 1, 'erp', '', '', "
                              "'', ?, ?, 0, 0, NULL, ?), "
                              "('legacy/wms', 'old-3', 'pick.confirmed', 'pick.confirmed', 2, 'wms', '', '', "
                              "'WH-1', ?, ?, 0, 0, NULL, ?)"),
               {t + 3000, t + 60000, kOldRaw1, t + 1000, t + 5000, kOldRaw2, t + 2000, t + 9000, kOldRaw3}) &&
           raw.exec(
               QStringLiteral("INSERT INTO quarantine (origin, position, error, raw, received_ms) VALUES "
                              "('old.jsonl', 'line 3', 'malformed JSON: old', 'oops', ?)"),
               {t});
}

} // namespace

class TestMigration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fromVersion1();
    void fromEveryOlderVersion();
    void newerStoreIsRefused();

private:
    QTemporaryDir m_dir;
};

void TestMigration::initTestCase()
{
    SIGHTLINE_SKIP_WITHOUT_POSTGRES();
    QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
    QVERIFY(m_dir.isValid());
    QVERIFY(latestSchemaVersion() >= 2); // otherwise there is nothing to migrate from
}

void TestMigration::fromVersion1()
{
    const QString path = test::storeLocation(m_dir, QStringLiteral("v1.db"));
    {
        RawDatabase raw(path);
        const Status migrated = migrate(raw.db(), 1);
        QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
        QCOMPARE(schemaVersion(raw.db()).value(), 1);
        QVERIFY(writeVersion1Rows(raw));
    }
    // A reader of this build does not read an old store; it says what to do.
    const auto early = StoreReader::open(path);
    QVERIFY(!early);
    QVERIFY2(early.error().contains(QStringLiteral("version 1")), qPrintable(early.error()));

    {
        auto store = Store::open(path);
        QVERIFY2(store, store ? "" : qPrintable(store.error()));
    }
    {
        RawDatabase raw(path);
        QCOMPARE(schemaVersion(raw.db()).value(), latestSchemaVersion());
        QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM events")).toInt(), 3);
        QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM documents")).toInt(), 3);
        if (dialectOf(raw.db()) == SqlDialect::SQLite)
            QCOMPARE(raw.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
    }

    auto reader = StoreReader::open(path);
    QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
    auto &r = *reader.value();
    for (const char *spelling : {"So-Old-1", "so-old-1", "SO-OLD-1", "cpo-mixed-5", "REL-OLD-2"}) {
        const auto traces = r.findTraces(QString::fromLatin1(spelling));
        QVERIFY(traces);
        QCOMPARE(traces.value(), QList<qint64>{1});
    }
    QCOMPARE(r.findTraces(QStringLiteral("po-alone")).value(), QList<qint64>{3});
    const auto trace = r.loadTrace(1);
    QVERIFY(trace);
    QCOMPARE(trace->documents.size(), 2);
    QCOMPARE(trace->links.size(), 1);
    QCOMPARE(trace->events.size(), 3);
    QCOMPARE(trace->events[0].eventId, QStringLiteral("old-2")); // by occurrence time
    QCOMPARE(trace->events[1].eventId, QStringLiteral("old-3"));
    QCOMPARE(trace->events[2].eventId, QStringLiteral("old-1"));
    QCOMPARE(trace->events[2].duplicates, 2);
    QCOMPARE(trace->events[2].partner, QStringLiteral("Acme"));
    QCOMPARE(trace->events[2].lagMs(), 57000);
    QCOMPARE(trace->documents[0].identifiers.value(0).value, QStringLiteral("CPO-Mixed-5"));
    QCOMPARE(r.rawPayload(trace->events[1].rowId).value(), kOldRaw3);
    const auto counts = r.counts();
    QCOMPARE(counts->quarantined, 1);
    QCOMPARE(counts->duplicates, 2);
    QCOMPARE(r.quarantine(1)->value(0).input.raw, QByteArray("oops"));

    // New ingest works on the migrated store: a repeat of an old event, and a late link to old documents.
    {
        auto store = Store::open(path);
        QVERIFY(store);
        ParsedInput parsed;
        test::EventSpec shipment;
        shipment.id = QStringLiteral("new-1");
        shipment.kind = QStringLiteral("shipment");
        shipment.key = QStringLiteral("SH-New");
        shipment.type = QStringLiteral("shipment.dispatched");
        shipment.links = {QStringLiteral("release/Rel-Old-2"), QStringLiteral("purchase_order/PO-Alone")};
        CloudEventReader(QStringLiteral("new"))
            .readDocument(QByteArray("[" + test::eventJson(shipment) + "," + kOldRaw1 + "]"),
                          1'800'000'000'000, parsed);
        QCOMPARE(parsed.events.size(), 2);
        IngestBatch batch;
        batch.events = parsed.events;
        const auto report = store.value()->ingestAndWait(batch);
        QVERIFY2(report, report ? "" : qPrintable(report.error()));
        QCOMPARE(report->accepted, 1);
        QCOMPARE(report->duplicates, 1);
    }
    const auto merged = r.findTraces(QStringLiteral("sh-new"));
    QCOMPARE(merged->size(), 1);
    QCOMPARE(r.findTraces(QStringLiteral("so-old-1")).value(), merged.value());
    QCOMPARE(r.findTraces(QStringLiteral("po-alone")).value(), merged.value());
    const auto after = r.loadTrace(merged->constFirst());
    QCOMPARE(after->documents.size(), 4);
    QCOMPARE(after->events.size(), 4);
    QCOMPARE(after->links.size(), 3);
    QCOMPARE(r.counts()->documents, 4); // the new shipment took a fresh id
    QCOMPARE(r.counts()->duplicates, 3);
}

void TestMigration::fromEveryOlderVersion()
{
    for (int version = 1; version < latestSchemaVersion(); ++version) {
        const QString path = test::storeLocation(m_dir, QStringLiteral("at-%1.db").arg(version));
        {
            RawDatabase raw(path);
            QVERIFY(migrate(raw.db(), version).ok());
            QCOMPARE(schemaVersion(raw.db()).value(), version);
            if (version == 1)
                QVERIFY(writeVersion1Rows(raw));
        }
        {
            auto store = Store::open(path);
            QVERIFY2(store, store ? "" : qPrintable(store.error()));
        }
        RawDatabase raw(path);
        QCOMPARE(schemaVersion(raw.db()).value(), latestSchemaVersion());
        auto reader = StoreReader::open(path);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QVERIFY(reader.value()->counts());
        // and opening it again changes nothing
        auto again = Store::open(path);
        QVERIFY(again);
        QCOMPARE(schemaVersion(raw.db()).value(), latestSchemaVersion());
    }
}

void TestMigration::newerStoreIsRefused()
{
    const QString path = test::storeLocation(m_dir, QStringLiteral("future.db"));
    QVERIFY(Store::open(path));
    const int future = latestSchemaVersion() + 1;
    {
        RawDatabase raw(path);
        QVERIFY(raw.exec(QStringLiteral("UPDATE schema_version SET version = ?"), {future}));
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE from_the_future (x INTEGER)")));
    }
    const auto store = Store::open(path);
    QVERIFY(!store);
    QVERIFY2(store.error().contains(QStringLiteral("newer")), qPrintable(store.error()));
    QVERIFY2(store.error().contains(QString::number(future)), qPrintable(store.error()));
    QVERIFY2(store.error().contains(QString::number(latestSchemaVersion())), qPrintable(store.error()));
    const auto reader = StoreReader::open(path);
    QVERIFY(!reader);
    QVERIFY2(reader.error().contains(QString::number(future)), qPrintable(reader.error()));
    QVERIFY2(reader.error().contains(QStringLiteral("newer")), qPrintable(reader.error()));

    RawDatabase raw(path); // untouched
    QCOMPARE(schemaVersion(raw.db()).value(), future);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM from_the_future")).toInt(), 0);
    QVERIFY(raw.value(QStringLiteral("SELECT COUNT(*) FROM from_the_future")).isValid());
}

QTEST_GUILESS_MAIN(TestMigration)
#include "tst_migration.moc"
