// Readers reading while the writer writes: two reader threads, each with its own StoreReader, query
// the store while its writer thread commits batch after batch. Readers never fail, never see part
// of a batch, and the counts they see only grow.

#include "models/ingest/cloudevents.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "tests/store/teststorelocation.h"
#include "tests/store/testsupport.h"

#include <QMutex>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <deque>

using namespace sightline;

namespace {

constexpr int kBatches = 240;
constexpr int kUnitsPerBatch = 8; // each unit: an order and its release, three events
constexpr int kHubs = 4;          // every unit of batch b joins the trace of hub b % kHubs

QString unitName(int batch, int unit)
{
    return QStringLiteral("%1-%2").arg(batch).arg(unit);
}

// One batch: kUnitsPerBatch orders, each released and picked, each release linked to its hub's PO.
// Every unit merges into a trace that earlier batches made: the hub's trace grows batch by batch.
IngestBatch makeBatch(int batch)
{
    QByteArray lines;
    for (int u = 0; u < kUnitsPerBatch; ++u) {
        const QString name = unitName(batch, u);
        test::EventSpec e;
        e.kind = QStringLiteral("sales_order");
        e.key = QStringLiteral("SO-") + name;
        e.id = name + QStringLiteral("-1");
        e.type = QStringLiteral("order.created");
        e.time = QStringLiteral("2026-11-20T08:%1:00Z").arg(u * 3, 2, 10, QLatin1Char('0'));
        lines += test::eventJson(e) + '\n';
        e.id = name + QStringLiteral("-2");
        e.type = QStringLiteral("order.released");
        e.links = {QStringLiteral("release/REL-") + name};
        lines += test::eventJson(e) + '\n';
        e.kind = QStringLiteral("release");
        e.key = QStringLiteral("REL-") + name;
        e.id = name + QStringLiteral("-3");
        e.type = QStringLiteral("pick.confirmed");
        e.links = {QStringLiteral("purchase_order/HUB-%1").arg(batch % kHubs)};
        lines += test::eventJson(e) + '\n';
    }
    ParsedInput parsed;
    CloudEventReader(QStringLiteral("batch-%1").arg(batch)).readDocument(lines, 1'800'000'000'000, parsed);
    if (parsed.events.size() != 3 * kUnitsPerBatch || !parsed.quarantined.isEmpty())
        qFatal("the test's batch does not parse");
    IngestBatch b;
    b.events = parsed.events;
    return b;
}

// What one reader saw go wrong; shared by the reader threads.
struct Findings
{
    QMutex mutex;
    QStringList problems;
    std::atomic<int> committedBatches{0}; // batches the writer has confirmed
    std::atomic<bool> writerDone{false};

