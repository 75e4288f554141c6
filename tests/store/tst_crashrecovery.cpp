// A sightline-cli killed (SIGKILL) in the middle of a large ingest: the store is intact, holds
// whole committed batches and nothing half-written, and the next run ingests the rest, counting
// what was already there as duplicates.

#include "models/store/storereader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace sightline;

namespace {

constexpr int kOrders = 100'000; // three events each: 300,000 events
constexpr int kEvents = 3 * kOrders;

// One order's life: created (with the customer's PO number), released to the warehouse, shipped.
// Every tenth shipment is consolidated with the previous order's release: a link that merges traces.
QByteArray orderEvents(int i)
{
    const QByteArray n = QByteArray::number(i);
    const QByteArray seq = QByteArray::number(3 * i);
    const QByteArray day = QByteArray::number(10 + i % 18);
    const QByteArray head = R"({"specversion":"1.0","source":"sandbox/)";
    QByteArray out;
    out +=
        head + R"(erp","id":"ev-)" + seq + R"(","type":"com.sandbox.erp.order.created","time":"2026-11-)" +
        day +
        R"(T08:00:00Z","datacontenttype":"application/json","data":{"document":{"kind":"sales_order","key":"SO-)" +
        n + R"(","identifiers":{"customer_po":"CPO-)" + n +
        R"("}},"system":"erp","status":"open","partner":"Acme Retail","lines":[{"sku":"A-1","qty":4}]}})" +
        "\n";
    out += head + R"(erp","id":"ev-)" + QByteArray::number(3 * i + 1) +
           R"(","type":"order.released","time":"2026-11-)" + day +
           R"(T09:30:00+01:00","data":{"document":{"kind":"sales_order","key":"SO-)" + n +
           R"("},"links":[{"kind":"release","key":"REL-)" + n +
           R"(","relation":"released_as"}],"system":"erp","status":"released","warehouse":"WH-EAST"}})" +
           "\n";
    QByteArray links = R"([{"kind":"release","key":"REL-)" + n + R"(","relation":"ships"})";
    if (i % 10 == 9)
        links += R"(,{"kind":"release","key":"REL-)" + QByteArray::number(i - 1) + R"(","relation":"ships"})";
    out += head + R"(wms","id":"ev-)" + QByteArray::number(3 * i + 2) +
           R"(","type":"shipment.dispatched","time":"2026-11-)" + day +
           R"(T15:45:12.250Z","data":{"document":{"kind":"shipment","key":"SH-)" + n +
           R"(","identifiers":{"tracking":"1Z)" + n + R"("}},"links":)" + links +
           R"(],"system":"wms","status":"shipped","warehouse":"WH-EAST"}})" + "\n";
    return out;
}

class Sql
{
public:
    explicit Sql(const QString &path)
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        m_db.setDatabaseName(path);
        if (!m_db.open())
            qFatal("cannot open %s", qPrintable(path));
    }
    ~Sql()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }
    QVariant value(const char *sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(QString::fromLatin1(sql)) || !q.next())
            qFatal("query failed: %s", sql);
        return q.value(0);
    }
    qint64 count(const char *sql) { return value(sql).toLongLong(); }

private:
    QSqlDatabase m_db;
};

} // namespace

class TestCrashRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedInTheMiddleOfIngest();

private:
    // Starts an ingest and kills it once some but not all events are committed; the events then
    // committed, or -1 when the ingest ran to its end before it could be caught half-way.
    qint64 ingestAndKill(const QString &db);
    void checkNothingHalfWritten(const QString &db);

    QTemporaryDir m_dir;
    QString m_feed;
    QString m_readerError; // a reader must never fail while the writer writes
};

void TestCrashRecovery::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_feed = m_dir.filePath(QStringLiteral("big.jsonl"));
    QFile f(m_feed);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 0; i < kOrders; ++i)
        QVERIFY(f.write(orderEvents(i)) > 0);
    f.close();
    qInfo("generated %d events, %lld MB", kEvents, f.size() / (1024 * 1024));
}

qint64 TestCrashRecovery::ingestAndKill(const QString &db)
{
    QProcess cli;
    cli.setProgram(QStringLiteral(SIGHTLINE_CLI_PATH));
    cli.setArguments({QStringLiteral("--db"), db, QStringLiteral("ingest"), m_feed});
    cli.start();
    if (!cli.waitForStarted())
        qFatal("cannot start %s", SIGHTLINE_CLI_PATH);
    std::unique_ptr<StoreReader> reader;
    qint64 seen = 0;
    while (cli.state() == QProcess::Running) {
        if (!reader) {
            if (auto r = StoreReader::open(db))
                reader = std::move(r).value(); // fails until the writer has made and migrated the file
        }
        if (reader) {
            const auto counts = reader->counts();
            if (!counts && m_readerError.isEmpty())
                m_readerError = counts.error();
            seen = counts ? counts->events : 0;
            if (seen >= kEvents / 4 && seen < kEvents) { // well into the file, many batches committed
                cli.kill();
                break;
            }
        }
        QThread::msleep(20);
    }
    reader.reset();
    cli.waitForFinished();
    if (cli.exitStatus() == QProcess::NormalExit) {
        qWarning("the ingest finished (exit %d) before it was caught half-way", cli.exitCode());
        return -1;
    }
    // The first to open the store after the crash is a reader, as the console's would be.
    auto after = StoreReader::open(db);
    if (!after) {
        m_readerError = QStringLiteral("after the crash: ") + after.error();
        return -1;
    }
    const auto counts = after.value()->counts();
    if (!counts) {
        m_readerError = QStringLiteral("after the crash: ") + counts.error();
        return -1;
    }
    after.value().reset();
    Sql sql(db);
    const qint64 committed = sql.count("SELECT COUNT(*) FROM events");
    if (committed != counts->events)
        m_readerError = QStringLiteral("a reader saw %1 events after the crash, the store holds %2")
                            .arg(counts->events)
                            .arg(committed);
    qInfo("killed after %lld events were seen, %lld committed", seen, committed);
    return committed;
}

