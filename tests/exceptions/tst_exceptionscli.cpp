// sightline-cli exceptions, replay and audit as a user runs them, on a real store file and
// against the sandbox over real HTTP: detection and listing with filters and JSON, replay acting
// as the signed-in user with the role from the roles file (refused for customer service, sent
// once for a buyer even when run twice), and audit verify failing on a row changed by hand,
// naming it.

#include "connectors/sandbox/sandboxserver.h"
#include "exceptiontestsupport.h"
#include "models/actions/roles.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the command line while this thread's event loop keeps serving the in-process sandbox.
Run cli(const QStringList &args, const QString &rolesFile = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!rolesFile.isEmpty())
        env.insert(QStringLiteral("SIGHTLINE_ROLES_FILE"), rolesFile);
    env.insert(QStringLiteral("TST_EXCEPTIONS_CLI_ERP_TOKEN"), QStringLiteral("sandbox-erp-token"));
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(SIGHTLINE_CLI_PATH), args);
    if (!finished.wait(60000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out, r.err);
}

} // namespace

class TestExceptionsCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QString m_db;

    QString rolesFile(Role role)
    {
        const QString path = m_dir.filePath(QStringLiteral("roles-%1.json").arg(roleName(role)));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("users"),
                                               QJsonObject{{RoleDirectory::currentUser(), roleName(role)}}}})
                        .toJson());
        return path;
    }

    QString profilesFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("connections.json"));
        const QJsonObject erp{
            {QStringLiteral("name"), QStringLiteral("erp")},
            {QStringLiteral("kind"), QStringLiteral("rest")},
            {QStringLiteral("url"),
             QStringLiteral("http://127.0.0.1:%1/erp/api/v1").arg(m_server->httpPort())},
            {QStringLiteral("auth"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                         {QStringLiteral("token"), QStringLiteral("env:TST_EXCEPTIONS_CLI_ERP_TOKEN")}}},
            {QStringLiteral("resources"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("path"), QStringLiteral("/purchase-orders")},
                             {QStringLiteral("mapping"),
                              QStringLiteral(SIGHTLINE_SOURCE_DIR
                                             "/resources/mappings/sandbox-erp-purchase-orders.json")}}}}};
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("connections"), QJsonArray{erp}}}).toJson());
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandbox::SandboxOptions o;
        o.speed = 0;
        o.scenario.seed = 5;
        o.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
        o.scenario.backfillDays = 2;
        o.scenario.trouble.setAll(0.1);
        QVERIFY(o.scenario.trouble.set(QStringLiteral("failed_delivery"), 0.5).ok());
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QVERIFY(m_server->start().ok());
        // The sandbox's events as a JSON Lines file, ingested by the command line.
        QByteArray lines;
        for (const auto &e : m_server->scenario().events())
            lines += e.json + '\n';
        const QString feed = m_dir.filePath(QStringLiteral("feed.jsonl"));
        QFile f(feed);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(lines + "{not json\n");
        f.close();
        m_db = m_dir.filePath(QStringLiteral("cli.db"));
        const Run ingested = cli({QStringLiteral("--db"), m_db, QStringLiteral("ingest"), feed});
        QVERIFY2(ingested.exitCode == 2, qPrintable(describe(ingested))); // one line quarantined
    }

    void detectsAndListsWithFilters()
    {
        const Run all = cli({QStringLiteral("--db"), m_db, QStringLiteral("exceptions"),
                             QStringLiteral("--detect"), QStringLiteral("--json")});
        QVERIFY2(all.exitCode == 0, qPrintable(describe(all)));
        const QJsonArray items = QJsonDocument::fromJson(all.out.toUtf8()).array();
        QVERIFY2(items.size() > 5, qPrintable(all.out.left(2000)));
        QSet<QString> rules;
        for (const QJsonValue &v : items)
            rules.insert(v.toObject().value(QStringLiteral("rule")).toString());
        QVERIFY2(rules.contains(QStringLiteral("message_dead_lettered")),
                 qPrintable(QStringList(rules.begin(), rules.end()).join(u',')));
        QVERIFY(rules.contains(QStringLiteral("input_quarantined")));

        const Run dead = cli({QStringLiteral("--db"), m_db, QStringLiteral("exceptions"),
                              QStringLiteral("--type"), QStringLiteral("message_dead_lettered"),
                              QStringLiteral("--status"), QStringLiteral("open"), QStringLiteral("--json")});
        QVERIFY2(dead.exitCode == 0, qPrintable(describe(dead)));
        const QJsonArray deadItems = QJsonDocument::fromJson(dead.out.toUtf8()).array();
        QVERIFY(!deadItems.isEmpty());
        QVERIFY(deadItems.size() < items.size());
        for (const QJsonValue &v : deadItems)
            QCOMPARE(v.toObject().value(QStringLiteral("rule")).toString(),
                     QStringLiteral("message_dead_lettered"));

        const Run text = cli({QStringLiteral("--db"), m_db, QStringLiteral("exceptions"),
                              QStringLiteral("--system"), QStringLiteral("portal")});
        QVERIFY2(text.exitCode == 0 && text.out.contains(QStringLiteral("exception(s)")),
                 qPrintable(describe(text)));
        QVERIFY(cli({QStringLiteral("--db"), m_db, QStringLiteral("exceptions"), QStringLiteral("--status"),
                     QStringLiteral("bogus")})
                    .exitCode == 1);
    }

    void replayActsAsTheSignedInUserWithTheirRole()
    {
        const Run dead = cli({QStringLiteral("--db"), m_db, QStringLiteral("exceptions"),
                              QStringLiteral("--type"), QStringLiteral("message_dead_lettered"),
                              QStringLiteral("--status"), QStringLiteral("new"), QStringLiteral("--json")});
        QString id;
        for (const QJsonValue &v : QJsonDocument::fromJson(dead.out.toUtf8()).array()) {
            if (v.toObject()
                    .value(QStringLiteral("document"))
                    .toString()
                    .startsWith(QStringLiteral("purchase_order/")))
                id = QString::number(v.toObject().value(QStringLiteral("id")).toInteger());
        }
        QVERIFY2(!id.isEmpty(), qPrintable(dead.out.left(2000)));
        const QStringList replay{QStringLiteral("--db"),       m_db,          QStringLiteral("replay"), id,
                                 QStringLiteral("--profiles"), profilesFile()};

        const Run refused = cli(replay, rolesFile(Role::CustomerService));
        QVERIFY2(refused.exitCode == 1 && refused.err.contains(QStringLiteral("refused")),
                 qPrintable(describe(refused)));

        const Run dry = cli(replay + QStringList{QStringLiteral("--dry-run")}, rolesFile(Role::Buyer));
        QVERIFY2(dry.exitCode == 0 && dry.out.contains(QStringLiteral("dry run")), qPrintable(describe(dry)));

        const Run first = cli(replay, rolesFile(Role::Buyer));
        QVERIFY2(first.exitCode == 0 && first.out.startsWith(QStringLiteral("replayed\nkey replay-")),
                 qPrintable(describe(first)));
        const Run second = cli(replay, rolesFile(Role::Buyer));
        QVERIFY2(second.exitCode == 0 && second.out.contains(QStringLiteral("applied it already")),
                 qPrintable(describe(second)));
    }

    void auditVerifyFailsOnARowChangedByHandAndNamesIt()
    {
        const Run intact =
            cli({QStringLiteral("--db"), m_db, QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(intact.exitCode == 0 && intact.out.contains(QStringLiteral("intact")),
                 qPrintable(describe(intact)));
        const Run exported = cli({QStringLiteral("--db"), m_db, QStringLiteral("audit"),
                                  QStringLiteral("export"), QStringLiteral("--json")});
        QVERIFY2(exported.exitCode == 0, qPrintable(describe(exported)));
        const QJsonArray entries = QJsonDocument::fromJson(exported.out.toUtf8()).array();
        QVERIFY(entries.size() > 5);
        bool sawReplay = false;
        for (const QJsonValue &v : entries)
            sawReplay = sawReplay || v.toObject().value(QStringLiteral("action")).toString() == u"replay";
        QVERIFY(sawReplay);
        {
            StoreProbe probe(m_db);
            QSqlQuery q(probe.db());
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 4")));
        }
        const Run broken =
            cli({QStringLiteral("--db"), m_db, QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(broken.exitCode == 3, qPrintable(describe(broken)));
        QVERIFY2(broken.out.contains(QStringLiteral("entry 4")), qPrintable(describe(broken)));
    }
};

QTEST_GUILESS_MAIN(TestExceptionsCli)
#include "tst_exceptionscli.moc"
