// The Tryton connector against a real Tryton 6.0 server (Debian's packages) started on 127.0.0.1
// by installer/tryton.sh: sync, trace by the customer's PO, changes made in Tryton, the session's
// re-login, readable errors and the correction through Tryton's API with its audit entry.

#include "connectors/tryton/trytonclient.h"
#include "connectors/tryton/trytonrecords.h"
#include "trytonfixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using json = nlohmann::json;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TrytonTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void syncThenTraceByCustomerPo();
    void rawRecordsAreKeptByteExact();
    void correctionChangesTrytonAndIsAudited();
    void changeInTrytonShowsAfterNextPoll();
    void expiredSessionLogsInAgain();
    void rpcErrorsAreReadable();

private:
    CliRun cli(const QStringList &args, const QProcessEnvironment &extra = {});
    CliRun syncOnce()
    {
        return cli(
            {QStringLiteral("sync"), QStringLiteral("--profiles"), m_profiles, QStringLiteral("--once")});
    }
    QJsonObject traceOf(const QString &identifier);
    // The milestones (or types) of a trace's events, in the trace's order, as "document: milestone".
    static QStringList steps(const QJsonObject &trace);
    tryton::Reply call(const QString &method, const json &params)
    {
        return testing::callTryton(*m_client, method, params);
    }
    qint64 shipmentIdOf(const QString &customerPo);
    QString plannedDateOf(qint64 shipment);
    QProcessEnvironment asRole(const QString &role);

    std::unique_ptr<testing::TrytonServer> m_server;
    std::unique_ptr<tryton::Client> m_client;
    QTemporaryDir m_work;
    QString m_db;
    QString m_profiles;
    QElapsedTimer m_clock;
};

void TrytonTest::initTestCase()
{
    m_clock.start();
    if (const QString why = testing::TrytonServer::unavailableBecause(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_server = std::make_unique<testing::TrytonServer>();
    QString log;
    QVERIFY2(m_server->start(log), qPrintable(log));
    const qint64 started = m_clock.elapsed();
    QVERIFY2(m_server->seed(log), qPrintable(log));
    qInfo("Tryton started in %.1f s, seeded in %.1f s", double(started) / 1000,
          double(m_clock.elapsed() - started) / 1000);
    m_db = m_work.filePath(QStringLiteral("store.db"));
    m_profiles = m_work.filePath(QStringLiteral("connections.json"));
    QFile profiles(m_profiles);
    QVERIFY(profiles.open(QIODevice::WriteOnly));
    profiles.write(m_server->profilesJson());
    profiles.close();
    m_client = std::make_unique<tryton::Client>(m_server->settings(), HttpRunner::Settings{});
}

void TrytonTest::cleanupTestCase()
{
    m_client.reset();
    m_server.reset(); // stops the server
    qInfo("whole Tryton test: %.1f s", double(m_clock.elapsed()) / 1000);
}

CliRun TrytonTest::cli(const QStringList &args, const QProcessEnvironment &extra)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : extra.keys())
        env.insert(key, extra.value(key));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SIGHTLINE_CLI_PATH), QStringList{QStringLiteral("--db"), m_db} + args);
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
    }
    return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                  p.readAllStandardError()};
}

QJsonObject TrytonTest::traceOf(const QString &identifier)
{
    const CliRun run = cli({QStringLiteral("trace"), identifier, QStringLiteral("--json")});
    if (run.exitCode != 0)
        qWarning("trace %s: %s", qPrintable(identifier), run.err.constData());
    return QJsonDocument::fromJson(run.out).object();
}

QStringList TrytonTest::steps(const QJsonObject &trace)
{
    QStringList out;
    for (const QJsonValue &e : trace.value(QStringLiteral("events")).toArray()) {
        const QJsonObject o = e.toObject();
        const QString milestone = o.value(QStringLiteral("milestone")).toString();
        const QJsonValue doc = o.value(QStringLiteral("document"));
        const QString document = doc.isObject()
                                     ? doc.toObject().value(QStringLiteral("kind")).toString() + u' ' +
                                           doc.toObject().value(QStringLiteral("key")).toString()
                                     : doc.toString();
        out.append(document + QStringLiteral(": ") +
                   (milestone.isEmpty() ? o.value(QStringLiteral("type")).toString() : milestone));
    }
    return out;
}

