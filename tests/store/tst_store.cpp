// The SQLite store on real files: idempotent ingest, late links merging traces, out-of-order
// events, case-insensitive identifiers, checkpoints, byte-exact raw payloads and the quarantine.

#include "models/ingest/cloudevents.h"
#include "models/ingest/ingestpipeline.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "tests/store/teststorelocation.h"
#include "tests/store/testsupport.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <set>

using namespace sightline;
using sightline::test::eventJson;
using sightline::test::EventSpec;

namespace {

// Row counts of every table, read on a plain connection of the test's own.
// A plain connection of the test's own (SQLite file or PostgreSQL schema) for one query.
template<typename F> void withRawConnection(const QString &location, F &&use)
{
    const QString name = uniqueConnectionName(u"test-raw");
    {
        auto db = openStoreConnection(location, name, true);
        if (!db)
            qFatal("cannot open %s: %s", qPrintable(location), qPrintable(db.error()));
        use(db.value());
    }
    closeConnection(name);
}

// Row counts of every table of the store.
QMap<QString, qint64> rowCounts(const QString &location)
{
    QMap<QString, qint64> counts;
    withRawConnection(location, [&counts](QSqlDatabase &db) {
        for (QString table : db.tables()) {
            table = table.section(u'.', -1); // PostgreSQL names tables of other schemas schema.table
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM \"%1\"").arg(table)) && q.next())
                counts.insert(table, q.value(0).toLongLong());
        }
    });
    return counts;
}

QList<qint64> duplicateCounts(const QString &location)
{
    QList<qint64> counts;
    withRawConnection(location, [&counts](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT duplicate_count FROM events ORDER BY id"));
        while (q.next())
            counts.append(q.value(0).toLongLong());
    });
    return counts;
}

IngestBatch parse(const QByteArray &bytes, qint64 receivedMs = 1'800'000'000'000)
{
    ParsedInput parsed;
    CloudEventReader(QStringLiteral("test")).readDocument(bytes, receivedMs, parsed);
    IngestBatch batch;
    batch.events = parsed.events;
    batch.quarantined = parsed.quarantined;
    return batch;
}

QByteArray lines(const QList<EventSpec> &events)
{
    QByteArray out;
    for (const EventSpec &e : events)
        out += eventJson(e) + '\n';
    return out;
}

EventSpec makeEvent(const QString &id, const QString &kind, const QString &key, const QString &type,
                    const QStringList &links = {}, const QStringList &identifiers = {})
{
    EventSpec e;
    e.id = id;
    e.kind = kind;
    e.key = key;
    e.type = type;
    e.links = links;
    e.identifiers = identifiers;
    return e;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SIGHTLINE_SKIP_WITHOUT_POSTGRES();
        QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
    }
    void init();
    void cleanup();

    void idempotentIngest();
    void duplicatesWithinOneBatch();
    void lateLinkMergesTraces_data();
    void lateLinkMergesTraces();
    void oneEventMergesThreeTraces();
    void outOfOrderEvents();
    void identifiersAreCaseInsensitive();
    void checkpointsCommitWithTheirBatch();
    void checkpointStaysWhenItsBatchFails();
    void otherWritesShareTheBatchTransaction();
    void rawPayloadIsByteExact();
    void quarantineKeepsRawInput();

private:
    QString dbPath() const { return m_location; }
    std::unique_ptr<Store> openStore();
    std::unique_ptr<StoreReader> openReader();
    IngestReport ingestFile(Store &store, const QString &path);
    qint64 onlyTrace(StoreReader &reader, const QString &identifier);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
};

void TestStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = test::storeLocation(*m_dir, QStringLiteral("store.db"));
}

void TestStore::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<Store> TestStore::openStore()
{
    auto store = Store::open(dbPath());
    if (!store)
        qFatal("cannot open the store: %s", qPrintable(store.error()));
    return std::move(store).value();
}

std::unique_ptr<StoreReader> TestStore::openReader()
{
    auto reader = StoreReader::open(dbPath());
    if (!reader)
        qFatal("cannot open a reader: %s", qPrintable(reader.error()));
    return std::move(reader).value();
}

