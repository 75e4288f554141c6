// Team mode's replay race: two console PROCESSES press replay on the same exception at the same
// instant, 100 times over (100 exceptions), against the real sandbox over HTTP on a shared
// PostgreSQL store. The claim is taken in the database (the exception's row locked FOR UPDATE and
// marked in flight in one transaction), so exactly one of each pair sends: the sandbox receives
// exactly 100 writes. The sandbox answers slowly (300 ms) so that "at the same instant" holds: the
// second press always lands while the first replay is in flight.
//
// The same executable is the child console: tst_teamreplay --child LOCATION PORT USER reads
// "EXCEPTION_ID" lines on stdin and answers "ID sent|refused|error ..." on stdout.

#include "connectors/sandbox/sandboxserver.h"
#include "exceptiontestsupport.h"
#include "models/actions/actionservice.h"
#include "models/actions/userroles.h"
#include "models/exceptions/exceptionengine.h"
#include "sandboxreplaysender.h"
#include "tests/store/teststorelocation.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <iostream>
#include <string>

using namespace sightline;
using namespace sightline::test;

namespace {

const qint64 t0 = at("2026-11-20T08:00:00Z");
constexpr int kRounds = 100;

int runChild(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
    const QStringList args = app.arguments();
    auto store = Store::open(args.value(2));
    if (!store) {
        std::cout << "error " << store.error().toStdString() << std::endl;
        return 1;
    }
    SandboxReplaySender sender(quint16(args.value(3).toUInt()));
    ActionService service(store.value().get(), {args.value(4), Role::Buyer}, &sender);
    std::cout << "ready" << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
        const qint64 id = std::stoll(line);
        const auto out = service.performAndWait({ActionKind::Replay, id});
        if (!out)
            std::cout << id << " error " << out.error().toStdString() << std::endl;
        else if (out->replay && out->response)
            std::cout << id << " sent" << std::endl;
        else
            std::cout << id << " refused " << out->message.toStdString() << std::endl;
    }
    return 0;
}

QJsonObject get(quint16 port, const QString &path)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

// A child console; its answers are read line by line.
class Console
{
public:
    Console(const QString &location, quint16 port, const QString &user)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--child"), location, QString::number(port), user});
    }
    ~Console()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
    }
    void press(qint64 id) { m_process.write(QByteArray::number(id) + '\n'); }
    // The next answer line; empty after timeoutMs.
    QString answer(int timeoutMs = 20000)
    {
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine()) {
            if (t.elapsed() > timeoutMs || m_process.state() == QProcess::NotRunning)
                return {};
            QTest::qWait(2); // the sandbox answers on this thread: keep its event loop turning
        }
        return QString::fromUtf8(m_process.readLine()).trimmed();
    }

private:
    QProcess m_process;
};

} // namespace

class TestTeamReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SIGHTLINE_SKIP_WITHOUT_POSTGRES();
        if (!onPostgres())
            QSKIP(
                "the replay race is team mode's: two processes on a shared PostgreSQL store (the *_pg run)");
        QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
    }

    void twoProcessesReplayingTheSameExceptionSendOnce()
    {
        sandbox::SandboxOptions o;
        o.speed = 0;
        o.scenario.backfillDays = 1;
        o.scenario.trouble.setAll(0);
        o.faults.latencyMs = 300;
        sandbox::SandboxServer server(o);
        QVERIFY(server.start().ok());

        QTemporaryDir dir;
        const QString location = storeLocation(dir, QStringLiteral("replay-race"));
        auto opened = Store::open(location);
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error()));
        Store &store = *opened.value();
        {
            auto why = std::make_shared<QString>();
            IngestBatch roles;
            roles.writes.push_back(
                userroles::setRole(QStringLiteral("root"), QStringLiteral("root"), Role::Admin, t0, why));
            for (const char *user : {"ann", "bob"})
                roles.writes.push_back(userroles::setRole(QStringLiteral("root"), QString::fromLatin1(user),
                                                          Role::Buyer, t0, why));
            QVERIFY(store.ingestAndWait(std::move(roles)));
            QVERIFY2(why->isEmpty(), qPrintable(*why));
        }
        // 100 failed purchase-order messages, and their exceptions.
        QList<Ev> failed;
        for (int i = 0; i < kRounds; ++i) {
            const QString msg = QStringLiteral("MSG-RACE-%1").arg(i);
            failed.append({msg + u"-f",
                           QStringLiteral("erp"),
                           QStringLiteral("message.failed"),
                           QStringLiteral("purchase_order"),
                           QStringLiteral("PO-RACE-%1").arg(i),
                           t0,
                           {},
                           QJsonObject{{QStringLiteral("message_id"), msg},
                                       {QStringLiteral("destination"), QStringLiteral("portal")},
                                       {QStringLiteral("http_status"), 503},
                                       {QStringLiteral("reason"), QStringLiteral("HTTP 503 from portal")}}});
        }
        QVERIFY(ingest(store, failed));
        {
            ExceptionEngine engine(&store, ExceptionRules::defaults(), [] { return t0 + 3600 * 1000; });
            engine.start(false);
            QSignalSpy pass(&engine, &ExceptionEngine::passFinished);
            engine.scanAll();
            QVERIFY(!pass.isEmpty() || pass.wait(20000));
        }
        StoreProbe probe(location);
        QList<qint64> ids;
        for (int i = 0; i < kRounds; ++i) {
            const auto e = probe.byKey(QStringLiteral("message|MSG-RACE-%1").arg(i));
            QVERIFY(e);
            ids.append(e->id);
        }

        Console ann(location, server.httpPort(), QStringLiteral("ann"));
        Console bob(location, server.httpPort(), QStringLiteral("bob"));
        QCOMPARE(ann.answer(), QStringLiteral("ready"));
        QCOMPARE(bob.answer(), QStringLiteral("ready"));
        int sent = 0, refused = 0;
        QElapsedTimer clock;
        clock.start();
        for (qint64 id : std::as_const(ids)) {
            ann.press(id);
            bob.press(id);
            const QStringList answers{ann.answer(), bob.answer()};
            for (const QString &a : answers) {
                QVERIFY2(a.startsWith(QString::number(id) + u' '),
                         qPrintable(QStringLiteral("exception %1: answer \"%2\"").arg(id).arg(a)));
                if (a.endsWith(QStringLiteral(" sent")))
                    ++sent;
                else if (a.contains(QStringLiteral("in flight")))
                    ++refused;
                else
                    QFAIL(qPrintable(a));
            }
        }
        qInfo("%d rounds of two processes pressing replay at once: %d sent, %d refused as in flight, %lld ms",
              kRounds, sent, refused, clock.elapsed());
        QCOMPARE(sent, kRounds);
        QCOMPARE(refused, kRounds);

        // What the sandbox received: exactly one write per exception.
        const QJsonArray writes = get(server.httpPort(), QStringLiteral("/admin/inspect"))
                                      .value(QStringLiteral("writes"))
                                      .toArray();
        QSet<QString> keys;
        int resubmits = 0;
        for (const QJsonValue &v : writes) {
            const QJsonObject w = v.toObject();
            if (!w.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("/resubmit")))
                continue;
            ++resubmits;
            keys.insert(w.value(QStringLiteral("key")).toString());
        }
        QCOMPARE(resubmits, kRounds);
        QCOMPARE(keys.size(), kRounds);
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--child") == 0)
        return runChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestTeamReplay test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_teamreplay.moc"