    void report(const QString &problem)
    {
        QMutexLocker lock(&mutex);
        if (problems.size() < 20)
            problems.append(problem);
    }
};

// Checks one loaded trace: whole units only, and whole batches only.
QString checkTrace(const Trace &trace)
{
    QHash<qint64, QString> keyOf;
    QSet<QString> keys;
    for (const TraceDocument &d : trace.documents) {
        keyOf.insert(d.id, d.ref.key);
        keys.insert(d.ref.key);
    }
    QHash<QString, int> eventsPerUnit;
    for (const TraceEvent &e : trace.events) {
        if (!keyOf.contains(e.documentId))
            return QStringLiteral("trace %1: event %2 names document %3, which is not in the trace")
                .arg(trace.id)
                .arg(e.eventId)
                .arg(e.documentId);
        eventsPerUnit[e.eventId.section(u'-', 0, 1)] += 1;
    }
    for (const TraceLink &l : trace.links) {
        if (!keyOf.contains(l.fromId) || !keyOf.contains(l.toId))
            return QStringLiteral("trace %1: a link names a document that is not in the trace").arg(trace.id);
    }
    QHash<int, int> unitsPerBatch;
    for (const QString &key : std::as_const(keyOf)) {
        if (!key.startsWith(QLatin1String("SO-")))
            continue;
        const QString unit = key.mid(3);
        if (!keys.contains(QStringLiteral("REL-") + unit))
            return QStringLiteral("trace %1: %2 without its release").arg(trace.id).arg(key);
        if (eventsPerUnit.value(unit) != 3)
            return QStringLiteral("trace %1: unit %2 has %3 of its 3 events")
                .arg(trace.id)
                .arg(unit)
                .arg(eventsPerUnit.value(unit));
        unitsPerBatch[unit.section(u'-', 0, 0).toInt()] += 1;
    }
    for (auto it = unitsPerBatch.cbegin(); it != unitsPerBatch.cend(); ++it) {
        if (it.value() != kUnitsPerBatch)
            return QStringLiteral("trace %1: batch %2 is there with %3 of its %4 orders: half committed")
                .arg(trace.id)
                .arg(it.key())
                .arg(it.value())
                .arg(kUnitsPerBatch);
    }
    qsizetype orders = 0;
    for (int n : std::as_const(unitsPerBatch))
        orders += n;
    if (trace.events.size() != 3 * orders)
        return QStringLiteral("trace %1: %2 events for %3 orders")
            .arg(trace.id)
            .arg(trace.events.size())
            .arg(orders);
    return {};
}

// A reader thread's loop: find and load traces, read counts, until the writer is done.
void readLoop(const QString &path, Findings &findings, int seed, std::atomic<int> &iterations)
{
    auto opened = StoreReader::open(path);
    if (!opened) {
        findings.report(opened.error());
        return;
    }
    StoreReader &reader = *opened.value();
    QRandomGenerator random(seed);
    StoreCounts last;
    int after = 0; // iterations after the writer finished
    while (after < 5) {
        if (findings.writerDone)
            ++after;
        const int committed = findings.committedBatches; // read before querying: all of these are in
        // a hub, or an order of a batch known to be committed
        QString identifier;
        if (committed == 0 || random.bounded(3) == 0)
            identifier = QStringLiteral("hub-%1").arg(random.bounded(kHubs));
        else
            identifier =
                QStringLiteral("so-") + unitName(random.bounded(committed), random.bounded(kUnitsPerBatch));
        const auto traces = reader.findTraces(identifier);
        if (!traces) {
            findings.report(QStringLiteral("findTraces failed: ") + traces.error());
            continue;
        }
        if (traces->size() > 1)
            findings.report(QStringLiteral("%1 is in %2 traces").arg(identifier).arg(traces->size()));
        if (traces->isEmpty() && identifier.startsWith(QLatin1String("so-")))
            findings.report(QStringLiteral("%1 of a committed batch is not found").arg(identifier));
        for (qint64 id : traces.value()) {
            const auto trace = reader.loadTrace(id);
            if (!trace) {
                findings.report(QStringLiteral("loadTrace failed: ") + trace.error());
                continue;
            }
            if (const QString problem = checkTrace(trace.value()); !problem.isEmpty())
                findings.report(problem);
        }
        const auto counts = reader.counts();
        if (!counts) {
            findings.report(QStringLiteral("counts failed: ") + counts.error());
            continue;
        }
        if (counts->events < last.events || counts->documents < last.documents || counts->links < last.links)
            findings.report(
                QStringLiteral("counts went down: %1 events after %2").arg(counts->events).arg(last.events));
        if (counts->events % (3 * kUnitsPerBatch) != 0)
            findings.report(QStringLiteral("%1 events: not whole batches").arg(counts->events));
        if (counts->events < qint64(committed) * 3 * kUnitsPerBatch)
            findings.report(QStringLiteral("%1 events, but %2 batches were committed")
                                .arg(counts->events)
                                .arg(committed));
        last = counts.value();
        ++iterations;
    }
}

} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SIGHTLINE_SKIP_WITHOUT_POSTGRES();
        QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
    }
    void readersWhileTheWriterWrites();
};

void TestConcurrency::readersWhileTheWriterWrites()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = test::storeLocation(dir, QStringLiteral("store.db"));
    auto opened = Store::open(path);
    QVERIFY(opened);
    Store &store = *opened.value();

    Findings findings;
    std::atomic<int> iterations[2] = {0, 0};
    QList<QThread *> readers;
    for (int r = 0; r < 2; ++r) {
        QThread *t = QThread::create([&, r] { readLoop(path, findings, 1000 + r, iterations[r]); });
        t->setObjectName(QStringLiteral("reader-%1").arg(r));
        readers.append(t);
        t->start();
    }

    // The writer: batches queued a few at a time, so that some commit alone and some together.
    std::deque<std::future<Result<IngestReport>>> inFlight;
    qint64 accepted = 0;
    auto settle = [&] {
        auto report = inFlight.front().get();
        inFlight.pop_front();
        if (!report)
            findings.report(QStringLiteral("ingest failed: ") + report.error());
        else
            accepted += report->accepted;
        ++findings.committedBatches;
    };
    for (int b = 0; b < kBatches; ++b) {
        inFlight.push_back(store.ingest(makeBatch(b)));
        if (inFlight.size() > std::size_t(1 + b % 3))
            settle();
    }
    while (!inFlight.empty())
        settle();
    findings.writerDone = true;
    for (QThread *t : readers) {
        QVERIFY(t->wait(120'000));
        delete t;
    }

    QVERIFY2(findings.problems.isEmpty(), qPrintable(findings.problems.join(u'\n')));
    QVERIFY(iterations[0] > 0 && iterations[1] > 0);
    qInfo("reader iterations: %d and %d", int(iterations[0]), int(iterations[1]));
    QCOMPARE(accepted, qint64(kBatches) * kUnitsPerBatch * 3);
    auto reader = StoreReader::open(path);
    QVERIFY(reader);
    const auto counts = reader.value()->counts();
    QCOMPARE(counts->events, accepted);
    QCOMPARE(counts->traces, kHubs);
    QCOMPARE(counts->documents, qint64(kBatches) * kUnitsPerBatch * 2 + kHubs);
    for (int h = 0; h < kHubs; ++h) {
        const auto traces = reader.value()->findTraces(QStringLiteral("HUB-%1").arg(h));
        QCOMPARE(traces->size(), 1);
        const auto trace = reader.value()->loadTrace(traces->constFirst());
        QCOMPARE(checkTrace(trace.value()), QString());
        QCOMPARE(trace->events.size(), kBatches / kHubs * kUnitsPerBatch * 3);
    }
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
