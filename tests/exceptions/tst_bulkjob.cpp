// Bulk jobs (SPEC.md §4, bulk) against the sandbox over real HTTP: a bulk replay of 1,000
// dead-lettered messages run by `sightline-cli replay --bulk` in a child process that is killed
// (SIGKILL) halfway, then resumed with --resume: every item is sent and applied exactly once
// (1,000 requests, 1,000 keys, 1,000 applied writes; the one item caught between its call and its
// record is first looked up in the ERP and only sent when it did not arrive). Also: the job's preview,
// a dry run that sends nothing, the role check, cancel, the CSV export, and the results model
// under QAbstractItemModelTester.

#include "models/actions/bulkjob.h"
#include "sandboxexceptions.h"
#include "sandboxreplaysender.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 kNow = at("2026-11-20T09:00:00Z");

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

struct WriteCounts
{
    int requests = 0; // to a resubmit endpoint
    int applied = 0;  // 200 and not answered from the idempotency record
    int keys = 0;     // distinct keys
    int replayed = 0; // answered from the idempotency record (a retry of a key applied before)
};

WriteCounts countWrites(quint16 port)
{
    WriteCounts c;
    QSet<QString> keys;
    for (const QJsonValue &v : sandboxWrites(port)) {
        const QJsonObject w = v.toObject();
        if (!w.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("/resubmit")))
            continue;
        ++c.requests;
        keys.insert(w.value(QStringLiteral("key")).toString());
        if (w.value(QStringLiteral("status")).toInt() == 200 && !w.value(QStringLiteral("replayed")).toBool())
            ++c.applied;
        if (w.value(QStringLiteral("replayed")).toBool())
            ++c.replayed;
    }
    c.keys = int(keys.size());
    return c;
}
} // namespace