IngestReport TestStore::ingestFile(Store &store, const QString &path)
{
    IngestPipeline pipeline(store, IngestPipeline::Options{.batchEvents = 7, .maxInFlight = 2});
    if (Status s = pipeline.addFile(path); !s)
        qFatal("%s", qPrintable(s.error()));
    auto report = pipeline.finish();
    if (!report)
        qFatal("%s", qPrintable(report.error()));
    return report.value();
}

qint64 TestStore::onlyTrace(StoreReader &reader, const QString &identifier)
{
    const auto traces = reader.findTraces(identifier);
    if (!traces || traces->size() != 1)
        return -1;
    return traces->constFirst();
}

void TestStore::idempotentIngest()
{
    QList<EventSpec> events;
    for (int i = 0; i < 40; ++i) {
        const QString order = QStringLiteral("SO-%1").arg(i / 4);
        events.append(makeEvent(QStringLiteral("e-%1").arg(i), QStringLiteral("sales_order"), order,
                                QStringLiteral("order.created"),
                                {QStringLiteral("release/REL-%1").arg(i / 4)},
                                {QStringLiteral("customer_po=CPO-%1").arg(i / 4)}));
    }
    const QString file = m_dir->filePath(QStringLiteral("feed.jsonl"));
    QVERIFY(test::writeFile(file, lines(events)));

    IngestReport first;
    {
        auto store = openStore();
        first = ingestFile(*store, file);
    }
    QCOMPARE(first.accepted, 40);
    QCOMPARE(first.duplicates, 0);
    QCOMPARE(first.quarantined, 0);
    const auto before = rowCounts(dbPath());
    QCOMPARE(before.value(QStringLiteral("events")), 40);
    QCOMPARE(before.value(QStringLiteral("documents")), 20);
    QCOMPARE(before.value(QStringLiteral("links")), 10);

    // the same file again, once through a fresh store (cold caches) and once through the same one
    auto store = openStore();
    for (int round = 1; round <= 2; ++round) {
        const IngestReport again = ingestFile(*store, file);
        QCOMPARE(again.accepted, 0);
        QCOMPARE(again.duplicates, 40);
        QCOMPARE(again.quarantined, 0);
        QCOMPARE(again.tracesMerged, 0);
        QCOMPARE(rowCounts(dbPath()), before);
        QCOMPARE(duplicateCounts(dbPath()), QList<qint64>(40, round));
        auto reader = openReader();
        const auto counts = reader->counts();
        QVERIFY(counts);
        QCOMPARE(counts->events, 40);
        QCOMPARE(counts->duplicates, 40 * round);
        QCOMPARE(counts->traces, 10);
        const auto trace = reader->loadTrace(onlyTrace(*reader, QStringLiteral("SO-3")));
        QVERIFY(trace);
        QCOMPARE(trace->events.size(), 4);
        for (const TraceEvent &e : trace->events)
            QCOMPARE(e.duplicates, round);
    }
}

void TestStore::duplicatesWithinOneBatch()
{
    auto store = openStore();
    const QByteArray one = eventJson(makeEvent(QStringLiteral("x-1"), QStringLiteral("asn"),
                                               QStringLiteral("ASN-1"), QStringLiteral("asn.received")));
    const QByteArray other = eventJson(makeEvent(QStringLiteral("x-2"), QStringLiteral("asn"),
                                                 QStringLiteral("ASN-1"), QStringLiteral("asn.received")));
    const auto report = store->ingestAndWait(parse("[" + one + "," + one + "," + other + "," + one + "]"));
    QVERIFY(report);
    QCOMPARE(report->accepted, 2);
    QCOMPARE(report->duplicates, 2);
    // the same id from another source is another event
    const QByteArray elsewhere = QByteArray(one).replace("sandbox/erp", "sandbox/wms");
    QCOMPARE(store->ingestAndWait(parse(elsewhere))->accepted, 1);
    QCOMPARE(duplicateCounts(dbPath()), (QList<qint64>{2, 0, 0}));

    // The same (source, id) again with other bytes is no repeat: the first stays the event, the
    // resend is kept in the quarantine with the reason (an exception), and nothing is lost.
    const QByteArray changed = one.trimmed().chopped(1) + ", \"note\": \"changed\"}";
    QVERIFY(changed != one);
    const auto resent = store->ingestAndWait(parse(changed));
    QVERIFY(resent);
    QCOMPARE(resent->accepted, 0);
    QCOMPARE(resent->duplicates, 0);
    QCOMPARE(resent->quarantined, 1);
    QCOMPARE(duplicateCounts(dbPath()), (QList<qint64>{2, 0, 0}));
    auto reader = openReader();
    const auto kept = reader->quarantine(10);
    QVERIFY(kept && kept->size() == 1);
    QCOMPARE(kept->first().input.raw, changed);
    QVERIFY2(kept->first().input.error.contains(QLatin1String("different content")),
             qPrintable(kept->first().input.error));
    QCOMPARE(store->ingestAndWait(parse(one))->duplicates, 1); // the first version again: a repeat
}

