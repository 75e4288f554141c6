// sightline-cli as a user runs it: a real process per command, real files, exit codes and output.

#include "tests/store/testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SIGHTLINE_CLI_PATH), args);
    if (!p.waitForFinished(60'000) || p.exitStatus() != QProcess::NormalExit)
        return {-1, {}, QStringLiteral("sightline-cli did not finish normally")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out, r.err);
}

test::EventSpec spec(const char *id, const char *kind, const char *key, const char *type, const char *time,
                     QStringList links = {})
{
    test::EventSpec e;
    e.id = QString::fromLatin1(id);
    e.kind = QString::fromLatin1(kind);
    e.key = QString::fromLatin1(key);
    e.type = QString::fromLatin1(type);
    e.time = QString::fromLatin1(time);
    e.links = std::move(links);
    return e;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void version();
    void help_data();
    void help();
    void usageErrors_data();
    void usageErrors();
    void ingestAllAccepted();
    void ingestQuarantinedExitsTwo();
    void ingestBatchWithABadElement();
    void ingestFeedWithBrokenFirstLine();
    void ingestSdkSamples();
    void ingestUnreadableFile();
    void traceTimeline();
    void traceJson();
    void traceUnknownIdentifier();

private:
    QString db() const { return m_dir->filePath(QStringLiteral("store.db")); }
    QString write(const char *name, const QByteArray &bytes);
    QString writeOrderFile();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestCli::write(const char *name, const QByteArray &bytes)
{
    const QString path = m_dir->filePath(QString::fromLatin1(name));
    if (!test::writeFile(path, bytes))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// One order's trace, written in the order the events arrived (not the order they happened).
QString TestCli::writeOrderFile()
{
    QByteArray lines;
    for (const test::EventSpec &e : {
             spec("e3", "shipment", "SH-9", "shipment.dispatched", "2026-11-20T15:00:00Z",
                  {QStringLiteral("release/REL-9")}),
             spec("e1", "sales_order", "SO-9", "order.created", "2026-11-20T08:00:00Z"),
             spec("e4", "invoice", "INV-9", "com.sandbox.erp.invoice.posted", "2026-11-21T09:00:00+02:00",
                  {QStringLiteral("shipment/SH-9")}),
             spec("e2", "sales_order", "SO-9", "order.released", "2026-11-20T10:30:00Z",
                  {QStringLiteral("release/REL-9")}),
         })
        lines += test::eventJson(e) + '\n';
    return write("orders.jsonl", lines);
}

void TestCli::version()
{
    const Run r = cli({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral(SIGHTLINE_VERSION)), qPrintable(describe(r)));
}

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("top level") << QStringList{QStringLiteral("--help")} << QStringLiteral("--db");
    QTest::newRow("ingest") << QStringList{QStringLiteral("ingest"), QStringLiteral("--help")}
                            << QStringLiteral("FILE");
    QTest::newRow("trace") << QStringList{QStringLiteral("trace"), QStringLiteral("--help")}
                           << QStringLiteral("--json");
    QTest::newRow("trace -h") << QStringList{QStringLiteral("trace"), QStringLiteral("-h")}
                              << QStringLiteral("IDENTIFIER");
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Run r = cli(QStringList{QStringLiteral("--db"), db()} + args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("Usage")), qPrintable(describe(r)));
    QVERIFY2(r.out.contains(mentions), qPrintable(describe(r)));
    QVERIFY(!QFile::exists(db())); // help touches no store
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("ingest");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                     << QStringLiteral("unknown command");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frob")} << QStringLiteral("frob");
    QTest::newRow("ingest without files")
        << QStringList{QStringLiteral("ingest")} << QStringLiteral("at least one file");
    QTest::newRow("ingest unknown option")
        << QStringList{QStringLiteral("ingest"), QStringLiteral("--fast"), QStringLiteral("x")}
        << QStringLiteral("fast");
    QTest::newRow("trace without identifier")
        << QStringList{QStringLiteral("trace")} << QStringLiteral("identifier");
    QTest::newRow("trace with two") << QStringList{QStringLiteral("trace"), QStringLiteral("a"),
                                                   QStringLiteral("b")}
                                    << QStringLiteral("exactly one");
    QTest::newRow("trace without a store")
        << QStringList{QStringLiteral("trace"), QStringLiteral("SO-1")} << QStringLiteral("no store");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const Run r = cli(QStringList{QStringLiteral("--db"), db()} + args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(says), qPrintable(describe(r)));
}

void TestCli::ingestAllAccepted()
{
    const QString file = writeOrderFile();
    Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), file});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY2(r.out.contains(QStringLiteral("accepted 4, duplicate 0, quarantined 0")),
             qPrintable(describe(r)));
    QVERIFY(r.err.isEmpty());
    r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), file, file});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY2(r.out.contains(QStringLiteral("accepted 0, duplicate 8, quarantined 0")),
             qPrintable(describe(r)));
}