class TestBulkJob : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QProcess *cli(const QString &db, const QStringList &args)
    {
        auto *p = new QProcess(this);
        p->setProgram(QStringLiteral(SIGHTLINE_CLI_PATH));
        p->setArguments(QStringList{QStringLiteral("--db"), db} + args);
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString roles = m_dir.filePath(QStringLiteral("roles.json"));
        writeFile(roles, R"({"default_role": "admin"})");
        qputenv("SIGHTLINE_ROLES_FILE", roles.toUtf8());
        qputenv("TST_BULK_ERP_TOKEN", "sandbox-erp-token");
    }

    void aBulkReplayKilledHalfwayResumesWithNoItemSentTwice()
    {
        sandbox::SandboxOptions o = failingSandboxOptions(1.0, 2, 6);
        o.scenario.salesOrdersPerHour = 20;
        sandbox::SandboxServer server(o);
        QVERIFY(server.start().ok());
        const quint16 port = server.httpPort();
        const QString db = m_dir.filePath(QStringLiteral("bulk.db"));
        {
            auto store = Store::open(db);
            QVERIFY(store);
            QVERIFY(storeAndDetect(server, *store.value(), kNow));
        } // the child process is the store's only writer from here
        StoreProbe probe(db);
        ExceptionFilter dead;
        dead.type = QStringLiteral("message_dead_lettered");
        QVERIFY2(probe.all(dead).size() >= 1000, qPrintable(QString::number(probe.all(dead).size())));
        const QString profiles = m_dir.filePath(QStringLiteral("profiles.json"));
        const QJsonObject auth{{QStringLiteral("type"), QStringLiteral("bearer")},
                               {QStringLiteral("token"), QStringLiteral("env:TST_BULK_ERP_TOKEN")}};
        const QJsonObject messages{{QStringLiteral("path"), QStringLiteral("messages")},
                                   {QStringLiteral("mapping"), QStringLiteral("sandbox-erp-messages.json")}};
        const QString url = QStringLiteral("http:") + QStringLiteral("//127.0.0.1:%1/erp/api/v1").arg(port);
        const QJsonObject erp{{QStringLiteral("name"), QStringLiteral("erp")},
                              {QStringLiteral("kind"), QStringLiteral("rest")},
                              {QStringLiteral("url"), url},
                              {QStringLiteral("auth"), auth},
                              {QStringLiteral("resources"), QJsonArray{messages}}};
        writeFile(profiles,
                  QJsonDocument(QJsonObject{{QStringLiteral("connections"), QJsonArray{erp}}}).toJson());
        const QStringList run{QStringLiteral("replay"),     QStringLiteral("--bulk"),
                              QStringLiteral("--type"),     QStringLiteral("message_dead_lettered"),
                              QStringLiteral("--limit"),    QStringLiteral("1000"),
                              QStringLiteral("--reason"),   QStringLiteral("portal back after outage"),
                              QStringLiteral("--profiles"), profiles};
        QProcess *first = cli(db, run);
        first->start();
        QVERIFY(first->waitForStarted());
        // Killed halfway: SIGKILL, no chance to tidy up.
        QElapsedTimer waited;
        waited.start();
        WriteCounts before;
        while (waited.elapsed() < 60000) {
            QTest::qWait(300);
            before = countWrites(port);
            if (before.requests >= 400 || first->state() == QProcess::NotRunning)
                break;
        }
        QVERIFY2(first->state() == QProcess::Running, "the first run ended before it could be killed");
        first->kill();
        QVERIFY(first->waitForFinished(10000));
        QCOMPARE(first->exitStatus(), QProcess::CrashExit);
        const WriteCounts atKill = countWrites(port);
        qInfo("killed after %d of 1000 items had reached the sandbox", atKill.requests);
        QVERIFY(atKill.requests < 1000);

        QProcess *second =
            cli(db, {QStringLiteral("replay"), QStringLiteral("--bulk"), QStringLiteral("--resume"),
                     QStringLiteral("0"), QStringLiteral("--profiles"), profiles, QStringLiteral("--export"),
                     m_dir.filePath(QStringLiteral("results.csv"))});
        QSignalSpy secondDone(second, &QProcess::finished);
        second->start();
        QVERIFY(secondDone.wait(120000)); // the event loop runs: this process serves the sandbox
        const QByteArray out = second->readAllStandardOutput();
        QCOMPARE(second->exitCode(), 0);
        QVERIFY2(out.contains("done"), out.constData());

        qInfo("resumed: %s", out.trimmed().constData());
        const WriteCounts after = countWrites(port);
        qInfo("sandbox: %d write requests, %d distinct keys, %d applied, %d answered from the record",
              after.requests, after.keys, after.applied, after.replayed);
        QCOMPARE(after.keys, 1000);
        QCOMPARE(after.applied, 1000);
        // The item caught between its call and its record is not sent again when the ERP's record
        // shows that the call took effect: one request per item, none answered from the key's record.
        QCOMPARE(after.requests, 1000);
        QCOMPARE(after.replayed, 0);
        // Every item sent, once, and the export says so.
        QSqlQuery q(probe.db());
        QVERIFY(q.exec(QStringLiteral("SELECT state, COUNT(*) FROM bulk_job_items GROUP BY state")));
        QHash<QString, int> states;
        while (q.next())
            states.insert(q.value(0).toString(), q.value(1).toInt());
        QCOMPARE(states.value(QStringLiteral("sent")), 1000);
        QCOMPARE(states.size(), 1);
        QVERIFY(q.exec(
            QStringLiteral("SELECT COUNT(*) FROM bulk_job_items WHERE message LIKE '%not sent again%'")));
        QVERIFY(q.next());
        qInfo("items found applied by reading the ERP instead of being sent again: %d", q.value(0).toInt());
        QVERIFY(q.value(0).toInt() <= 1);
        QFile csv(m_dir.filePath(QStringLiteral("results.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count(",sent,"), 1000);
    }

    void previewDryRunCancelRolesAndTheModel()
    {
        sandbox::SandboxServer server(failingSandboxOptions());
        QVERIFY(server.start().ok());
        auto opened = Store::open(m_dir.filePath(QStringLiteral("small.db")));
        QVERIFY(opened);
        Store &store = *opened.value();
        QVERIFY(storeAndDetect(server, store, kNow));
        StoreProbe probe(store.path());
        ExceptionFilter dead;
        dead.type = QStringLiteral("message_dead_lettered");
        QList<qint64> ids;
        for (const ExceptionItem &e : probe.all(dead))
            ids.append(e.id);
        QVERIFY(ids.size() >= 6);
        SandboxReplaySender sender(server.httpPort());

        // A manager may not run bulk actions: refused by the runner's service.
        ActionService manager(&store, {QStringLiteral("max"), Role::Manager}, &sender, [] { return kNow; });
        BulkJobRunner refused(&store, &manager);
        std::optional<Result<std::pair<BulkJob, QList<BulkItem>>>> no;
        refused.create({}, ids, [&](auto r) { no = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(no.has_value(), 10000);
        QVERIFY(!no->ok());

        // A buyer: the preview says which items are theirs (purchasing) and which are refused.
        ActionService buyer(&store, {QStringLiteral("ann"), Role::Buyer}, &sender, [] { return kNow; });
        BulkJobRunner runner(&store, &buyer);
        BulkJob dry;
        dry.dryRun = true;
        std::optional<Result<std::pair<BulkJob, QList<BulkItem>>>> made;
        runner.create(dry, ids, [&](auto r) { made = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(made.has_value(), 10000);
        QVERIFY2(made->ok(), made->ok() ? "" : qPrintable(made->error()));
        int refusedItems = 0;
        for (const BulkItem &i : made->value().second)
            refusedItems += i.preview.startsWith(QStringLiteral("refused")) ? 1 : 0;
        QVERIFY(refusedItems > 0 && refusedItems < ids.size()); // releases are warehouse documents
        BulkResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setItems(made->value().second);
        connect(&runner, &BulkJobRunner::itemFinished, &model,
                [&model](qint64, const BulkItem &item) { model.updateItem(item); });
        const int writesBefore = countWrites(server.httpPort()).requests;
        auto dryDone = runner.runAndWait(made->value().first.id);
        QVERIFY(dryDone.ok());
        QCOMPARE(dryDone->state, QStringLiteral("done"));
        QCOMPARE(countWrites(server.httpPort()).requests, writesBefore); // a dry run sends nothing
        int dryRuns = 0;
        for (const BulkItem &i : model.items())
            dryRuns += i.state == u"dry_run" ? 1 : 0;
        QCOMPARE(dryRuns, int(ids.size()) - refusedItems);

        // Rate-limited and cancelled after the first item: the rest stay pending, nothing else is sent.
        BulkJob slow;
        slow.ratePerSecond = 2;
        made.reset();
        runner.create(slow, ids, [&](auto r) { made = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(made.has_value(), 10000);
        QSignalSpy items(&runner, &BulkJobRunner::itemFinished);
        connect(&runner, &BulkJobRunner::itemFinished, &runner, [&runner] { runner.cancel(); });
        auto cancelled = runner.runAndWait(made->value().first.id);
        QVERIFY(cancelled.ok());
        QCOMPARE(cancelled->state, QStringLiteral("cancelled"));
        QCOMPARE(items.size(), 1);
        const QByteArray csv = bulkResultsCsv(made->value().first, made->value().second);
        QVERIFY(csv.startsWith("job,seq,exception,state"));
        QCOMPARE(csv.count('\n'), ids.size() + 1);
    }
};

QTEST_GUILESS_MAIN(TestBulkJob)
#include "tst_bulkjob.moc"