void TestStore::lateLinkMergesTraces_data()
{
    QTest::addColumn<QString>("when");
    QTest::newRow("same store session") << QStringLiteral("session");
    QTest::newRow("after reopening") << QStringLiteral("reopen");
    QTest::newRow("in one batch") << QStringLiteral("batch");
    QTest::newRow("link named by the other side") << QStringLiteral("reverse");
}

void TestStore::lateLinkMergesTraces()
{
    QFETCH(QString, when);
    const QString so = QStringLiteral("sales_order");
    const QString sh = QStringLiteral("shipment");
    // Trace A: order SO-1 released as REL-1. Trace B: shipment SH-1, invoiced as INV-1.
    const QList<EventSpec> traceA{
        makeEvent(QStringLiteral("a1"), so, QStringLiteral("SO-1"), QStringLiteral("order.created"), {},
                  {QStringLiteral("customer_po=CPO-1")}),
        makeEvent(QStringLiteral("a2"), so, QStringLiteral("SO-1"), QStringLiteral("order.released"),
                  {QStringLiteral("release/REL-1")}),
        makeEvent(QStringLiteral("a3"), QStringLiteral("release"), QStringLiteral("REL-1"),
                  QStringLiteral("pick.confirmed")),
    };
    const QList<EventSpec> traceB{
        makeEvent(QStringLiteral("b1"), sh, QStringLiteral("SH-1"), QStringLiteral("shipment.dispatched"), {},
                  {QStringLiteral("tracking=TRK-1")}),
        makeEvent(QStringLiteral("b2"), QStringLiteral("invoice"), QStringLiteral("INV-1"),
                  QStringLiteral("invoice.posted"), {QStringLiteral("shipment/SH-1")}),
    };
    // The late link: the shipment names the release it ships (or the release names the shipment).
    const EventSpec late =
        when == QLatin1String("reverse")
            ? makeEvent(QStringLiteral("c1"), QStringLiteral("release"), QStringLiteral("REL-1"),
                        QStringLiteral("pack.confirmed"), {QStringLiteral("shipment/SH-1")})
            : makeEvent(QStringLiteral("c1"), sh, QStringLiteral("SH-1"),
                        QStringLiteral("shipment.delivered"), {QStringLiteral("release/REL-1")});
    {
        auto store = openStore();
        if (when == QLatin1String("batch")) {
            QCOMPARE(store->ingestAndWait(parse(lines(traceA + traceB + QList<EventSpec>{late})))->accepted,
                     6);
        } else {
            QVERIFY(store->ingestAndWait(parse(lines(traceA))));
            QVERIFY(store->ingestAndWait(parse(lines(traceB))));
            auto reader = openReader();
            QCOMPARE(reader->counts()->traces, 2);
            const qint64 a = onlyTrace(*reader, QStringLiteral("SO-1"));
            const qint64 b = onlyTrace(*reader, QStringLiteral("INV-1"));
            QVERIFY(a > 0 && b > 0 && a != b);
            QCOMPARE(reader->loadTrace(a)->documents.size(), 2);
            QCOMPARE(reader->loadTrace(b)->events.size(), 2);
            if (when == QLatin1String("reopen"))
                store = openStore();
            const auto report = store->ingestAndWait(parse(eventJson(late)));
            QVERIFY(report);
            QCOMPARE(report->accepted, 1);
            QCOMPARE(report->tracesMerged, 1);
        }
    }
    auto reader = openReader();
    const qint64 trace = onlyTrace(*reader, QStringLiteral("SO-1"));
    QVERIFY(trace > 0);
    for (const char *id : {"CPO-1", "REL-1", "SH-1", "TRK-1", "INV-1", "inv-1"})
        QCOMPARE(onlyTrace(*reader, QString::fromLatin1(id)), trace);
    const auto loaded = reader->loadTrace(trace);
    QVERIFY(loaded);
    QCOMPARE(loaded->documents.size(), 4);
    std::set<QString> keys;
    for (const TraceDocument &d : loaded->documents)
        keys.insert(d.ref.key);
    QCOMPARE(keys, (std::set<QString>{QStringLiteral("SO-1"), QStringLiteral("REL-1"), QStringLiteral("SH-1"),
                                      QStringLiteral("INV-1")}));
    QCOMPARE(loaded->events.size(), 6);
    std::set<QString> ids;
    for (const TraceEvent &e : loaded->events) {
        ids.insert(e.eventId);
        QVERIFY(loaded->document(e.documentId));
    }
    QCOMPARE(ids.size(), std::size_t(6));
    QCOMPARE(loaded->links.size(), 3);
    for (const TraceLink &l : loaded->links)
        QVERIFY(loaded->document(l.fromId) && loaded->document(l.toId));
    const auto counts = reader->counts();
    QCOMPARE(counts->traces, 1);
    QCOMPARE(counts->documents, 4);
    QCOMPARE(counts->events, 6);
    QCOMPARE(counts->links, 3);
}