void TestCrashRecovery::checkNothingHalfWritten(const QString &db)
{
    Sql sql(db);
    QCOMPARE(sql.value("PRAGMA integrity_check").toString(), QStringLiteral("ok"));
    // every event's document, every link's and identifier's documents exist
    QCOMPARE(sql.count("SELECT COUNT(*) FROM events e LEFT JOIN documents d ON d.id = e.document_id "
                       "WHERE d.id IS NULL"),
             0);
    QCOMPARE(sql.count("SELECT COUNT(*) FROM links l LEFT JOIN documents a ON a.id = l.from_id "
                       "LEFT JOIN documents b ON b.id = l.to_id WHERE a.id IS NULL OR b.id IS NULL"),
             0);
    QCOMPARE(sql.count("SELECT COUNT(*) FROM identifiers i LEFT JOIN documents d ON d.id = i.document_id "
                       "WHERE d.id IS NULL"),
             0);
    // every document can be found by its key, and linked documents share a trace
    QCOMPARE(sql.count("SELECT COUNT(*) FROM documents d LEFT JOIN identifiers i ON i.value = d.doc_key "
                       "AND i.document_id = d.id AND i.scheme = 'key' WHERE i.document_id IS NULL"),
             0);
    QCOMPARE(sql.count("SELECT COUNT(*) FROM links l JOIN documents a ON a.id = l.from_id "
                       "JOIN documents b ON b.id = l.to_id WHERE a.trace_id <> b.trace_id"),
             0);
    // every committed event's links and identifiers are there with it
    QCOMPARE(sql.count("SELECT COUNT(*) FROM links"),
             sql.count("SELECT COUNT(*) + SUM(CASE WHEN type = 'shipment.dispatched' "
                       "AND CAST(SUBSTR(event_id, 4) AS INTEGER) % 30 = 29 THEN 1 ELSE 0 END) FROM events "
                       "WHERE type IN ('order.released', 'shipment.dispatched')"));
    QCOMPARE(sql.count("SELECT COUNT(*) FROM identifiers WHERE scheme NOT IN ('key', 'sku')"),
             sql.count("SELECT COUNT(*) FROM events WHERE type IN ('com.sandbox.erp.order.created', "
                       "'shipment.dispatched')"));
    // batches commit in order: what is there is the file's beginning, without holes
    const qint64 events = sql.count("SELECT COUNT(*) FROM events");
    if (events > 0)
        QCOMPARE(sql.count("SELECT MAX(CAST(SUBSTR(event_id, 4) AS INTEGER)) FROM events"), events - 1);
    QCOMPARE(sql.count("SELECT COUNT(*) FROM quarantine"), 0);
}

void TestCrashRecovery::killedInTheMiddleOfIngest()
{
    QString db;
    qint64 committed = -1;
    for (int attempt = 1; attempt <= 3 && committed < 0; ++attempt) {
        db = m_dir.filePath(QStringLiteral("store-%1.db").arg(attempt));
        committed = ingestAndKill(db);
    }
    QVERIFY2(m_readerError.isEmpty(), qPrintable(m_readerError));
    QVERIFY2(committed >= 0, "the ingest could not be caught half-way in three attempts");
    QVERIFY(committed > 0 && committed < kEvents);
    QVERIFY2(m_readerError.isEmpty(), qPrintable(m_readerError));
    checkNothingHalfWritten(db);

    QProcess cli;
    cli.start(QStringLiteral(SIGHTLINE_CLI_PATH),
              {QStringLiteral("--db"), db, QStringLiteral("ingest"), m_feed});
    QVERIFY(cli.waitForFinished(300'000));
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
             qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
    const auto m = QRegularExpression(QStringLiteral("accepted (\\d+), duplicate (\\d+), quarantined (\\d+)"))
                       .match(out);
    QVERIFY2(m.hasMatch(), qPrintable(out));
    QCOMPARE(m.captured(1).toLongLong(), kEvents - committed);
    QCOMPARE(m.captured(2).toLongLong(), committed);
    QCOMPARE(m.captured(3).toLongLong(), 0);

    checkNothingHalfWritten(db);
    auto reader = StoreReader::open(db);
    QVERIFY(reader);
    const auto counts = reader.value()->counts();
    QVERIFY(counts);
    QCOMPARE(counts->events, kEvents);
    QCOMPARE(counts->duplicates, committed);
    QCOMPARE(counts->documents, 3 * kOrders);
    QCOMPARE(counts->links, 2 * kOrders + kOrders / 10);
    QCOMPARE(counts->traces, kOrders - kOrders / 10);
    // a consolidated shipment's trace holds both orders, whole
    const auto traces = reader.value()->findTraces(QStringLiteral("so-99999"));
    QCOMPARE(traces->size(), 1);
    const auto trace = reader.value()->loadTrace(traces->constFirst());
    QCOMPARE(trace->documents.size(), 6);
    QCOMPARE(trace->events.size(), 6);
    QCOMPARE(reader.value()->findTraces(QStringLiteral("CPO-99998")).value(), traces.value());
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
