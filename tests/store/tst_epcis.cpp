// GS1 EPCIS 2.0 import: the openepcis sample documents (copied with their LICENSE under
// tests/fixtures/epcis) ingest through the same pipeline as CloudEvents into a real store; valid
// events become milestones on purchase orders and ASNs with their links, each keeping its exact
// bytes; invalid ones are quarantined with the reason; an error declaration retracts the earlier
// event it names; sightline-cli ingest takes an EPCIS file.

#include "models/ingest/epcis.h"
#include "models/ingest/ingestpipeline.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;

namespace {

QString fixture(const QString &relative)
{
    return QDir(QStringLiteral(SIGHTLINE_FIXTURES_DIR "/epcis")).filePath(relative);
}

QByteArray readFixture(const QString &relative)
{
    QFile f(fixture(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return f.readAll();
}

ParsedInput parse(const QString &relative)
{
    ParsedInput out;
    EpcisReader(relative).readDocument(readFixture(relative), 1, out);
    return out;
}

const TraceEvent *eventWithId(const Trace &trace, const QString &id)
{
    for (const TraceEvent &e : trace.events) {
        if (e.eventId == id)
            return &e;
    }
    return nullptr;
}

} // namespace

class TestEpcis : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_stores = 0;

    std::unique_ptr<Store> openStore()
    {
        auto store = Store::open(m_dir.filePath(QStringLiteral("s%1.db").arg(++m_stores)));
        if (!store)
            qFatal("%s", qPrintable(store.error()));
        return std::move(store).value();
    }

    void ingest(Store &store, const QString &relative)
    {
        IngestPipeline pipeline(store);
        QVERIFY(pipeline.addFile(fixture(relative)));
        QVERIFY(pipeline.finish());
    }

private Q_SLOTS:
    void validSamplesAreAccepted_data();
    void validSamplesAreAccepted();
    void invalidSamplesAreQuarantinedWithTheirReason_data();
    void invalidSamplesAreQuarantinedWithTheirReason();
    void shippingAndReceivingJoinThePurchaseOrdersTrace();
    void errorDeclarationRetractsTheEarlierEvent();
    void notAnEpcisDocumentIsQuarantinedWhole();
    void cliIngestsAnEpcisFile();
};

void TestEpcis::validSamplesAreAccepted_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("events");
    QTest::newRow("ObjectEvent") << QStringLiteral("openepcis/Documents/ObjectEvent.json") << 2;
    QTest::newRow("AggregationEvent") << QStringLiteral("openepcis/Documents/AggregationEvent.json") << 1;
    QTest::newRow("AggregationEvent_with_persistentDisposition")
        << QStringLiteral("openepcis/Documents/AggregationEvent_with_persistentDisposition.json") << 2;
    QTest::newRow("ObjectEvent_with_error_declaration")
        << QStringLiteral("openepcis/Documents/ObjectEvent_with_error_declaration.json") << 2;
    QTest::newRow("TransactionEvent") << QStringLiteral("openepcis/Documents/TransactionEvent.json") << 2;
    QTest::newRow("TransactionEvent_all_possible_fields")
        << QStringLiteral("openepcis/Documents/TransactionEvent_all_possible_fields.json") << 1;
}

void TestEpcis::validSamplesAreAccepted()
{
    QFETCH(QString, file);
    QFETCH(int, events);
    const QByteArray bytes = readFixture(file);
    QVERIFY(EpcisReader::looksLikeEpcis(bytes));
    const ParsedInput parsed = parse(file);
    QVERIFY2(parsed.quarantined.isEmpty(),
             parsed.quarantined.isEmpty() ? "" : qPrintable(parsed.quarantined.front().error));
    QCOMPARE(parsed.events.size(), events);
    const QJsonArray list = QJsonDocument::fromJson(bytes)
                                .object()
                                .value(QStringLiteral("epcisBody"))
                                .toObject()
                                .value(QStringLiteral("eventList"))
                                .toArray();
    for (int i = 0; i < events; ++i) {
        const CanonicalEvent &ev = parsed.events.at(i);
        QCOMPARE(ev.source, QStringLiteral("epcis"));
        QVERIFY(!ev.id.isEmpty());
        QVERIFY(bytes.contains(ev.raw)); // the event's own bytes, cut from the document
        QCOMPARE(QJsonDocument::fromJson(ev.raw).object(), list.at(i).toObject());
    }
}

void TestEpcis::invalidSamplesAreQuarantinedWithTheirReason_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("quarantined");
    QTest::addColumn<QString>("reason");
    QTest::newRow("invalid eventTime")
        << QStringLiteral("openepcis/Invalid/ObjectEvent_with_invalid_eventTime_format.json") << 1
        << QStringLiteral("eventTime '22-07-2026'");
    QTest::newRow("no action, no eventTime")
        << QStringLiteral("openepcis/Invalid/ObjectEvent_without_action_and_eventTime.json") << 1
        << QStringLiteral("eventTime is required");
    QTest::newRow("non-standard bizStep")
        << QStringLiteral("openepcis/Invalid/ObjectEvent_with_non_standard_bizStep.json") << 1
        << QStringLiteral("bizStep 'transforming'");
    QTest::newRow("missing mandatory fields")
        << QStringLiteral("openepcis/Invalid/Combination_of_events_with_missing_mandatory_fields.json") << 2
        << QStringLiteral("action must be ADD, OBSERVE or DELETE");
}