void TestStore::oneEventMergesThreeTraces()
{
    auto store = openStore();
    const QString po = QStringLiteral("purchase_order");
    QVERIFY(store->ingestAndWait(parse(lines({
        makeEvent(QStringLiteral("1"), po, QStringLiteral("PO-1"), QStringLiteral("po.created")),
        makeEvent(QStringLiteral("2"), QStringLiteral("asn"), QStringLiteral("ASN-1"),
                  QStringLiteral("asn.received")),
        makeEvent(QStringLiteral("3"), QStringLiteral("receipt"), QStringLiteral("GR-1"),
                  QStringLiteral("receipt.posted"), {QStringLiteral("asn/ASN-9")}),
    }))));
    QCOMPARE(openReader()->counts()->traces, 3);
    store = openStore(); // cold caches
    const auto report = store->ingestAndWait(
        parse(eventJson(makeEvent(QStringLiteral("4"), QStringLiteral("supplier_invoice"),
                                  QStringLiteral("SI-1"), QStringLiteral("invoice.received"),
                                  {QStringLiteral("purchase_order/PO-1"), QStringLiteral("asn/ASN-1"),
                                   QStringLiteral("receipt/GR-1")}))));
    QVERIFY(report);
    QCOMPARE(report->tracesMerged, 3);
    auto reader = openReader();
    const qint64 trace = onlyTrace(*reader, QStringLiteral("asn-9"));
    for (const char *id : {"PO-1", "ASN-1", "GR-1", "SI-1"})
        QCOMPARE(onlyTrace(*reader, QString::fromLatin1(id)), trace);
    QCOMPARE(reader->loadTrace(trace)->documents.size(), 5);
    QCOMPARE(reader->loadTrace(trace)->events.size(), 4);
    QCOMPARE(reader->counts()->traces, 1);
}