qint64 TrytonTest::shipmentIdOf(const QString &customerPo)
{
    const tryton::Reply sale =
        call(QStringLiteral("model.sale.sale.search_read"),
             json::array({json::array({json::array({"reference", "=", customerPo.toStdString()})}), 0, 1,
                          nullptr, json::array({"shipments"})}));
    if (!sale.ok() || sale.result->empty())
        return 0;
    return sale.result->at(0).at("shipments").at(0).get<qint64>();
}

void TrytonTest::syncThenTraceByCustomerPo()
{
    QElapsedTimer clock;
    clock.start();
    const CliRun sync = syncOnce();
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    qInfo("first sync: %lld ms; %s", clock.elapsed(), sync.out.trimmed().constData());
    QVERIFY2(sync.out.contains("tryton: connected"), sync.out.constData());

    // The sale that shipped: created, then its shipment dispatched, the sale done; linked by the move.
    const QJsonObject shipped = traceOf(QStringLiteral("PO-4711"));
    const QStringList shippedSteps = steps(shipped);
    qInfo("PO-4711: %s", qPrintable(shippedSteps.join(QStringLiteral(" | "))));
    QVERIFY2(shippedSteps.contains(QStringLiteral("sales_order 1: order.created")),
             qPrintable(shippedSteps.join(u'|')));
    QVERIFY(shippedSteps.contains(QStringLiteral("shipment 1: shipment.dispatched")));
    QVERIFY(shippedSteps.contains(QStringLiteral("sales_order 1: tryton.sale.sale.done")));
    QVERIFY(shippedSteps.indexOf(QStringLiteral("sales_order 1: order.created")) <
            shippedSteps.indexOf(QStringLiteral("shipment 1: shipment.dispatched")));
    bool linked = false;
    for (const QJsonValue &l : shipped.value(QStringLiteral("links")).toArray())
        linked = linked || l.toObject().value(QStringLiteral("relation")).toString() == u"fulfils";
    QVERIFY2(linked, QJsonDocument(shipped).toJson().constData());

    // The sale that waits: released to the warehouse, its shipment waiting.
    const QStringList waiting = steps(traceOf(QStringLiteral("PO-4712")));
    qInfo("PO-4712: %s", qPrintable(waiting.join(QStringLiteral(" | "))));
    QVERIFY(waiting.contains(QStringLiteral("sales_order 2: order.created")));
    QVERIFY(waiting.contains(QStringLiteral("sales_order 2: order.released")));
    QVERIFY(waiting.contains(QStringLiteral("shipment 2: tryton.stock.shipment.out.waiting")));
    QVERIFY(!waiting.contains(QStringLiteral("shipment 2: shipment.dispatched")));
    QVERIFY(!waiting.contains(QStringLiteral("shipment 1: shipment.dispatched"))); // not the other sale's

    // The purchase and its receipt, found by the despatch advice number.
    const QStringList receipt = steps(traceOf(QStringLiteral("DESADV-0001")));
    QVERIFY2(receipt.contains(QStringLiteral("purchase_order 1: po.created")),
             qPrintable(receipt.join(u'|')));
    QVERIFY(receipt.contains(QStringLiteral("receipt 1: tryton.stock.shipment.in.done")));

    // A second sync reads only what changed: nothing new is accepted.
    const CliRun again = syncOnce();
    QCOMPARE(again.exitCode, 0);
    const CliRun status = cli({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject s = QJsonDocument::fromJson(status.out).object();
    QVERIFY(s.value(QStringLiteral("checkpoints")).toObject().contains(QStringLiteral("tryton sale.sale")));
    QCOMPARE(s.value(QStringLiteral("duplicates")).toInt(), 0); // nothing read twice
    QCOMPARE(steps(traceOf(QStringLiteral("PO-4711"))), steps(shipped));
}

void TrytonTest::rawRecordsAreKeptByteExact()
{
    // The same record read again, unchanged and with the connector's fields, gives the very bytes
    // the store kept for its event.
    const tryton::PolledModel &model = tryton::polledModels().at(2);
    QCOMPARE(model.model, QStringLiteral("sale.sale"));
    json fields = json::array();
    for (const QString &f : model.fields)
        fields.push_back(f.toStdString());
    const tryton::Reply sale = call(QStringLiteral("model.sale.sale.search_read"),
                                    json::array({json::array({json::array({"reference", "=", "PO-4712"})}), 0,
                                                 1, json::array({json::array({"id", "ASC"})}), fields}));
    QVERIFY2(sale.ok(), qPrintable(sale.error));
    QCOMPARE(sale.result->size(), std::size_t(1));
    // "[{...}]": the one record's bytes.
    const QByteArray record =
        sale.body.mid(sale.resultSpan.begin + 1, sale.resultSpan.end - sale.resultSpan.begin - 2);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(m_db);
        QVERIFY(db.open());
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT raw FROM events WHERE source = ? AND event_id = ?"));
        q.addBindValue(QStringLiteral("tryton"));
        q.addBindValue(
            QStringLiteral("sale.sale/%1/processing").arg(sale.result->at(0).at("id").get<qint64>()));
        QVERIFY(q.exec());
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toByteArray(), record);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
}

QString TrytonTest::plannedDateOf(qint64 shipment)
{
    const tryton::Reply r = call(QStringLiteral("model.stock.shipment.out.read"),
                                 json::array({json::array({shipment}), json::array({"planned_date"})}));
    if (!r.ok() || r.result->size() != 1)
        return r.error;
    const auto date = tryton::dateOf(r.result->at(0).at("planned_date"));
    return date ? date->toString(Qt::ISODate) : QString();
}

QProcessEnvironment TrytonTest::asRole(const QString &role)
{
    const QString file = m_work.filePath(role + QStringLiteral(".roles.json"));
    QFile roles(file);
    if (roles.open(QIODevice::WriteOnly))
        roles.write(QStringLiteral(R"({"default_role": "%1"})").arg(role).toUtf8());
    QProcessEnvironment env;
    env.insert(QStringLiteral("SIGHTLINE_ROLES_FILE"), file);
    return env;
}

void TrytonTest::correctionChangesTrytonAndIsAudited()
{
    const qint64 shipment = shipmentIdOf(QStringLiteral("PO-4712"));
    QVERIFY(shipment > 0);
    const QString before = plannedDateOf(shipment);
    const QString moved = QDate::fromString(before, Qt::ISODate).addDays(9).toString(Qt::ISODate);
    QVERIFY2(!moved.isEmpty(), qPrintable(before));
    const QStringList args{QStringLiteral("correct"),
                           QStringLiteral("shipment"),
                           QStringLiteral("2"),
                           QStringLiteral("--planned-date"),
                           moved,
                           QStringLiteral("--reason"),
                           QStringLiteral("customer asked for a later delivery"),
                           QStringLiteral("--profiles"),
                           m_profiles};

    // Customer service may not correct warehouse documents: refused by the service, Tryton untouched.
    const CliRun refused = cli(args, asRole(QStringLiteral("customer_service")));
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("may not correct warehouse documents"), refused.err.constData());
    QCOMPARE(plannedDateOf(shipment), before);

    // A warehouse supervisor may: the planned date moves in Tryton itself.
    const CliRun applied = cli(args, asRole(QStringLiteral("warehouse_supervisor")));
    QVERIFY2(applied.exitCode == 0, applied.err.constData());
    qInfo("%s", applied.out.trimmed().constData());
    QCOMPARE(plannedDateOf(shipment), moved);

    // A done shipment's date no longer moves; Sightline says why without writing.
    const CliRun done = cli({QStringLiteral("correct"), QStringLiteral("shipment"), QStringLiteral("1"),
                             QStringLiteral("--cancel"), QStringLiteral("--reason"), QStringLiteral("test"),
                             QStringLiteral("--profiles"), m_profiles},
                            asRole(QStringLiteral("warehouse_supervisor")));
    QCOMPARE(done.exitCode, 1);
    QVERIFY2(done.err.contains("shipment 1 is done"), done.err.constData());

    // A draft shipment (a clerk started one) is cancelled in Tryton.
    const tryton::Reply customer =
        call(QStringLiteral("model.party.address.search_read"),
             json::array({json::array({json::array({"party.name", "=", "ACME Retail"})}), 0, 1, nullptr,
                          json::array({"party"})}));
    const tryton::Reply warehouse =
        call(QStringLiteral("model.stock.location.search"),
             json::array({json::array({json::array({"code", "=", "WH"})}), 0, 1, nullptr}));
    QVERIFY2(customer.ok() && warehouse.ok() && customer.result->size() == 1,
             qPrintable(customer.error + warehouse.error));
    const json &address = customer.result->at(0);
    const tryton::Reply created =
        call(QStringLiteral("model.stock.shipment.out.create"),
             json::array({json::array({json{{"customer", address.at("party")},
                                            {"delivery_address", address.at("id")},
                                            {"warehouse", warehouse.result->at(0)}}})}));
    QVERIFY2(created.ok(), qPrintable(created.error));
    const tryton::Reply draft = call(QStringLiteral("model.stock.shipment.out.read"),
                                     json::array({*created.result, json::array({"number", "state"})}));
    QVERIFY2(draft.ok(), qPrintable(draft.error));
    const QString draftNumber = QString::fromStdString(draft.result->at(0).at("number").get<std::string>());
    QCOMPARE(QString::fromStdString(draft.result->at(0).at("state").get<std::string>()),
             QStringLiteral("draft"));
    const CliRun cancelled = cli({QStringLiteral("correct"), QStringLiteral("shipment"), draftNumber,
                                  QStringLiteral("--cancel"), QStringLiteral("--reason"),
                                  QStringLiteral("entered twice"), QStringLiteral("--profiles"), m_profiles},
                                 asRole(QStringLiteral("admin")));
    QVERIFY2(cancelled.exitCode == 0, cancelled.err.constData());
    const tryton::Reply after = call(QStringLiteral("model.stock.shipment.out.read"),
                                     json::array({*created.result, json::array({"state"})}));
    QVERIFY2(after.ok(), qPrintable(after.error));
    QCOMPARE(QString::fromStdString(after.result->at(0).at("state").get<std::string>()),
             QStringLiteral("cancelled"));

    // Each attempt is in the audit log, and the chain holds.
    const CliRun audit = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--json")});
    QCOMPARE(audit.exitCode, 0);
    QStringList results;
    QJsonObject appliedEntry;
    for (const QJsonValue &v : QJsonDocument::fromJson(audit.out).array()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("action")).toString() != u"correct")
            continue;
        results.append(e.value(QStringLiteral("role")).toString() + u' ' +
                       e.value(QStringLiteral("result")).toString());
        if (appliedEntry.isEmpty() && e.value(QStringLiteral("result")).toString() == u"applied")
            appliedEntry = e;
    }
    qInfo("audit: %s", qPrintable(results.join(QStringLiteral(" | "))));
    QCOMPARE(results.size(), 4);
    QVERIFY(results.at(0).startsWith(QStringLiteral("customer_service refused: ")));
    QCOMPARE(results.at(1), QStringLiteral("warehouse_supervisor applied"));
    QVERIFY(results.at(2).startsWith(QStringLiteral("warehouse_supervisor refused: shipment 1 is done")));
    QCOMPARE(results.at(3), QStringLiteral("admin applied"));
    QCOMPARE(appliedEntry.value(QStringLiteral("reason")).toString(),
             QStringLiteral("customer asked for a later delivery"));
    QCOMPARE(appliedEntry.value(QStringLiteral("before"))
                 .toObject()
                 .value(QStringLiteral("planned_date"))
                 .toString(),
             before);
    QCOMPARE(appliedEntry.value(QStringLiteral("after"))
                 .toObject()
                 .value(QStringLiteral("planned_date"))
                 .toString(),
             moved);
    QVERIFY2(appliedEntry.value(QStringLiteral("request"))
                 .toString()
                 .contains(QStringLiteral("model.stock.shipment.out.write")),
             qPrintable(appliedEntry.value(QStringLiteral("request")).toString()));
    QCOMPARE(cli({QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 0);
}

void TrytonTest::changeInTrytonShowsAfterNextPoll()
{
    const qint64 shipment = shipmentIdOf(QStringLiteral("PO-4712"));
    QVERIFY(shipment > 0);
    for (const char *step : {"assign_try", "pick"}) {
        const tryton::Reply r = call(QStringLiteral("model.stock.shipment.out.%1").arg(QLatin1String(step)),
                                     json::array({json::array({shipment})}));
        QVERIFY2(r.ok(), qPrintable(r.error));
    }
    QCOMPARE(syncOnce().exitCode, 0);
    QStringList now = steps(traceOf(QStringLiteral("PO-4712")));
    QVERIFY2(now.contains(QStringLiteral("shipment 2: pick.confirmed")), qPrintable(now.join(u'|')));
    QVERIFY(!now.contains(QStringLiteral("shipment 2: shipment.dispatched")));
    // Each poll sees the state the shipment is in then.
    for (const char *step : {"pack", "done"}) {
        const tryton::Reply r = call(QStringLiteral("model.stock.shipment.out.%1").arg(QLatin1String(step)),
                                     json::array({json::array({shipment})}));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(syncOnce().exitCode, 0);
    }
    now = steps(traceOf(QStringLiteral("PO-4712")));
    qInfo("PO-4712 after the warehouse moved on: %s", qPrintable(now.join(QStringLiteral(" | "))));
    const qsizetype picked = now.indexOf(QStringLiteral("shipment 2: pick.confirmed"));
    const qsizetype packed = now.indexOf(QStringLiteral("shipment 2: pack.confirmed"));
    const qsizetype dispatched = now.indexOf(QStringLiteral("shipment 2: shipment.dispatched"));
    QVERIFY2(picked >= 0 && packed > picked && dispatched > packed, qPrintable(now.join(u'|')));
    QVERIFY(now.indexOf(QStringLiteral("sales_order 2: order.created")) < picked);
}

void TrytonTest::expiredSessionLogsInAgain()
{
    tryton::Client client(m_server->settings(), HttpRunner::Settings{});
    tryton::Reply r = testing::callTryton(client, QStringLiteral("model.sale.sale.search_count"),
                                          json::array({json::array()}));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.result->get<int>(), 2);
    QCOMPARE(client.logins(), 1);
    // End the session on the server, as an expiry or an administrator would.
    r = testing::callTryton(client, QStringLiteral("common.db.logout"), json::array());
    QVERIFY2(r.ok(), qPrintable(r.error));
    r = testing::callTryton(client, QStringLiteral("model.sale.sale.search_count"),
                            json::array({json::array()}));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.result->get<int>(), 2);
    QCOMPARE(client.logins(), 2);
}

