// A dead-lettered message as RabbitMQ's management API returns it: its x-death history read, the
// event Sightline stores for it (stable id across re-reads, a new id for a new death), what replay
// reads back from that event, and the replay call the exception's raw payload makes.
#include "connectors/rabbitmq/deadletter.h"
#include "deadletterfixture.h"
#include "models/actions/actionservice.h"
#include "models/actions/replay.h"
#include "models/exceptions/exceptionengine.h"
#include "models/exceptions/exceptionrules.h"
#include "models/ingest/cloudevents.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;

using deadletterfixture::recorded;

class TestDeadLetter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheDeathHistory()
    {
        const auto d = deadLetterFromManagement(recorded(1), QStringLiteral("broker"), QStringLiteral("/"),
                                                QStringLiteral("ops.dlq"));
        QVERIFY(d);
        QCOMPARE(d->messageId, QStringLiteral("evt-1"));
        QCOMPARE(d->exchange, QStringLiteral("ops.events"));
        QCOMPARE(d->routingKey, QStringLiteral("shipment.status"));
        QCOMPARE(d->firstDeathQueue, QStringLiteral("shipment.events"));
        QCOMPARE(d->reason, QStringLiteral("rejected"));
        QCOMPARE(d->deathCount, 1);
        QCOMPARE(d->deaths.size(), 1);
        QCOMPARE(d->deaths[0].timeMs, 1796102643000LL);
        QCOMPARE(d->payloadBytes(), QByteArray("{\"a\":1}"));
        // sent back as first published: the broker's death headers are not
        const QJsonObject headers = d->properties.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.keys(), QStringList{QStringLiteral("source")});
        QCOMPARE(d->reasonText(), QStringLiteral("rejected in shipment.events (1 death)"));
    }

    void eventIdIsStableForOneDeathAndNewForTheNext()
    {
        const auto once = deadLetterFromManagement(recorded(1), QStringLiteral("broker"), QStringLiteral("/"),
                                                   QStringLiteral("ops.dlq"));
        const auto again = deadLetterFromManagement(recorded(1), QStringLiteral("broker"),
                                                    QStringLiteral("/"), QStringLiteral("ops.dlq"));
        const auto twice = deadLetterFromManagement(recorded(2), QStringLiteral("broker"),
                                                    QStringLiteral("/"), QStringLiteral("ops.dlq"));
        const auto id = [](const DeadLetter &d) {
            return QJsonDocument::fromJson(deadLetterEvent(d))
                .object()
                .value(QStringLiteral("id"))
                .toString();
        };
        QCOMPARE(id(once.value()), id(again.value()));
        QVERIFY(id(once.value()) != id(twice.value()));
        const QJsonObject event = QJsonDocument::fromJson(deadLetterEvent(once.value())).object();
        QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("message.dead_lettered"));
        QCOMPARE(event.value(QStringLiteral("source")).toString(), QStringLiteral("rabbitmq/broker"));
        QCOMPARE(event.value(QStringLiteral("time")).toString(), QStringLiteral("2026-12-01T05:24:03Z"));
    }

    void replayReadsItBackFromTheKeptEvent()
    {
        const auto d = deadLetterFromManagement(recorded(4), QStringLiteral("broker"), QStringLiteral("/"),
                                                QStringLiteral("ops.dlq"));
        const QByteArray raw = deadLetterEvent(d.value());
        const auto back = deadLetterFromEvent(raw);
        QVERIFY(back);
        QCOMPARE(back->exchange, d->exchange);
        QCOMPARE(back->routingKey, d->routingKey);
        QCOMPARE(back->deadLetterQueue, QStringLiteral("ops.dlq"));
        QCOMPARE(back->payloadBytes(), d->payloadBytes());
        QCOMPARE(back->properties, d->properties);
        QVERIFY(!deadLetterFromEvent("{\"data\":{}}"));

        ExceptionItem item;
        item.id = 42;
        item.rule = QString::fromUtf16(rule::MessageDeadLettered);
        const auto action = replayActionFor(item, raw);
        QVERIFY2(action, qPrintable(action ? QString() : action.error()));
        QCOMPARE(action->connection, QStringLiteral("broker"));
        QCOMPARE(action->method, QByteArray("REDRIVE"));
        QCOMPARE(action->deaths, 4); // the loop guard's measure
        QCOMPARE(action->idempotencyKey, replayIdempotencyKey(42, raw));
    }

    void messageWithoutIdIsKnownByItsPayload()
    {
        QJsonObject m = recorded(1);
        QJsonObject p = m.value(QStringLiteral("properties")).toObject();
        p.remove(QStringLiteral("message_id"));
        m.insert(QStringLiteral("properties"), p);
        const auto d = deadLetterFromManagement(m, QStringLiteral("broker"), QStringLiteral("/"),
                                                QStringLiteral("ops.dlq"));
        QVERIFY(d->messageId.startsWith(QStringLiteral("sha256:")));
    }

    // A message that died 4 times: replaying it warns (the loop guard counts the broker's deaths).
    void loopGuardCountsDeaths()
    {
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath(QStringLiteral("guard.db")));
        QVERIFY(store);
        QJsonObject message = recorded(4);
        message.insert(QStringLiteral("payload"), deadletterfixture::shipmentPayload());
        const auto letter = deadLetterFromManagement(message, QStringLiteral("broker"), QStringLiteral("/"),
                                                     QStringLiteral("ops.dlq"));
        ParsedInput parsed;
        CloudEventReader(QStringLiteral("broker"))
            .readEvent(deadLetterEvent(letter.value()), QStringLiteral("1"), 0, parsed);
        QCOMPARE(parsed.events.size(), 1);
        IngestBatch batch;
        batch.events = parsed.events;
        QVERIFY(store.value()->ingestAndWait(std::move(batch)));
        ExceptionEngine engine(store.value().get(), ExceptionRules::defaults());
        engine.start(false);
        QSignalSpy pass(&engine, &ExceptionEngine::passFinished);
        engine.scanAll();
        QVERIFY(pass.wait(10'000));
        auto reader = StoreReader::open(store.value()->path());
        QSqlQuery q(reader.value()->database());
        QVERIFY(q.exec(QStringLiteral("SELECT id FROM exceptions WHERE rule = 'message_dead_lettered'")) &&
                q.next());
        const qint64 id = q.value(0).toLongLong();
        ActionService service(store.value().get(), Identity{QStringLiteral("ops"), Role::Admin});
        ActionRequest request{ActionKind::Replay, id};
        request.dryRun = true;
        const auto outcome = service.performAndWait(request);
        QVERIFY(outcome);
        QVERIFY2(outcome->done, qPrintable(outcome->message));
        QVERIFY2(outcome->warning.contains(QStringLiteral("died 4 times")), qPrintable(outcome->warning));
        QVERIFY2(outcome->message.contains(
                     QStringLiteral("REDRIVE broker:ops.events/shipment.status from ops.dlq")),
                 qPrintable(outcome->message));
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestDeadLetter)
#include "tst_deadletter.moc"