void TestStore::outOfOrderEvents()
{
    // Ten milestones of one order, one per hour, arriving one by one in shuffled order.
    const QString types[] = {QStringLiteral("order.created"),      QStringLiteral("order.validated"),
                             QStringLiteral("order.released"),     QStringLiteral("pick.confirmed"),
                             QStringLiteral("pack.confirmed"),     QStringLiteral("shipment.dispatched"),
                             QStringLiteral("shipment.delivered"), QStringLiteral("invoice.posted"),
                             QStringLiteral("return.received"),    QStringLiteral("order.cancelled")};
    const QDateTime start(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    QList<int> arrival;
    for (int i = 0; i < 10; ++i)
        arrival.append(i);
    QRandomGenerator random(20261120);
    std::shuffle(arrival.begin(), arrival.end(), random);
    std::swap(arrival[0], arrival[arrival.indexOf(9)]); // the last milestone certainly arrives first
    QHash<QString, qint64> receivedAt;
    auto store = openStore();
    qint64 received = start.addDays(1).toMSecsSinceEpoch();
    for (int i : std::as_const(arrival)) {
        EventSpec e = makeEvent(QStringLiteral("o-%1").arg(i), QStringLiteral("sales_order"),
                                QStringLiteral("SO-7"), types[i]);
        e.time = start.addSecs(3600 * i).toString(Qt::ISODate);
        received += 60'000;
        receivedAt.insert(e.id, received);
        QVERIFY(store->ingestAndWait(parse(eventJson(e), received)));
    }
    EventSpec untimed = makeEvent(QStringLiteral("o-none"), QStringLiteral("sales_order"),
                                  QStringLiteral("SO-7"), QStringLiteral("message.sent"));
    untimed.time.clear();
    const qint64 untimedReceived = start.addSecs(3600 * 4 + 1800).toMSecsSinceEpoch();
    QVERIFY(store->ingestAndWait(parse(eventJson(untimed), untimedReceived)));

    auto reader = openReader();
    const auto trace = reader->loadTrace(onlyTrace(*reader, QStringLiteral("SO-7")));
    QVERIFY(trace);
    QCOMPARE(trace->events.size(), 11);
    for (qsizetype i = 1; i < trace->events.size(); ++i)
        QVERIFY(trace->events[i - 1].occurredMs <= trace->events[i].occurredMs);
    int timed = 0;
    for (const TraceEvent &e : trace->events) {
        if (e.eventId == QLatin1String("o-none")) {
            QVERIFY(e.occurredEstimated);
            QCOMPARE(e.occurredMs, untimedReceived);
            QCOMPARE(e.lagMs(), 0);
            continue;
        }
        QCOMPARE(e.eventId, QStringLiteral("o-%1").arg(timed));
        QCOMPARE(e.type, types[timed]);
        QCOMPARE(e.milestone, types[timed]);
        QCOMPARE(e.occurredMs, start.addSecs(3600 * timed).toMSecsSinceEpoch());
        QCOMPARE(e.receivedMs, receivedAt.value(e.eventId));
        QCOMPARE(e.lagMs(), e.receivedMs - e.occurredMs);
        QVERIFY(!e.occurredEstimated);
        ++timed;
    }
    QCOMPARE(timed, 10);
    QCOMPARE(trace->events[5].eventId, QStringLiteral("o-none")); // at 12:30, between 12:00 and 13:00
}

void TestStore::identifiersAreCaseInsensitive()
{
    auto store = openStore();
    QVERIFY(store->ingestAndWait(parse(lines({
        makeEvent(QStringLiteral("1"), QStringLiteral("sales_order"), QStringLiteral("So-Mixed-9"),
                  QStringLiteral("order.created"), {}, {QStringLiteral("customer_po=CpO-Ärger-77")}),
        makeEvent(QStringLiteral("2"), QStringLiteral("shipment"), QStringLiteral("SH-UPPER"),
                  QStringLiteral("shipment.dispatched"), {}, {QStringLiteral("tracking=1z999AA10123456784")}),
    }))));
    auto reader = openReader();
    const qint64 order = onlyTrace(*reader, QStringLiteral("So-Mixed-9"));
    QVERIFY(order > 0);
    for (const char *spelling : {"so-mixed-9", "SO-MIXED-9", "sO-mIxEd-9", "  so-mixed-9 "})
        QCOMPARE(onlyTrace(*reader, QString::fromLatin1(spelling)), order);
    QCOMPARE(onlyTrace(*reader, QStringLiteral("cpo-ärger-77")), order);
    QCOMPARE(onlyTrace(*reader, QStringLiteral("CPO-ÄRGER-77")), order);
    const qint64 shipment = onlyTrace(*reader, QStringLiteral("1Z999AA10123456784"));
    QVERIFY(shipment > 0 && shipment != order);
    QCOMPARE(onlyTrace(*reader, QStringLiteral("sh-upper")), shipment);
    QVERIFY(reader->findTraces(QStringLiteral("so-mixed"))->isEmpty()); // whole identifiers only
    // the stored spelling is kept as it came
    const auto trace = reader->loadTrace(order);
    QCOMPARE(trace->documents.value(0).ref.key, QStringLiteral("So-Mixed-9"));
    QCOMPARE(trace->documents.value(0).identifiers.value(0).value, QStringLiteral("CpO-Ärger-77"));
}

void TestStore::checkpointsCommitWithTheirBatch()
{
    auto store = openStore();
    auto reader = openReader();
    QCOMPARE(reader->checkpoint(QStringLiteral("erp-feed"))->has_value(), false);

    IngestBatch batch = parse(eventJson(makeEvent(QStringLiteral("1"), QStringLiteral("purchase_order"),
                                                  QStringLiteral("PO-1"), QStringLiteral("po.created"))));
    batch.checkpoint = Checkpoint{QStringLiteral("erp-feed"), QStringLiteral("cursor-17")};
    QVERIFY(store->ingestAndWait(batch));
    QCOMPARE(reader->checkpoint(QStringLiteral("erp-feed"))->value_or(QString()),
             QStringLiteral("cursor-17"));
    QCOMPARE(reader->counts()->events, 1);

    IngestBatch next = parse(eventJson(makeEvent(QStringLiteral("2"), QStringLiteral("purchase_order"),
                                                 QStringLiteral("PO-1"), QStringLiteral("po.sent"))));
    next.checkpoint = Checkpoint{QStringLiteral("erp-feed"), QStringLiteral("cursor-18")};
    IngestBatch other;
    other.checkpoint = Checkpoint{QStringLiteral("wms-feed"), QStringLiteral("seq 9")};
    auto f1 = store->ingest(next);
    auto f2 = store->ingest(other);
    QVERIFY(f1.get());
    QVERIFY(f2.get());
    QCOMPARE(reader->checkpoint(QStringLiteral("erp-feed"))->value_or(QString()),
             QStringLiteral("cursor-18"));
    QCOMPARE(reader->checkpoint(QStringLiteral("wms-feed"))->value_or(QString()), QStringLiteral("seq 9"));
    QCOMPARE(reader->counts()->events, 2);
    QCOMPARE(rowCounts(dbPath()).value(QStringLiteral("checkpoints")), 2);

    // a store reopened later still knows where each connection was
    store.reset();
    store = openStore();
    QCOMPARE(openReader()->checkpoint(QStringLiteral("erp-feed"))->value_or(QString()),
             QStringLiteral("cursor-18"));
}

void TestStore::checkpointStaysWhenItsBatchFails()
{
    auto store = openStore();
    IngestBatch first = parse(eventJson(makeEvent(QStringLiteral("1"), QStringLiteral("purchase_order"),
                                                  QStringLiteral("PO-F"), QStringLiteral("po.created"))));
    first.checkpoint = Checkpoint{QStringLiteral("feed"), QStringLiteral("10")};
    QVERIFY(store->ingestAndWait(first));

    // A batch the store cannot write (an event without its raw payload breaks a NOT NULL rule)
    // queued together with a good one: the bad one fails whole, checkpoint included; the good one
    // is committed on its own.
    IngestBatch bad =
        parse(lines({makeEvent(QStringLiteral("2"), QStringLiteral("asn"), QStringLiteral("ASN-F"),
                               QStringLiteral("asn.received"), {QStringLiteral("purchase_order/PO-F")}),
                     makeEvent(QStringLiteral("3"), QStringLiteral("asn"), QStringLiteral("ASN-F"),
                               QStringLiteral("asn.received"))}));
    QCOMPARE(bad.events.size(), 2);
    bad.events[1].raw = QByteArray();
    bad.checkpoint = Checkpoint{QStringLiteral("feed"), QStringLiteral("12")};
    IngestBatch good = parse(eventJson(makeEvent(QStringLiteral("4"), QStringLiteral("receipt"),
                                                 QStringLiteral("GR-F"), QStringLiteral("receipt.posted"))));
    good.checkpoint = Checkpoint{QStringLiteral("other"), QStringLiteral("7")};
    auto badDone = store->ingest(bad);
    auto goodDone = store->ingest(good);
    const auto badResult = badDone.get();
    QVERIFY(!badResult);
    QVERIFY(!badResult.error().isEmpty());
    QVERIFY2(goodDone.get(), "a good batch must not fail with a bad one");

    auto reader = openReader();
    QCOMPARE(reader->checkpoint(QStringLiteral("feed"))->value_or(QString()), QStringLiteral("10"));
    QCOMPARE(reader->checkpoint(QStringLiteral("other"))->value_or(QString()), QStringLiteral("7"));
    QCOMPARE(reader->counts()->events, 2);
    QVERIFY(reader->findTraces(QStringLiteral("ASN-F"))->isEmpty()); // nothing of the bad batch
    QCOMPARE(reader->loadTrace(onlyTrace(*reader, QStringLiteral("PO-F")))->documents.size(), 1);

    // the writer goes on: the same batch, repaired, is written whole
    bad.events[1].raw = "{}";
    QCOMPARE(store->ingestAndWait(bad)->accepted, 2);
    QCOMPARE(reader->checkpoint(QStringLiteral("feed"))->value_or(QString()), QStringLiteral("12"));
    const qint64 trace = onlyTrace(*reader, QStringLiteral("asn-f"));
    QCOMPARE(trace, onlyTrace(*reader, QStringLiteral("po-f")));
    QCOMPARE(reader->loadTrace(trace)->events.size(), 3);
}

// Engines (exceptions, audit, SLA) write their rows through the same writer, in the transaction of
// the events that caused them: both land, or neither does.
void TestStore::otherWritesShareTheBatchTransaction()
{
    auto store = openStore();
    IngestBatch setup;
    setup.writes.push_back([](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("CREATE TABLE notes (body TEXT NOT NULL)")))
            return Error{q.lastError().text()};
        return {};
    });
    QVERIFY(store->ingestAndWait(setup));

    auto insertNote = [](QString body) {
        return [body](QSqlDatabase &db) -> Status {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO notes (body) VALUES (?)"));
            q.addBindValue(body.isEmpty() ? QVariant() : QVariant(body)); // empty: NOT NULL fails
            if (!q.exec())
                return Error{q.lastError().text()};
            return {};
        };
    };
    IngestBatch good = parse(eventJson(makeEvent(QStringLiteral("w1"), QStringLiteral("purchase_order"),
                                                 QStringLiteral("PO-W1"), QStringLiteral("po.created"))));
    good.writes.push_back(insertNote(QStringLiteral("first")));
    IngestBatch bad = parse(eventJson(makeEvent(QStringLiteral("w2"), QStringLiteral("purchase_order"),
                                                QStringLiteral("PO-W2"), QStringLiteral("po.created"))));
    bad.writes.push_back(insertNote(QString()));
    QVERIFY(store->ingestAndWait(good));
    QVERIFY(!store->ingestAndWait(bad));

    auto reader = openReader();
    QCOMPARE(reader->findTraces(QStringLiteral("PO-W1"))->size(), 1);
    QVERIFY(reader->findTraces(QStringLiteral("PO-W2"))->isEmpty()); // rolled back with its note
    QStringList bodies;
    withRawConnection(store->path(), [&bodies](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT body FROM notes")))
            qWarning() << q.lastError().text();
        while (q.next())
            bodies << q.value(0).toString();
    });
    QCOMPARE(bodies, QStringList{QStringLiteral("first")});
}