void TestCli::ingestQuarantinedExitsTwo()
{
    const QByteArray good =
        test::eventJson(spec("g1", "asn", "ASN-1", "asn.received", "2026-11-20T08:00:00Z"));
    const QString file = write(
        "mixed.jsonl",
        good + "\n{\"specversion\":\"1.0\",\n" +
            R"({"specversion":"1.0","id":"x","source":"s","type":"t","time":"2026-02-30T00:00:00Z"})" + "\n");
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), file});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QStringLiteral("accepted 1, duplicate 0, quarantined 2")),
             qPrintable(describe(r)));
    const QStringList problems = r.err.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(problems.size(), 2);
    QVERIFY2(QRegularExpression(QStringLiteral("^mixed\\.jsonl: line 2[^:]*: malformed JSON"))
                 .match(problems[0])
                 .hasMatch(),
             qPrintable(problems[0]));
    QVERIFY2(QRegularExpression(QStringLiteral("^mixed\\.jsonl: line 3: .*RFC 3339"))
                 .match(problems[1])
                 .hasMatch(),
             qPrintable(problems[1]));
}

void TestCli::ingestBatchWithABadElement()
{
    const QByteArray good =
        test::eventJson(spec("b1", "asn", "ASN-2", "asn.received", "2026-11-20T08:00:00Z"));
    const QString file = write(
        "batch.json",
        "[\n  " + good + ",\n  {\"specversion\":\"1.0\",\"id\":7,\"source\":\"s\",\"type\":\"t\"}\n]\n");
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), file});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QStringLiteral("accepted 1, duplicate 0, quarantined 1")),
             qPrintable(describe(r)));
    QVERIFY2(r.err.startsWith(QStringLiteral(
                 "batch.json: element 2 (line 3, column 3): not a valid CloudEvent: 'id' must be a string")),
             qPrintable(describe(r)));
}

void TestCli::ingestFeedWithBrokenFirstLine()
{
    // A JSON Lines file whose first line was cut short: that line is quarantined, the rest ingested.
    QByteArray lines = "{\"specversion\":\"1.0\",\"id\":\"cut\n";
    for (const char *id : {"f1", "f2", "f3"})
        lines +=
            test::eventJson(spec(id, "receipt", "GR-5", "receipt.posted", "2026-11-20T08:00:00Z")) + "\r\n";
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), write("cut.jsonl", lines)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QStringLiteral("accepted 3, duplicate 0, quarantined 1")),
             qPrintable(describe(r)));
    QVERIFY2(r.err.startsWith(QStringLiteral("cut.jsonl: line 1")), qPrintable(describe(r)));
}

void TestCli::ingestSdkSamples()
{
    // Every sample of the CloudEvents Java SDK: all share source and id "1" but differ, so one is
    // stored and each other one is kept in the quarantine as a changed resend (nothing is lost);
    // the two invalid ones are quarantined with their own reason.
    QStringList args{QStringLiteral("--db"), db(), QStringLiteral("ingest")};
    const QDir samples(QStringLiteral(SIGHTLINE_FIXTURES_DIR "/cloudevents/sdk-java"));
    for (const QString &f : samples.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        args.append(samples.filePath(f));
    QCOMPARE(args.size(), 13);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QStringLiteral("accepted 1, duplicate 0, quarantined 9")),
             qPrintable(describe(r)));
    QCOMPARE(r.err.count(QStringLiteral("arrived again with different content")), 7);
    QVERIFY2(QRegularExpression(
                 QStringLiteral("(^|\\n)json_data_with_ext_invalid\\.json: line 1: .*a_invalid_name"))
                 .match(r.err)
                 .hasMatch(),
             qPrintable(r.err));
    QVERIFY2(QRegularExpression(QStringLiteral("(^|\\n)fail_numeric_decimal\\.json: line 1: .*decimal"))
                 .match(r.err)
                 .hasMatch(),
             qPrintable(r.err));
}