void TrytonTest::rpcErrorsAreReadable()
{
    // Tryton's own error for a call it refuses.
    tryton::Reply r = call(QStringLiteral("model.stock.shipment.out.write"),
                           json::array({json::array({999999}), json{{"no_such_field", 1}}}));
    QCOMPARE(r.failure, tryton::Reply::Failure::Rpc);
    qInfo("RPC error: %s", qPrintable(r.error));
    QVERIFY2(r.error.startsWith(QStringLiteral("Tryton (tryton) refused model.stock.shipment.out.write: ")),
             qPrintable(r.error));
    QVERIFY2(!r.error.contains(QStringLiteral("Traceback")), qPrintable(r.error));
    // A wrong password: authentication, named as such, the password never shown.
    QTemporaryDir dir;
    QFile wrong(dir.filePath(QStringLiteral("wrong.pass")));
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write("not-the-password\n");
    wrong.close();
    wrong.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    tryton::ServerSettings settings = m_server->settings();
    settings.password = SecretRef::parse(QStringLiteral("file:") + wrong.fileName()).value();
    tryton::Client refused(settings, HttpRunner::Settings{});
    r = testing::callTryton(refused, QStringLiteral("model.sale.sale.search_count"),
                            json::array({json::array()}));
    QCOMPARE(r.failure, tryton::Reply::Failure::Authentication);
    qInfo("login error: %s", qPrintable(r.error));
    QVERIFY(r.error.contains(QStringLiteral("refused user 'admin'")));
    QVERIFY(!r.error.contains(QStringLiteral("not-the-password")));
    // Something that is not Tryton at all: a JSON layer error.
    QCOMPARE(tryton::describeRpcError(
                 json::array({"UserError", json::array({"The shipment is done.", "Cancel it first."})})),
             QStringLiteral("The shipment is done.: Cancel it first."));
}

QTEST_GUILESS_MAIN(TrytonTest)
#include "tst_tryton.moc"