void TestStore::rawPayloadIsByteExact()
{
    const QByteArray e1 =
        "{ \"specversion\" :\"1.0\",\t\"id\":\"r-1\",\"source\":\"s\",\"type\":\"order.created\","
        "\"data\":{\"document\":{\"kind\":\"sales_order\",\"key\":\"SO-R\"},"
        "\"note\":\"caf\\u00e9 \\\"quoted\\\" \xe2\x82\xac\",\"qty\":1.50,\"n\":1e2}  }";
    const QByteArray e2 =
        "{\"specversion\":\"1.0\",\"id\":\"r-2\",\"source\":\"s\",\"type\":\"order.released\","
        "\"subject\":\"sales_order/SO-R\",\"data_base64\":\"AAEC/w==\"}";
    const QByteArray big = "{\"specversion\":\"1.0\",\"id\":\"r-3\",\"source\":\"s\",\"type\":\"t\","
                           "\"subject\":\"sales_order/SO-R\",\"data\":\"" +
                           QByteArray(5 * 1024 * 1024, 'z') + "\"}";
    auto store = openStore();
    QCOMPARE(store->ingestAndWait(parse("[\n" + e1 + " ,\n  " + e2 + "]"))->accepted, 2);
    QCOMPARE(store->ingestAndWait(parse(big))->accepted, 1);
    auto reader = openReader();
    const auto trace = reader->loadTrace(onlyTrace(*reader, QStringLiteral("SO-R")));
    QVERIFY(trace);
    QCOMPARE(trace->events.size(), 3);
    QHash<QString, QByteArray> expected{
        {QStringLiteral("r-1"), e1}, {QStringLiteral("r-2"), e2}, {QStringLiteral("r-3"), big}};
    for (const TraceEvent &e : trace->events) {
        const auto raw = reader->rawPayload(e.rowId);
        QVERIFY(raw);
        QCOMPARE(raw->size(), expected.value(e.eventId).size());
        QVERIFY(raw.value() == expected.value(e.eventId));
    }
    QVERIFY(!reader->rawPayload(999999).ok());
}