void TestEpcis::invalidSamplesAreQuarantinedWithTheirReason()
{
    QFETCH(QString, file);
    QFETCH(int, quarantined);
    QFETCH(QString, reason);
    const ParsedInput parsed = parse(file);
    QCOMPARE(parsed.quarantined.size(), quarantined);
    QVERIFY2(parsed.quarantined.front().error.contains(reason), qPrintable(parsed.quarantined.front().error));
    QVERIFY(parsed.quarantined.front().position.startsWith(QStringLiteral("event 1 (line ")));
    QVERIFY(readFixture(file).contains(parsed.quarantined.front().raw));
}

void TestEpcis::shippingAndReceivingJoinThePurchaseOrdersTrace()
{
    auto store = openStore();
    ingest(*store, QStringLiteral("openepcis/Documents/ObjectEvent.json"));
    auto reader = StoreReader::open(store->path());
    QVERIFY(reader);
    const auto traces = reader.value()->findTraces(QStringLiteral("12345678"));
    QVERIFY(traces);
    QCOMPARE(traces->size(), 1);
    QCOMPARE(reader.value()->findTraces(QStringLiteral("1152")).value(), traces.value());
    const auto trace = reader.value()->loadTrace(traces->front());
    QVERIFY(trace);
    QCOMPARE(trace->documents.size(), 2); // purchase order 12345678 and ASN 1152
    QStringList milestones;
    for (const TraceEvent &e : trace->events)
        milestones << e.milestone;
    QCOMPARE(milestones, (QStringList{QStringLiteral("asn.received"), QStringLiteral("receipt.posted")}));
    // the same file again adds nothing
    IngestPipeline again(*store);
    QVERIFY(again.addFile(fixture(QStringLiteral("openepcis/Documents/ObjectEvent.json"))));
    QCOMPARE(again.finish()->duplicates, 2);
}

void TestEpcis::errorDeclarationRetractsTheEarlierEvent()
{
    auto store = openStore();
    ingest(*store, QStringLiteral("sightline/ObjectEvent_before_its_error_declaration.json"));
    auto reader = StoreReader::open(store->path());
    QVERIFY(reader);
    const qint64 traceId = reader.value()->findTraces(QStringLiteral("12345678"))->front();
    const QString declared = QStringLiteral(
        "ni:///sha-256;aa49daa1fe0b773e0437e546078dc87de9c864d5b9babe84488f31478887fdf3?ver=CBV2.0");
    {
        const Trace before = reader.value()->loadTrace(traceId).value();
        QVERIFY(eventWithId(before, declared));
        QCOMPARE(eventWithId(before, declared)->milestone, QStringLiteral("asn.received"));
    }
    ingest(*store, QStringLiteral("openepcis/Documents/ObjectEvent_with_error_declaration.json"));
    const Trace after =
        reader.value()->loadTrace(reader.value()->findTraces(QStringLiteral("12345678"))->front()).value();
    const TraceEvent *original = eventWithId(after, declared);
    QVERIFY(original);
    QVERIFY(original->milestone.isEmpty());
    QCOMPARE(original->status, QStringLiteral("retracted"));
    const TraceEvent *declaration = eventWithId(after, declared + QStringLiteral("#error-declaration"));
    QVERIFY(declaration);
    QCOMPARE(declaration->status, QStringLiteral("error declared: incorrect_data"));
    QVERIFY(!reader.value()->rawPayload(original->rowId)->isEmpty()); // kept, raw and all
}

void TestEpcis::notAnEpcisDocumentIsQuarantinedWhole()
{
    ParsedInput out;
    EpcisReader(QStringLiteral("x.json"))
        .readDocument(R"({"type": "EPCISDocument", "schemaVersion": "1.2", "epcisBody": {"eventList": []}})",
                      1, out);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY(out.quarantined.front().error.contains(QStringLiteral("schemaVersion '1.2'")));
    out = {};
    EpcisReader(QStringLiteral("y.json"))
        .readDocument(R"({"type": "EPCISDocument", "schemaVersion": "2.0")", 1, out);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY(out.quarantined.front().error.startsWith(QStringLiteral("not JSON")));
    out = {};
    EpcisReader(QStringLiteral("z.json"))
        .readDocument(R"({"type": "EPCISDocument", "schemaVersion": "2.0"})", 1, out);
    QVERIFY(out.quarantined.front().error.contains(QStringLiteral("epcisBody.eventList")));
}

void TestEpcis::cliIngestsAnEpcisFile()
{
    const QString db = m_dir.filePath(QStringLiteral("cli.db"));
    QProcess cli;
    cli.start(QStringLiteral(SIGHTLINE_CLI_PATH),
              {QStringLiteral("--db"), db, QStringLiteral("ingest"),
               fixture(QStringLiteral("openepcis/Documents/ObjectEvent.json")),
               fixture(QStringLiteral("openepcis/Invalid/ObjectEvent_with_non_standard_bizStep.json"))});
    QVERIFY(cli.waitForFinished(30000));
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QCOMPARE(cli.exitCode(), 2); // something was quarantined
    QVERIFY2(out.contains(QStringLiteral("accepted 2")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("quarantined 1")), qPrintable(out));
    QVERIFY2(err.contains(QStringLiteral("bizStep 'transforming'")), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestEpcis)
#include "tst_epcis.moc"
