// `sightline-cli sync` as a separate process against the sandbox (in this process) with every
// fault mode on: killed with SIGKILL mid-sync and started again, the store ends with every event
// and record exactly once. And secrets stay out of logs, error output, status, profiles written
// back and the store.
#include "connectors/profile/connectionprofile.h"
#include "connectors/profile/sandboxprofiles.h"
#include "connectors/rest/restpoller.h"
#include "connectors/write/writeservice.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "sandboxfixture.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sandboxfixture;

namespace {

const QByteArray kErpToken = "erp-sekrit-5be1c0de";
const QByteArray kPortalPassword = "portal-sekrit-77aa31";
const QByteArray kWrongWmsKey = "wms-sekrit-wrong-9141";

QString cli()
{
    return QStringLiteral(SIGHTLINE_CLI_PATH);
}

// The sandbox profiles with the sandbox's ports, written to dir; REST pages and timeouts adjusted.
QString writeProfiles(const sandbox::SandboxServer &server, const QString &dir, int pageLimit)
{
    const QUrl api(QStringLiteral("http://127.0.0.1:%1").arg(server.httpPort()));
    const QUrl feed(QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.feedPort()));
    auto profiles =
        sandboxConnectionProfiles(api, feed, QStringLiteral(SIGHTLINE_PROFILES_DIR "/sandbox.json"));
    if (!profiles)
        qFatal("%s", qPrintable(profiles.error()));
    QList<ConnectionProfile> list = profiles.value();
    for (ConnectionProfile &p : list) {
        p.enabled = p.name != u"sandbox-erp-oauth"; // the REST lists too, beside the feed
        p.timeout = std::chrono::seconds(2);
        p.pollInterval = std::chrono::seconds(1);
        p.heartbeatTimeout = std::chrono::seconds(3);
        for (RestResource &r : p.resources)
            r.paging.limit = pageLimit;
    }
    const QString path = QDir(dir).filePath(QStringLiteral("connections.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(connectionProfilesToJson(list));
    return path;
}

QProcessEnvironment environment(const QByteArray &wmsKey = "sandbox-wms-key")
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SIGHTLINE_SANDBOX_ERP_TOKEN"), QString::fromLatin1(kErpToken));
    env.insert(QStringLiteral("SIGHTLINE_SANDBOX_WMS_KEY"), QString::fromLatin1(wmsKey));
    env.insert(QStringLiteral("SIGHTLINE_SANDBOX_PORTAL_PASSWORD"), QString::fromLatin1(kPortalPassword));
    return env;
}

sandbox::SandboxOptions secretOptions(quint64 seed)
{
    sandbox::SandboxOptions options = calmOptions(seed, 3);
    options.credentials.erpToken = QString::fromLatin1(kErpToken);
    options.credentials.portalPassword = QString::fromLatin1(kPortalPassword);
    return options;
}

// Starts the CLI; the test's event loop keeps serving the sandbox while it runs.
std::unique_ptr<QProcess> startCli(const QStringList &arguments, const QProcessEnvironment &env)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(env);
    process->start(cli(), arguments);
    return process;
}

bool finishes(QProcess &process, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < timeoutMs)
        QTest::qWait(20);
    return process.state() == QProcess::NotRunning;
}

qint64 storedEvents(const QString &db)
{
    auto reader = StoreReader::open(db);
    if (!reader)
        return 0;
    const auto counts = reader.value()->counts();
    return counts ? counts->events : 0;
}

qint64 allRecords(const sandbox::SandboxServer &server)
{
    return recordCount(server, erpCollections() + wmsCollections() + portalCollections());
}

} // namespace

class TestSyncProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedMidSyncAndStartedAgainLosesAndDoublesNothing()
    {
        sandbox::SandboxServer server(secretOptions(31));
        QVERIFY(server.start().ok());
        QVERIFY(server
                    .setFaults(QJsonObject{{QStringLiteral("error_rate"), 0.08},
                                           {QStringLiteral("rate_limit_rate"), 0.04},
                                           {QStringLiteral("retry_after_seconds"), 1},
                                           {QStringLiteral("hang_rate"), 0.01},
                                           {QStringLiteral("malformed_rate"), 0.04},
                                           {QStringLiteral("latency_ms"), 30},
                                           {QStringLiteral("feed_duplicate_rate"), 0.05},
                                           {QStringLiteral("feed_reorder_rate"), 0.05},
                                           {QStringLiteral("feed_malformed_rate"), 0.01},
                                           {QStringLiteral("feed_disconnect_after"), 400}})
                    .ok());
        const qint64 expected = server.scenario().events().size() + allRecords(server);
        QTemporaryDir dir;
        const QString profiles = writeProfiles(server, dir.path(), 10);
        const QString db = dir.filePath(QStringLiteral("sync.db"));
        const QStringList args{QStringLiteral("--db"),
                               db,
                               QStringLiteral("sync"),
                               QStringLiteral("--profiles"),
                               profiles,
                               QStringLiteral("--mappings"),
                               QStringLiteral(SIGHTLINE_MAPPINGS_DIR)};

        auto first = startCli(args, environment());
        QVERIFY(first->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(storedEvents(db) >= 400, 30000);
        first->kill(); // SIGKILL: no chance to finish a batch or record anything
        QVERIFY(finishes(*first, 10000));
        QCOMPARE(first->exitStatus(), QProcess::CrashExit);
        const qint64 atKill = storedEvents(db);
        QVERIFY2(atKill < expected, "the sync must be killed in the middle");

        auto second = startCli(args + QStringList{QStringLiteral("--once")}, environment());
        QVERIFY(finishes(*second, 90000));
        QVERIFY2(second->exitCode() == 0, second->readAllStandardError().constData());

        auto reader = StoreReader::open(db);
        QVERIFY(reader.ok());
        const StoreCounts counts = reader.value()->counts().value();
        QCOMPARE(counts.events, expected);
        QCOMPARE(inspect(server).value(QStringLiteral("events")).toInt(), server.scenario().events().size());
        // What was quarantined is the cut-off bodies and broken feed texts, each with its reason.
        const auto quarantined = reader.value()->quarantine(10000).value();
        QCOMPARE(qint64(quarantined.size()), counts.quarantined);
        for (const QuarantineEntry &e : quarantined)
            QVERIFY(!e.input.error.isEmpty() && !e.input.raw.isEmpty());

        auto status = startCli({QStringLiteral("--db"), db, QStringLiteral("status")}, environment());
        QVERIFY(finishes(*status, 20000));
        QCOMPARE(status->exitCode(), 0);
        const QByteArray printed = status->readAllStandardOutput();
        for (const char *name : {"sandbox-feed: connected", "sandbox-erp: connected",
                                 "sandbox-wms: connected", "sandbox-portal: connected"})
            QVERIFY2(printed.contains(name), printed.constData());
        QVERIFY(printed.contains("sandbox-erp sales-orders: {"));
    }

    // `sync --once` against sources that stay unreachable (the sandbox is gone: connection refused
    // on REST and on the feed) stops after --give-up-after, naming each connection and its error.
    void onceGivesUpOnAnUnreachableSource()
    {
        QTemporaryDir dir;
        QString profiles;
        {
            sandbox::SandboxServer server(calmOptions(5, 1));
            QVERIFY(server.start().ok());
            profiles = writeProfiles(server, dir.path(), 50);
        } // stopped: nothing listens on its ports any more
        const QString db = dir.filePath(QStringLiteral("unreachable.db"));
        auto sync =
            startCli({QStringLiteral("--db"), db, QStringLiteral("sync"), QStringLiteral("--profiles"),
                      profiles, QStringLiteral("--mappings"), QStringLiteral(SIGHTLINE_MAPPINGS_DIR),
                      QStringLiteral("--once"), QStringLiteral("--give-up-after"), QStringLiteral("4")},
                     environment());
        QVERIFY(finishes(*sync, 60000));
        QCOMPARE(sync->exitStatus(), QProcess::NormalExit);
        QCOMPARE(sync->exitCode(), 1);
        const QByteArray err = sync->readAllStandardError();
        for (const char *name : {"sandbox-erp: gave up after 4 s", "sandbox-feed: gave up after 4 s"})
            QVERIFY2(err.contains(name), err.constData());
        QVERIFY2(err.contains("refused"), err.constData());

        auto usage = startCli({QStringLiteral("--db"), db, QStringLiteral("sync"), QStringLiteral("--once"),
                               QStringLiteral("--give-up-after"), QStringLiteral("soon")},
                              environment());
        QVERIFY(finishes(*usage, 20000));
        QCOMPARE(usage->exitCode(), 1);
    }

    void secretsStayOutOfLogsErrorsStatusProfilesAndStore()
    {
        sandbox::SandboxServer server(secretOptions(32));
        QVERIFY(server.start().ok());
        setFaults(server, R"({"error_rate": 0.2})"); // retries are logged
        QTemporaryDir dir;
        const QString profiles = writeProfiles(server, dir.path(), 20);
        const QString db = dir.filePath(QStringLiteral("secret.db"));
        QProcessEnvironment env = environment(kWrongWmsKey); // the WMS refuses it: error output
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
        auto sync = startCli({QStringLiteral("--db"), db, QStringLiteral("sync"),
                              QStringLiteral("--profiles"), profiles, QStringLiteral("--mappings"),
                              QStringLiteral(SIGHTLINE_MAPPINGS_DIR), QStringLiteral("--once")},
                             env);
        QVERIFY(finishes(*sync, 60000));
        QCOMPARE(sync->exitCode(), 1); // the WMS's credentials were refused
        QByteArray output = sync->readAllStandardOutput() + sync->readAllStandardError();
        QVERIFY2(output.contains("sandbox-wms: authentication failed"), output.constData());
        QVERIFY2(output.contains("retrying"), output.constData()); // debug logging was on

        auto status =
            startCli({QStringLiteral("--db"), db, QStringLiteral("status"), QStringLiteral("--json")}, env);
        QVERIFY(finishes(*status, 20000));
        output += status->readAllStandardOutput() + status->readAllStandardError();
        QVERIFY(output.contains("authentication failed"));

        // Written back, a profile holds references only.
        QFile written(profiles);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray profileText = written.readAll();
        QVERIFY(profileText.contains("env:SIGHTLINE_SANDBOX_ERP_TOKEN"));

        QByteArray storeBytes;
        for (const QString &name : QDir(dir.path()).entryList({QStringLiteral("secret.db*")})) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            storeBytes += f.readAll();
        }
        QVERIFY(storeBytes.size() > 10000);
        for (const QByteArray &secret : {kErpToken, kPortalPassword, kWrongWmsKey}) {
            QVERIFY2(!output.contains(secret), secret.constData());
            QVERIFY2(!profileText.contains(secret), secret.constData());
            QVERIFY2(!storeBytes.contains(secret), secret.constData());
        }
    }

    void secretsStayOutOfThisProcesssMessages()
    {
        sandbox::SandboxServer server(secretOptions(33));
        QVERIFY(server.start().ok());
        static QByteArray captured;
        captured.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.debug=true"));
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &context, const QString &message) {
                captured +=
                    QByteArray(context.category ? context.category : "") + ' ' + message.toUtf8() + '\n';
            });
        setFaults(server, R"({"error_rate": 0.3})");

        ConnectionProfile erp = erpProfile(server, kErpToken);
        ConnectionProfile wrong = erpProfile(server, kWrongWmsKey, "TST_WRONG_ERP_TOKEN");
        wrong.name = QStringLiteral("erp-wrong");
        HttpRunner::Settings quick;
        quick.retry.base = std::chrono::milliseconds(10);
        quick.retry.maxAttempts = 10;
        WriteService writes({erp, wrong}, quick);
        QSignalSpy replies(&writes, &WriteService::finished);
        writes.submit(1, {QStringLiteral("erp"),
                          "POST",
                          QStringLiteral("messages/MSG-1/resubmit"),
                          {},
                          QStringLiteral("s-1")});
        writes.submit(2, {QStringLiteral("erp-wrong"),
                          "POST",
                          QStringLiteral("messages/MSG-1/resubmit"),
                          {},
                          QStringLiteral("s-2")});
        QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 2, 30000);

        QTemporaryDir dir;
        auto store = Store::open(dir.filePath(QStringLiteral("p.db")));
        QVERIFY(store.ok());
        addErpResources(erp);
        RestPoller::Settings settings;
        settings.profile = erp;
        settings.mappingDir = QStringLiteral(SIGHTLINE_MAPPINGS_DIR);
        settings.http = quick;
        RestPoller poller(settings, *store.value());
        QSignalSpy cycles(&poller, &RestPoller::cycleFinished);
        QVERIFY(poller.start({}).ok());
        QVERIFY(cycles.wait(30000));
        poller.stop();
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());

        QVERIFY(captured.contains("sightline.connectors")); // retries and refusals were logged
        QString errors;
        for (const QList<QVariant> &reply : replies)
            errors += reply.at(1).value<WriteReply>().error + u'\n';
        errors += poller.health().lastError;
        QVERIFY(errors.contains(u"authentication failed"));
        for (const QByteArray &secret : {kErpToken, kWrongWmsKey}) {
            QVERIFY2(!captured.contains(secret), captured.constData());
            QVERIFY(!errors.contains(QString::fromLatin1(secret)));
        }
    }
};

QTEST_GUILESS_MAIN(TestSyncProcess)
#include "tst_syncprocess.moc"