void TestStore::quarantineKeepsRawInput()
{
    const QByteArray good = eventJson(makeEvent(QStringLiteral("q-1"), QStringLiteral("asn"),
                                                QStringLiteral("ASN-Q"), QStringLiteral("asn.received")));
    const QByteArray broken = R"({"specversion":"1.0","id":"q-2",)";
    const QByteArray unknownKind =
        eventJson(makeEvent(QStringLiteral("q-3"), QStringLiteral("pallet"), QStringLiteral("P-1"),
                            QStringLiteral("asn.received")));
    const QByteArray noType = R"({"specversion":"1.0","id":"q-4","source":"s"})";
    const QString file = m_dir->filePath(QStringLiteral("mixed.jsonl"));
    QVERIFY(test::writeFile(file, good + "\n" + broken + "\n\n" + unknownKind + "\n" + noType + "\n"));
    auto store = openStore();
    const IngestReport report = ingestFile(*store, file);
    QCOMPARE(report.accepted, 1);
    QCOMPARE(report.quarantined, 3);
    auto reader = openReader();
    QCOMPARE(reader->counts()->quarantined, 3);
    QCOMPARE(reader->counts()->events, 1);
    auto read = reader->quarantine(10);
    QVERIFY(read);
    QList<QuarantineEntry> entries = read.value();
    QCOMPARE(entries.size(), 3);
    std::sort(entries.begin(), entries.end(),
              [](const QuarantineEntry &a, const QuarantineEntry &b) { return a.id < b.id; });
    const struct
    {
        const char *position;
        const char *error;
        QByteArray raw;
    } expected[] = {
        {"line 2", "malformed JSON", broken},
        {"line 4", "does not map", unknownKind},
        {"line 5", "'type' is missing", noType},
    };
    for (int i = 0; i < 3; ++i) {
        const QuarantinedInput &q = entries.at(i).input;
        QCOMPARE(q.origin, QStringLiteral("mixed.jsonl"));
        QVERIFY2(q.position.startsWith(QLatin1String(expected[i].position)), qPrintable(q.position));
        QVERIFY2(q.error.contains(QLatin1String(expected[i].error)), qPrintable(q.error));
        QCOMPARE(q.raw, expected[i].raw);
        QVERIFY(q.receivedMs > 0);
    }
    // ingesting the same file again quarantines the bad lines again: each arrival is kept
    QCOMPARE(ingestFile(*store, file).quarantined, 3);
    QCOMPARE(reader->counts()->quarantined, 6);
    QCOMPARE(reader->quarantine(2)->size(), 2);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
