// RabbitMQ for real: a private broker started with installer/rabbitmq.sh on 127.0.0.1, consumed
// over STOMP 1.2 on WebSocket. Live events are stored and ACKed only after the store committed
// them; a consumer that dies before the commit loses nothing (the broker delivers again) and
// duplicates nothing (the store counts the repeat); a malformed body is quarantined and ACKed.
// A message NACKed into the dead-letter queue becomes an exception with its death reason (read
// through the management API by `sightline-cli sync`'s SyncService); replay, pressed twice at
// once and once more later, puts it back on its original exchange once and takes it off the
// dead-letter queue.
#include "connectors/rabbitmq/rabbitmqfeed.h"
#include "connectors/sync/syncservice.h"
#include "models/actions/actionservice.h"
#include "models/exceptions/exceptionengine.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "rabbitmqfixture.h"
#include "ui/exceptions/writepathreplaysender.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QThread>

using namespace sightline;
using namespace rabbitmqfixture;

namespace {

// The feed on its own named connector thread, as SyncService runs it.
class FeedOnThread
{
public:
    FeedOnThread(const QUrl &ws, Store &store, std::chrono::milliseconds batchDelay)
    {
        RabbitMqFeed::Settings s;
        s.stomp.connection = QStringLiteral("broker");
        s.stomp.url = ws;
        s.stomp.login = QStringLiteral("guest");
        s.stomp.passcode = SecretRef::parse(QStringLiteral("env:SIGHTLINE_TEST_RABBITMQ_PASSWORD")).value();
        s.stomp.reconnect = {std::chrono::milliseconds(50), std::chrono::milliseconds(500), 0};
        s.destination = "/amq/queue/shipment.events";
        s.batchDelay = batchDelay;
        s.batchEvents = 10'000;
        m_thread.setObjectName(QStringLiteral("sightline-connector-broker"));
        feed = new RabbitMqFeed(s, store);
        feed->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, feed, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            feed, [f = feed] { f->start(); }, Qt::QueuedConnection);
    }
    ~FeedOnThread()
    {
        if (m_thread.isRunning()) {
            QMetaObject::invokeMethod(
                feed, [f = feed] { f->stop(); }, Qt::BlockingQueuedConnection);
            m_thread.quit();
            m_thread.wait();
        }
    }
    // As if the process died: nothing buffered is committed, nothing is acknowledged.
    void crash()
    {
        QMetaObject::invokeMethod(
            feed, [f = feed] { f->abort(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    RabbitMqFeed *feed = nullptr;

private:
    QThread m_thread;
};

qint64 scalar(const QString &dbPath, const QString &sql)
{
    auto reader = StoreReader::open(dbPath);
    if (!reader)
        return -1;
    QSqlQuery q(reader.value()->database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 20'000)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QTest::qWait(100);
    }
    return true;
}

ConnectionProfile brokerProfile(const PrivateBroker &broker, bool feed, bool deadLetters,
                                const QString &mapping = {})
{
    const QByteArray json =
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("connections"),
                 QJsonArray{QJsonObject{
                     {QStringLiteral("name"), QStringLiteral("broker")},
                     {QStringLiteral("kind"), QStringLiteral("rabbitmq")},
                     {QStringLiteral("url"), broker.stompUrl().toString()},
                     {QStringLiteral("auth"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("basic")},
                                  {QStringLiteral("user"), QStringLiteral("guest")},
                                  {QStringLiteral("password"),
                                   QStringLiteral("env:SIGHTLINE_TEST_RABBITMQ_PASSWORD")}}},
                     {QStringLiteral("rabbitmq"),
                      QJsonObject{{QStringLiteral("management_url"), broker.managementUrl().toString()},
                                  {QStringLiteral("destination"),
                                   feed ? QStringLiteral("/amq/queue/shipment.events") : QString()},
                                  {QStringLiteral("dead_letter_queues"),
                                   deadLetters ? QJsonArray{QStringLiteral("ops.dlq")} : QJsonArray{}},
                                  {QStringLiteral("mapping"), mapping},
                                  {QStringLiteral("dead_letter_poll_seconds"), 1}}}}}}})
            .toJson();
    auto parsed = parseConnectionProfiles(json, QStringLiteral("broker.json"));
    return parsed ? parsed->constFirst() : ConnectionProfile{};
}