void TestCli::ingestUnreadableFile()
{
    const QString good = writeOrderFile();
    const QString missing = m_dir->filePath(QStringLiteral("missing.jsonl"));
    Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), missing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(missing), qPrintable(describe(r)));
    r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), m_dir->path()});
    QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
    // a readable file next to an unreadable one is still ingested, and the run still fails
    r = cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), missing, good});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QStringLiteral("accepted 4")), qPrintable(describe(r)));
}

void TestCli::traceTimeline()
{
    QCOMPARE(cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), writeOrderFile()}).exitCode, 0);
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("trace"), QStringLiteral("rel-9")});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    for (const char *key : {"SO-9", "REL-9", "SH-9", "INV-9"})
        QVERIFY2(r.out.contains(QLatin1String(key)), qPrintable(r.out));
    // the milestones appear in the order they happened
    qsizetype at = 0;
    for (const char *milestone :
         {"order.created", "order.released", "shipment.dispatched", "invoice.posted"}) {
        const qsizetype next = r.out.indexOf(QLatin1String(milestone), at);
        QVERIFY2(next > at,
                 qPrintable(QStringLiteral("%1 out of order in:\n%2").arg(QLatin1String(milestone), r.out)));
        at = next;
    }
}

void TestCli::traceJson()
{
    QCOMPARE(cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), writeOrderFile()}).exitCode, 0);
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("trace"), QStringLiteral("INV-9"),
                       QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + u'\n' + r.out));
    const QJsonObject trace = doc.object();

    QSet<QString> documents;
    for (const QJsonValue &d : trace.value(QStringLiteral("documents")).toArray())
        documents.insert(d[QStringLiteral("kind")].toString() + u'/' + d[QStringLiteral("key")].toString());
    QCOMPARE(documents, (QSet<QString>{QStringLiteral("sales_order/SO-9"), QStringLiteral("release/REL-9"),
                                       QStringLiteral("shipment/SH-9"), QStringLiteral("invoice/INV-9")}));

    const QJsonArray links = trace.value(QStringLiteral("links")).toArray();
    QCOMPARE(links.size(), 3);
    for (const QJsonValue &l : links) {
        QVERIFY(documents.contains(l[QStringLiteral("from")][QStringLiteral("kind")].toString() + u'/' +
                                   l[QStringLiteral("from")][QStringLiteral("key")].toString()));
        QVERIFY(documents.contains(l[QStringLiteral("to")][QStringLiteral("kind")].toString() + u'/' +
                                   l[QStringLiteral("to")][QStringLiteral("key")].toString()));
    }

    const QJsonArray events = trace.value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 4);
    const char *ids[] = {"e1", "e2", "e3", "e4"};
    const char *docs[] = {"sales_order/SO-9", "sales_order/SO-9", "shipment/SH-9", "invoice/INV-9"};
    QDateTime previous;
    for (int i = 0; i < 4; ++i) {
        const QJsonObject e = events[i].toObject();
        QCOMPARE(e.value(QStringLiteral("id")).toString(), QString::fromLatin1(ids[i]));
        QCOMPARE(e.value(QStringLiteral("source")).toString(), QStringLiteral("sandbox/erp"));
        QVERIFY(!e.value(QStringLiteral("type")).toString().isEmpty());
        const QDateTime time =
            QDateTime::fromString(e.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        const QDateTime received =
            QDateTime::fromString(e.value(QStringLiteral("received")).toString(), Qt::ISODateWithMs);
        QVERIFY(time.isValid());
        QVERIFY(received.isValid());
        QVERIFY(!previous.isValid() || previous <= time);
        previous = time;
        const QJsonObject d = e.value(QStringLiteral("document")).toObject();
        QCOMPARE(d.value(QStringLiteral("kind")).toString() + u'/' +
                     d.value(QStringLiteral("key")).toString(),
                 QString::fromLatin1(docs[i]));
    }
    QCOMPARE(events[3][QStringLiteral("type")].toString(), QStringLiteral("com.sandbox.erp.invoice.posted"));
    QCOMPARE(QDateTime::fromString(events[3][QStringLiteral("time")].toString(), Qt::ISODateWithMs),
             QDateTime(QDate(2026, 11, 21), QTime(7, 0), Qt::UTC));
}

void TestCli::traceUnknownIdentifier()
{
    QCOMPARE(cli({QStringLiteral("--db"), db(), QStringLiteral("ingest"), writeOrderFile()}).exitCode, 0);
    const Run r = cli({QStringLiteral("--db"), db(), QStringLiteral("trace"), QStringLiteral("SO-404")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("SO-404")), qPrintable(describe(r)));
    QVERIFY2(r.err.contains(QStringLiteral("no document")), qPrintable(describe(r)));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
