// The scenario generator alone: determinism, trouble rates, paging cursors, calendars.
#include "models/sandbox/scenario.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace sightline::sandbox;

namespace {
ScenarioConfig config(quint64 seed, double trouble = 0.1)
{
    ScenarioConfig c;
    c.seed = seed;
    c.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    c.backfillDays = 6;
    c.trouble.setAll(trouble);
    return c;
}

QByteArray fingerprint(const Scenario &s)
{
    QByteArray all;
    for (const FeedEvent &e : s.events())
        all += e.json + '\n';
    all += QJsonDocument(s.inspect()).toJson(QJsonDocument::Compact);
    return all;
}
} // namespace

class TestSandboxScenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameScenario()
    {
        Scenario a(config(7));
        Scenario b(config(7));
        const qint64 end = a.config().start.toMSecsSinceEpoch();
        a.advanceTo(end);
        // b gets there in uneven steps: chunking must not change the outcome.
        for (qint64 t = b.generatedUntilMs(); t < end; t += 37 * 60 * 1000 + 11)
            b.advanceTo(t);
        b.advanceTo(end);
        QVERIFY(a.events().size() > 500);
        QCOMPARE(fingerprint(a), fingerprint(b));
        Scenario c(config(8));
        c.advanceTo(end);
        QVERIFY(fingerprint(a) != fingerprint(c));
    }

    void everyMilestoneHappens()
    {
        Scenario s(config(3));
        s.advanceTo(s.config().start.toMSecsSinceEpoch());
        const QJsonObject byType = s.inspect().value(QStringLiteral("events_by_type")).toObject();
        for (const char *type :
             {"order.created", "order.validated", "order.released", "pick.confirmed", "pack.confirmed",
              "shipment.dispatched", "shipment.delivered", "invoice.posted", "po.created", "po.sent",
              "po.acknowledged", "asn.received", "receipt.posted", "invoice.received", "invoice.matched",
              "message.sent", "message.delivered", "message.failed", "message.dead_lettered"})
            QVERIFY2(byType.value(QLatin1String(type)).toInt() > 0, type);
        // Sequences are dense and start at 1.
        int late = 0;
        for (qsizetype i = 0; i < s.events().size(); ++i) {
            QCOMPARE(s.events().at(i).sequence, i + 1);
            if (i > 0 && s.events().at(i).timeMs < s.events().at(i - 1).timeMs)
                ++late; // reported late: behind an event that happened after it
        }
        QVERIFY(late > 0);
        QCOMPARE(
            late > 0,
            s.inspect().value(QStringLiteral("trouble")).toObject().contains(QStringLiteral("late_event")));
    }

    void troubleFollowsItsRate()
    {
        Scenario calm(config(5, 0.0));
        calm.advanceTo(calm.config().start.toMSecsSinceEpoch());
        QVERIFY(calm.inspect().value(QStringLiteral("trouble")).toObject().isEmpty());
        QCOMPARE(calm.inspect()
                     .value(QStringLiteral("events_by_type"))
                     .toObject()
                     .value(QStringLiteral("invoice.disputed"))
                     .toInt(),
                 0);
        QCOMPARE(calm.records().count(collection::DeadLetters), 0);
        // Without trouble every event reaches the feed in the order it happened, none from the future.
        for (qsizetype i = 1; i < calm.events().size(); ++i)
            QVERIFY(calm.events().at(i).timeMs >= calm.events().at(i - 1).timeMs);
        QVERIFY(calm.events().last().timeMs <= calm.generatedUntilMs());

        ScenarioConfig c = config(5, 0.0);
        QVERIFY(c.trouble.set(QStringLiteral("invoice_price"), 1.0).ok());
        QVERIFY(c.trouble.set(QStringLiteral("failed_delivery"), 0.5).ok());
        QVERIFY(!c.trouble.set(QStringLiteral("no_such_kind"), 0.5).ok());
        Scenario rough(c);
        rough.advanceTo(rough.config().start.toMSecsSinceEpoch());
        const QJsonObject byType = rough.inspect().value(QStringLiteral("events_by_type")).toObject();
        QVERIFY(byType.value(QStringLiteral("invoice.disputed")).toInt() > 0);
        QCOMPARE(byType.value(QStringLiteral("invoice.matched")).toInt(), 0);
        QVERIFY(rough.records().count(collection::DeadLetters) > 0);
        // A dead letter keeps the original payload and its destination.
        const QString dlq = rough.records().ids(collection::DeadLetters).first();
        const QJsonObject *letter = rough.records().find(collection::DeadLetters, dlq);
        QVERIFY(letter->value(QStringLiteral("payload")).isObject());
        QVERIFY(!letter->value(QStringLiteral("destination")).toString().isEmpty());
    }

    void cursorPagesAreStableUnderInserts()
    {
        RecordStore store;
        const auto put = [&store](const QString &id, qint64 ms) {
            store.put(QStringLiteral("c"), id, ms, {{QStringLiteral("id"), id}});
        };
        for (int i = 0; i < 25; ++i)
            put(QStringLiteral("id-%1").arg(i, 2, 10, QChar(u'0')), 1000 + i / 3); // ties on updated_at
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            auto page = store.page(QStringLiteral("c"), 4, cursor, 0);
            QVERIFY(page.ok());
            for (const QJsonObject &item : page->items)
                seen.append(item.value(QStringLiteral("id")).toString());
            cursor = page->nextCursor;
            if (++pages == 2) { // inserts while paging land after the cursor and never shift a page
                put(QStringLiteral("id-new"), 5000);
                put(QStringLiteral("id-00"), 6000); // an update moves the record to the end
            }
        } while (!cursor.isEmpty());
        QCOMPARE(seen.size(), 27);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 26);
        QCOMPARE(seen.count(QStringLiteral("id-00")), 2); // seen before and after its update
        QCOMPARE(seen.last(), QStringLiteral("id-00"));
        QVERIFY(!store.page(QStringLiteral("c"), 4, QStringLiteral("bm9wZQ"), 0).ok());
        auto since = store.page(QStringLiteral("c"), 100, {}, 1007);
        QVERIFY(since.ok());
        QCOMPARE(since->items.size(), 4 + 2); // ids 21..24 at 1007/1008, id-new and id-00
    }

    void warehouseCalendars()
    {
        const QList<Warehouse> list = defaultWarehouses(2026);
        QCOMPARE(list.size(), 3);
        QSet<QByteArray> zones;
        for (const Warehouse &w : list)
            zones.insert(w.timeZone);
        QCOMPARE(zones.size(), 3);
        const Warehouse &east = list.first();
        // Saturday 2026-11-21 12:00 New York is closed; the next opening is Monday 07:00 local.
        const qint64 saturday =
            QDateTime(QDate(2026, 11, 21), QTime(12, 0), QTimeZone("America/New_York")).toMSecsSinceEpoch();
        QVERIFY(!east.isWorking(saturday));
        const QDateTime next =
            QDateTime::fromMSecsSinceEpoch(east.nextWorkingTime(saturday), QTimeZone("America/New_York"));
        QCOMPARE(next.date(), QDate(2026, 11, 23));
        QCOMPARE(next.time(), QTime(east.openHour, 0));
    }
};

QTEST_GUILESS_MAIN(TestSandboxScenario)
#include "tst_sandboxscenario.moc"