// A consumer that NACKs (requeue:false) every message of a queue: the broker dead-letters them.
int nackEverything(const QUrl &ws, const QByteArray &queue, int expected)
{
    StompClient::Settings s;
    s.connection = QStringLiteral("rejecting consumer");
    s.url = ws;
    s.login = QStringLiteral("guest");
    s.passcode = SecretRef::parse(QStringLiteral("env:SIGHTLINE_TEST_RABBITMQ_PASSWORD")).value();
    StompClient client(s);
    int nacked = 0;
    QObject::connect(&client, &StompClient::messageReceived, &client,
                     [&](const StompFrame &f, quint64 session) {
                         nacked += client.nack(f.header("ack"), session, false) ? 1 : 0;
                     });
    client.subscribe("reject", "/amq/queue/" + queue, {{"ack", "client-individual"}});
    client.open();
    waitFor([&] { return nacked >= expected; }, 15'000);
    QTest::qWait(200); // the NACK frames leave before the socket closes
    client.close();
    return nacked;
}

} // namespace

class TestRabbitMq : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PrivateBroker> m_broker;
    std::unique_ptr<Management> m_api;
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QElapsedTimer m_clock;

    QString dbPath() const { return m_dir.filePath(QStringLiteral("broker.db")); }
    qint64 events() const
    {
        return scalar(dbPath(), QStringLiteral("SELECT COUNT(*) FROM events WHERE source = 'wms/rabbit'"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        qputenv("SIGHTLINE_TEST_RABBITMQ_PASSWORD", "guest");
        m_broker = std::make_unique<PrivateBroker>();
        if (!m_broker->skipReason().isEmpty())
            QSKIP(qPrintable(m_broker->skipReason()));
        QVERIFY2(m_broker->running(), qPrintable(m_broker->error()));
        qInfo("broker started in %d s (%s)", m_broker->startSeconds(),
              qPrintable(m_broker->managementUrl().toString()));
        m_api = std::make_unique<Management>(m_broker->managementUrl());
        QVERIFY(m_api->declareTopology());
        auto store = Store::open(dbPath());
        QVERIFY2(store, qPrintable(store ? QString() : store.error()));
        m_store = std::move(store).value();
    }

    void cleanupTestCase()
    {
        m_store.reset();
        if (m_broker) {
            QElapsedTimer t;
            t.start();
            m_broker->stop();
            qInfo("broker stopped in %lld ms; whole test %lld ms", t.elapsed(), m_clock.elapsed());
        }
    }

    void liveEventsAreStoredThenAcknowledged()
    {
        const qint64 before = events();
        const int n = 200;
        for (int i = 0; i < n; ++i)
            QVERIFY(m_api->publish(
                QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                shipmentEvent(QStringLiteral("live-%1").arg(i), QStringLiteral("SHP-%1").arg(i % 20)),
                QStringLiteral("live-%1").arg(i)));
        QElapsedTimer t;
        t.start();
        FeedOnThread feed(m_broker->stompUrl(), *m_store, std::chrono::milliseconds(50));
        QVERIFY(waitFor([&] { return events() == before + n; }));
        qInfo("%d messages stored and acknowledged in %lld ms (%.0f messages/s, connect included)", n,
              t.elapsed(), n * 1000.0 / double(std::max<qint64>(1, t.elapsed())));
        QVERIFY2(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0),
                 "acknowledged messages left the queue");
    }

    void crashBeforeCommitLosesNothingAndDuplicatesNothing()
    {
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        const qint64 before = events();
        const int n = 10;
        for (int i = 0; i < n; ++i)
            QVERIFY(m_api->publish(
                QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                shipmentEvent(QStringLiteral("crash-%1").arg(i), QStringLiteral("SHP-C%1").arg(i))));
        {
            // Batches wait a minute before committing: the messages arrive and stay unacknowledged.
            FeedOnThread slow(m_broker->stompUrl(), *m_store, std::chrono::minutes(1));
            QVERIFY2(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, n),
                     "delivered but not acknowledged before the commit");
            QCOMPARE(events(), before); // nothing committed yet
            slow.crash();
        }
        QVERIFY2(m_api->waitForQueue(QStringLiteral("shipment.events"), n, 0),
                 "back in the queue after the crash");
        QCOMPARE(events(), before);
        {
            FeedOnThread again(m_broker->stompUrl(), *m_store, std::chrono::milliseconds(50));
            QVERIFY(waitFor([&] { return events() == before + n; }));
            QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
            // The same events published again (a producer retrying): counted, not stored twice.
            const qint64 duplicatesBefore =
                scalar(dbPath(), QStringLiteral("SELECT COALESCE(SUM(duplicate_count), 0) FROM events"));
            for (int i = 0; i < n; ++i)
                QVERIFY(m_api->publish(
                    QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                    shipmentEvent(QStringLiteral("crash-%1").arg(i), QStringLiteral("SHP-C%1").arg(i))));
            QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
            QVERIFY(waitFor([&] {
                return scalar(dbPath(),
                              QStringLiteral("SELECT COALESCE(SUM(duplicate_count), 0) FROM events")) ==
                       duplicatesBefore + n;
            }));
        }
        QCOMPARE(events(), before + n);
    }

    void malformedBodyIsQuarantinedRawAndAcknowledged()
    {
        const qint64 before = scalar(dbPath(), QStringLiteral("SELECT COUNT(*) FROM quarantine"));
        const QByteArray broken = "{\"specversion\": \"1.0\", \"id\": \"half";
        QVERIFY(m_api->publish(QStringLiteral("ops.events"), QStringLiteral("shipment.status"), broken,
                               QStringLiteral("broken-1")));
        FeedOnThread feed(m_broker->stompUrl(), *m_store, std::chrono::milliseconds(50));
        QVERIFY(waitFor([&] {
            return scalar(dbPath(), QStringLiteral("SELECT COUNT(*) FROM quarantine")) == before + 1;
        }));
        auto reader = StoreReader::open(dbPath());
        QVERIFY(reader);
        const auto q = reader.value()->quarantine(1000).value();
        const auto it = std::find_if(q.cbegin(), q.cend(),
                                     [&](const QuarantineEntry &e) { return e.input.raw == broken; });
        QVERIFY2(it != q.cend(), "the raw body is kept byte-exact");
        QCOMPARE(it->input.origin, QStringLiteral("broker"));
        QVERIFY2(it->input.position.contains(QStringLiteral("broken-1")), qPrintable(it->input.position));
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0,
                                    0)); // acknowledged: not redelivered forever
    }

    // The broker drops the connection (as on a restart or a network cut): the feed connects again
    // with backoff, subscribes again, and goes on storing.
    void reconnectsAfterTheBrokerClosesTheConnection()
    {
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        const qint64 before = events();
        FeedOnThread feed(m_broker->stompUrl(), *m_store, std::chrono::milliseconds(50));
        QSignalSpy health(feed.feed, &RabbitMqFeed::healthChanged);
        QJsonArray connections;
        QVERIFY(waitFor([&] {
            connections = m_api->call("GET", QStringLiteral("connections")).json().toArray();
            return !connections.isEmpty();
        }));
        for (const QJsonValue &c : std::as_const(connections)) {
            const QString name = c.toObject().value(QStringLiteral("name")).toString();
            QVERIFY(m_api->call("DELETE", QStringLiteral("connections/") +
                                              QString::fromLatin1(QUrl::toPercentEncoding(name)))
                            .status /
                        100 ==
                    2);
        }
        QVERIFY2(waitFor([&] {
                     for (const QList<QVariant> &args : std::as_const(health)) {
                         if (args.at(0).value<ConnectionHealth>().state == ConnectionHealth::State::Down)
                             return true;
                     }
                     return false;
                 }),
                 "the feed saw the connection go");
        for (int i = 0; i < 5; ++i)
            QVERIFY(m_api->publish(
                QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                shipmentEvent(QStringLiteral("after-cut-%1").arg(i), QStringLiteral("SHP-R%1").arg(i))));
        QVERIFY2(waitFor([&] { return events() == before + 5; }), "stored after reconnecting");
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
    }

    // Bodies that are not CloudEvents, mapped by the profile's mapping file (as REST records are).
    void mapsBodiesWithTheProfilesMappingFile()
    {
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        const QJsonObject rule{
            {QStringLiteral("name"), QStringLiteral("carrier scan")},
            {QStringLiteral("id"), QStringLiteral("{/scan_id}")},
            {QStringLiteral("type"), QStringLiteral("carrier.scan.{/status}")},
            {QStringLiteral("milestone"),
             QJsonObject{{QStringLiteral("pointer"), QStringLiteral("/status")},
                         {QStringLiteral("values"),
                          QJsonObject{{QStringLiteral("delivered"), QStringLiteral("shipment.delivered")}}}}},
            {QStringLiteral("time"),
             QJsonObject{{QStringLiteral("pointer"), QStringLiteral("/at")},
                         {QStringLiteral("formats"), QJsonArray{QStringLiteral("rfc3339")}}}},
            {QStringLiteral("document"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("shipment")},
                                                     {QStringLiteral("key"), QStringLiteral("/shipment")}}}};
        QFile file(m_dir.filePath(QStringLiteral("carrier-scans.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("name"), QStringLiteral("carrier scans")},
                                             {QStringLiteral("source"), QStringLiteral("carrier/rabbit")},
                                             {QStringLiteral("system"), QStringLiteral("carrier")},
                                             {QStringLiteral("rules"), QJsonArray{rule}}})
                       .toJson());
        file.close();
        QVERIFY(m_api->publish(QStringLiteral("ops.events"), QStringLiteral("shipment.scan"),
                               "{\"scan_id\": \"S-1\", \"shipment\": \"SHP-M1\", \"status\": \"delivered\", "
                               "\"at\": \"2026-11-30T12:00:00Z\"}",
                               QStringLiteral("S-1")));
        SyncService sync(*m_store,
                         {brokerProfile(*m_broker, true, false, QStringLiteral("carrier-scans.json"))},
                         m_dir.path());
        QVERIFY(sync.start());
        QVERIFY(waitFor([&] {
            return scalar(dbPath(),
                          QStringLiteral("SELECT COUNT(*) FROM events WHERE source = 'carrier/rabbit' AND "
                                         "milestone = 'shipment.delivered'")) == 1;
        }));
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        sync.stop();
    }

    void nackedMessageBecomesAnExceptionWithItsDeathReason()
    {
        ExceptionEngineThread engine(m_store.get(), ExceptionRules::defaults());
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        QVERIFY(m_api->publish(QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                               shipmentEvent(QStringLiteral("dead-1"), QStringLiteral("SHP-D1")),
                               QStringLiteral("dead-1")));
        QCOMPARE(nackEverything(m_broker->stompUrl(), "shipment.events", 1), 1);
        QVERIFY2(m_api->waitForQueue(QStringLiteral("ops.dlq"), 1, 0), "dead-lettered");

        SyncService sync(*m_store, {brokerProfile(*m_broker, false, true)}, QString());
        QSignalSpy caughtUp(&sync, &SyncService::allCaughtUp);
        QVERIFY(sync.start());
        QVERIFY(caughtUp.wait(20'000));
        const QString exceptionSql = QStringLiteral(
            "SELECT COUNT(*) FROM exceptions WHERE rule = 'message_dead_lettered' AND document_key = "
            "'SHP-D1' "
            "AND detail LIKE 'Message dead-1 to ops.events/shipment.status: rejected in shipment.events (1 "
            "death)%'");
        QVERIFY2(waitFor([&] { return scalar(dbPath(), exceptionSql) == 1; }),
                 "the exception names the death reason");
        // Read again (the reader polls every second): the same death stores nothing new.
        const QString deadEvents = QStringLiteral("SELECT COUNT(*) FROM events WHERE source = "
                                                  "'rabbitmq/broker' AND type = 'message.dead_lettered'");
        QCOMPARE(scalar(dbPath(), deadEvents), 1);
        QTest::qWait(2500);
        QCOMPARE(scalar(dbPath(), deadEvents), 1);
        QVERIFY(scalar(dbPath(),
                       QStringLiteral("SELECT COALESCE(SUM(duplicate_count), 0) FROM events WHERE source = "
                                      "'rabbitmq/broker'")) >= 1);
        QVERIFY2(m_api->waitForQueue(QStringLiteral("ops.dlq"), 1, 0), "reading took nothing off the queue");
        sync.stop();
        // The kept event carries the x-death history and the raw payload.
        auto reader = StoreReader::open(dbPath());
        QVERIFY(reader);
        QSqlQuery q(reader.value()->database());
        QVERIFY(q.exec(QStringLiteral("SELECT raw FROM events WHERE source = 'rabbitmq/broker'")) &&
                q.next());
        const QJsonObject broker = QJsonDocument::fromJson(q.value(0).toByteArray())
                                       .object()[QStringLiteral("data")][QStringLiteral("broker")]
                                       .toObject();
        QCOMPARE(broker[QStringLiteral("payload")].toString().toUtf8(),
                 shipmentEvent(QStringLiteral("dead-1"), QStringLiteral("SHP-D1")));
        const QJsonObject death = broker[QStringLiteral("x_death")].toArray().at(0).toObject();
        QCOMPARE(death[QStringLiteral("reason")].toString(), QStringLiteral("rejected"));
        QCOMPARE(death[QStringLiteral("queue")].toString(), QStringLiteral("shipment.events"));
        QCOMPARE(death[QStringLiteral("exchange")].toString(), QStringLiteral("ops.events"));
        QCOMPARE(death[QStringLiteral("count")].toInt(), 1);
    }

    void replayPutsItBackOnceEvenWhenPressedTwice()
    {
        ExceptionEngineThread engine(m_store.get(), ExceptionRules::defaults());
        const qint64 exceptionId = scalar(
            dbPath(), QStringLiteral("SELECT id FROM exceptions WHERE rule = 'message_dead_lettered' AND "
                                     "document_key = 'SHP-D1'"));
        QVERIFY(exceptionId > 0);
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        WriteService writes({brokerProfile(*m_broker, false, true)});
        WritePathReplaySender sender(&writes);
        ActionService service(m_store.get(), Identity{QStringLiteral("ops"), Role::Admin}, &sender);
        ActionRequest request{ActionKind::Replay, exceptionId};
        request.reason = QStringLiteral("the consumer is fixed");
        // Pressed twice at the same instant.
        QList<Result<ActionOutcome>> outcomes;
        service.perform(request, [&](Result<ActionOutcome> r) { outcomes.append(std::move(r)); });
        service.perform(request, [&](Result<ActionOutcome> r) { outcomes.append(std::move(r)); });
        QVERIFY(waitFor([&] { return outcomes.size() == 2; }, 40'000));
        int replayed = 0;
        for (const auto &o : outcomes) {
            QVERIFY2(o, qPrintable(o ? QString() : o.error()));
            if (o->done && o->message == u"replayed")
                ++replayed;
            else
                QVERIFY2(!o->done && o->message.contains(QStringLiteral("in flight")),
                         qPrintable(o->message));
        }
        QCOMPARE(replayed, 1);
        QVERIFY2(m_api->waitForQueue(QStringLiteral("ops.dlq"), 0, 0), "taken off the dead-letter queue");
        QVERIFY2(m_api->waitForQueue(QStringLiteral("shipment.events"), 1, 0),
                 "back on its original exchange");

        // Pressed again later: it is not in the dead-letter queue any more; nothing is sent.
        const auto again = service.performAndWait(request);
        QVERIFY(again);
        QVERIFY2(again->done, qPrintable(again->message));
        QVERIFY2(again->message.contains(QStringLiteral("applied it already")), qPrintable(again->message));
        QTest::qWait(1500); // counters lag: give a second copy time to show, were there one
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 1, 0));

        // What arrived is the message as first published, on the original exchange and routing key.
        const QJsonArray got = m_api
                                   ->call("POST", QStringLiteral("queues/%2F/shipment.events/get"),
                                          {{QStringLiteral("count"), 10},
                                           {QStringLiteral("ackmode"), QStringLiteral("ack_requeue_true")},
                                           {QStringLiteral("encoding"), QStringLiteral("auto")}})
                                   .json()
                                   .toArray();
        QCOMPARE(got.size(), 1);
        const QJsonObject m = got.at(0).toObject();
        QCOMPARE(m[QStringLiteral("exchange")].toString(), QStringLiteral("ops.events"));
        QCOMPARE(m[QStringLiteral("routing_key")].toString(), QStringLiteral("shipment.status"));
        QCOMPARE(m[QStringLiteral("payload")].toString().toUtf8(),
                 shipmentEvent(QStringLiteral("dead-1"), QStringLiteral("SHP-D1")));
        QCOMPARE(m[QStringLiteral("properties")][QStringLiteral("message_id")].toString(),
                 QStringLiteral("dead-1"));

        // The feed consuming the original queue takes it in, sees it was replayed, and the
        // exception resolves itself.
        {
            FeedOnThread feed(m_broker->stompUrl(), *m_store, std::chrono::milliseconds(50));
            QVERIFY2(
                waitFor([&] {
                    return scalar(dbPath(),
                                  QStringLiteral("SELECT COUNT(*) FROM exceptions WHERE id = %1 AND status = "
                                                 "'resolved'")
                                      .arg(exceptionId)) == 1;
                }),
                "a replayed message that arrives resolves its exception");
            QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        }

        // Every replay, refused or not, is in the audit log.
        const auto audited = [&](const QString &where) {
            return scalar(dbPath(),
                          QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE exception_id = %1 AND %2")
                              .arg(exceptionId)
                              .arg(where));
        };
        QCOMPARE(audited(QStringLiteral("action = 'replay_sent'")), 2);
        QCOMPARE(audited(QStringLiteral("action = 'replay' AND result NOT LIKE 'refused%'")), 2);
        QCOMPARE(audited(QStringLiteral("result LIKE 'refused%'")), 1);
    }

    // What a user types: `sightline-cli sync --once` with a rabbitmq profile reads the dead-letter
    // queue; `sightline-cli replay ID` sends the message back.
    void commandLineSyncAndReplay()
    {
        QVERIFY(m_api->waitForQueue(QStringLiteral("ops.dlq"), 0, 0));
        QVERIFY(m_api->publish(QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                               shipmentEvent(QStringLiteral("dead-2"), QStringLiteral("SHP-D2")),
                               QStringLiteral("dead-2")));
        QCOMPARE(nackEverything(m_broker->stompUrl(), "shipment.events", 1), 1);
        QVERIFY(m_api->waitForQueue(QStringLiteral("ops.dlq"), 1, 0));

        const QString profiles = m_dir.filePath(QStringLiteral("profiles.json"));
        const QString roles = m_dir.filePath(QStringLiteral("roles.json"));
        const QString db = m_dir.filePath(QStringLiteral("cli.db"));
        QFile p(profiles);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(connectionProfilesToJson({brokerProfile(*m_broker, false, true)}));
        p.close();
        QFile r(roles);
        QVERIFY(r.open(QIODevice::WriteOnly));
        r.write("{\"default_role\": \"admin\"}");
        r.close();
        const auto cli = [&](const QStringList &args, QByteArray *out = nullptr) {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SIGHTLINE_ROLES_FILE"), roles);
            process.setProcessEnvironment(env);
            process.start(QStringLiteral(SIGHTLINE_CLI_PATH), QStringList{QStringLiteral("--db"), db} + args);
            if (!process.waitForFinished(60'000))
                return -1;
            if (out)
                *out = process.readAllStandardOutput();
            const QByteArray err = process.readAllStandardError();
            if (process.exitCode() != 0)
                qWarning("%s", err.constData());
            return process.exitCode();
        };
        QCOMPARE(
            cli({QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--profiles"), profiles}),
            0);
        QByteArray listed;
        QCOMPARE(cli({QStringLiteral("exceptions"), QStringLiteral("--detect"), QStringLiteral("--json")},
                     &listed),
                 0);
        qint64 id = 0;
        for (const QJsonValue &v : QJsonDocument::fromJson(listed).array()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("rule")).toString() == u"message_dead_lettered")
                id = e.value(QStringLiteral("id")).toInteger();
        }
        QVERIFY2(id > 0, listed.constData());
        QByteArray replayed;
        QCOMPARE(cli({QStringLiteral("replay"), QString::number(id), QStringLiteral("--profiles"), profiles,
                      QStringLiteral("--reason"), QStringLiteral("consumer fixed")},
                     &replayed),
                 0);
        QVERIFY2(replayed.startsWith("replayed"), replayed.constData());
        QVERIFY(m_api->waitForQueue(QStringLiteral("ops.dlq"), 0, 0));
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 1, 0));
        QVERIFY(m_api->purge(QStringLiteral("shipment.events")));
    }

    // A dead letter whose payload names no document joins no trace: it is kept in the quarantine,
    // with its death reason, once however often the queue is read.
    void deadLetterWithoutDocumentIsQuarantinedOnce()
    {
        ExceptionEngineThread engine(m_store.get(), ExceptionRules::defaults());
        QVERIFY(m_api->waitForQueue(QStringLiteral("shipment.events"), 0, 0));
        QVERIFY(m_api->waitForQueue(QStringLiteral("ops.dlq"), 0, 0));
        QVERIFY(m_api->publish(QStringLiteral("ops.events"), QStringLiteral("shipment.status"),
                               "{\"carrier\": \"ACME\", \"status\": \"lost\"}", QStringLiteral("plain-1")));
        QCOMPARE(nackEverything(m_broker->stompUrl(), "shipment.events", 1), 1);
        QVERIFY(m_api->waitForQueue(QStringLiteral("ops.dlq"), 1, 0));
        const QString kept =
            QStringLiteral("SELECT COUNT(*) FROM quarantine WHERE origin = 'broker' AND position LIKE "
                           "'%plain-1%' AND error LIKE '%rejected in shipment.events (1 death)%'");
        {
            SyncService sync(*m_store, {brokerProfile(*m_broker, false, true)}, QString());
            QVERIFY(sync.start());
            QVERIFY(waitFor([&] { return scalar(dbPath(), kept) == 1; }));
            QTest::qWait(2500); // read twice more
        }
        QCOMPARE(scalar(dbPath(), kept), 1);
        QVERIFY2(waitFor([&] {
                     return scalar(dbPath(),
                                   QStringLiteral("SELECT COUNT(*) FROM exceptions e JOIN quarantine q ON "
                                                  "q.id = e.quarantine_id WHERE q.position LIKE "
                                                  "'%plain-1%'")) == 1;
                 }),
                 "shown as an exception");
        QVERIFY(m_api->purge(QStringLiteral("ops.dlq")));
    }
};

QTEST_GUILESS_MAIN(TestRabbitMq)
#include "tst_rabbitmq.moc"
