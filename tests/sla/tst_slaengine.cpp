// The SLA engine over a real store: measured as events arrive (Store::committed), at_risk turning
// into breached as an injected clock passes with no new event, a policy edit recomputing in the
// background, and a store written while no engine ran caught up at start.
#include "models/sla/slaengine.h"
#include "models/sla/slaquery.h"
#include "models/sla/slareader.h"
#include "models/store/store.h"
#include "slatestsupport.h"
#include "tests/store/teststorelocation.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using namespace sightline;
using namespace sightline::test;

namespace {

const qint64 t0 = utc(2026, 2, 2, 10); // a Monday

DocumentRef po(const char *key)
{
    return {DocumentKind::PurchaseOrder, QString::fromLatin1(key)};
}

SlaConfig ackOnly(double targetHours)
{
    SlaConfig c;
    SlaPolicy p;
    p.name = QStringLiteral("PO acknowledgment");
    p.from = QStringLiteral("po.sent");
    p.to = QStringLiteral("po.acknowledged");
    p.targetHours = targetHours;
    c.policies.append(p);
    return c;
}

} // namespace

class TestSlaEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<SlaReader> m_reader;
    std::atomic<qint64> m_now{t0};

    std::unique_ptr<SlaEngine> makeEngine(const SlaConfig &config)
    {
        auto engine = std::make_unique<SlaEngine>(
            *m_store, config, [this] { return m_now.load(); }, 0);
        return engine;
    }

    void ingest(QList<CanonicalEvent> events)
    {
        IngestBatch batch;
        batch.events = std::move(events);
        auto r = m_store->ingestAndWait(std::move(batch));
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
    }

    // The document's measurement under the policy the test is about: not "Integration lag", which
    // measures every event too (rows of equal start come back in any order on PostgreSQL).
    std::optional<SlaMeasurement> item(const char *poKey)
    {
        auto items = m_reader->items({}, std::nullopt, 1000);
        if (!items)
            return std::nullopt;
        std::optional<SlaMeasurement> lag;
        for (const SlaItem &i : items.value()) {
            if (i.documentKey != QLatin1String(poKey))
                continue;
            if (i.measurement.policy != QLatin1String("Integration lag"))
                return i.measurement;
            lag = i.measurement;
        }
        return lag;
    }

    std::optional<SlaState> state(const char *poKey)
    {
        auto m = item(poKey);
        return m ? std::optional<SlaState>(m->state) : std::nullopt;
    }

private Q_SLOTS:
    void initTestCase() { SIGHTLINE_SKIP_WITHOUT_POSTGRES(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        auto store = Store::open(test::storeLocation(
            m_dir, QStringLiteral("%1.db").arg(QLatin1String(QTest::currentTestFunction()))));
        QVERIFY(store);
        m_store = std::move(store.value());
        auto reader = SlaReader::open(m_store->path());
        QVERIFY(reader);
        m_reader = std::move(reader.value());
        m_now = t0;
    }

    void cleanup()
    {
        m_reader.reset();
        m_store.reset();
    }

    void measuresAsEventsArriveAndAsTimePasses()
    {
        auto engine = makeEngine(SlaConfig::defaults());
        QSignalSpy failed(engine.get(), &SlaEngine::slaFailed);
        engine->start();
        ingest({slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-1"), t0),
                slaEvent(QStringLiteral("2"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-2"), t0 + 1 * kHourMs)});
        QTRY_COMPARE(state("PO-1"), SlaState::Open);
        QTRY_COMPARE(state("PO-2"), SlaState::Open);
        // The acknowledgment of PO-1 arrives (on its own document, linking the PO): met.
        m_now = t0 + 3 * kHourMs;
        ingest(
            {slaEvent(QStringLiteral("3"), QStringLiteral("po.acknowledged"), DocumentKind::PoAcknowledgment,
                      QStringLiteral("ACK-1"), t0 + 2 * kHourMs, po("PO-1"))});
        QTRY_COMPARE(state("PO-1"), SlaState::Met);
        QCOMPARE(item("PO-1")->elapsedMs.value(), 2 * kHourMs);
        // No event for PO-2; the clock passes 80 % of 24 h, then 24 h.
        m_now = t0 + 1 * kHourMs + 20 * kHourMs;
        engine->tick();
        QTRY_COMPARE(state("PO-2"), SlaState::AtRisk);
        auto atRisk = m_reader->atRisk({}, 10);
        QVERIFY(atRisk);
        QCOMPARE(atRisk->size(), 1);
        QCOMPARE(atRisk->first().documentKey, QStringLiteral("PO-2"));
        QCOMPARE(bucketsDisagree(*m_reader), QString());
        m_now = t0 + 1 * kHourMs + 24 * kHourMs + 1;
        engine->tick();
        QTRY_COMPARE(state("PO-2"), SlaState::Breached);
        QVERIFY(!item("PO-2")->endMs);
        QCOMPARE(m_reader->atRisk({}, 10)->size(), 0);
        QCOMPARE(bucketsDisagree(*m_reader), QString());
        // A late acknowledgment keeps it breached, now with its latency.
        ingest(
            {slaEvent(QStringLiteral("4"), QStringLiteral("po.acknowledged"), DocumentKind::PoAcknowledgment,
                      QStringLiteral("ACK-2"), t0 + 31 * kHourMs, po("PO-2"))});
        QTRY_VERIFY(item("PO-2")->endMs.has_value());
        QCOMPARE(state("PO-2"), SlaState::Breached);
        QCOMPARE(item("PO-2")->elapsedMs.value(), 30 * kHourMs);
        QCOMPARE(bucketsDisagree(*m_reader), QString());
        QCOMPARE(failed.size(), 0);
    }

    void policyEditRecomputes()
    {
        auto engine = makeEngine(ackOnly(24));
        engine->start();
        m_now = t0 + 40 * kHourMs;
        ingest(
            {slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                      QStringLiteral("PO-1"), t0),
             slaEvent(QStringLiteral("2"), QStringLiteral("po.acknowledged"), DocumentKind::PoAcknowledgment,
                      QStringLiteral("ACK-1"), t0 + 30 * kHourMs, po("PO-1")),
             slaEvent(QStringLiteral("3"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                      QStringLiteral("PO-2"), t0 + 10 * kHourMs)});
        QTRY_COMPARE(state("PO-1"), SlaState::Breached);
        QTRY_COMPARE(state("PO-2"), SlaState::Breached); // 30 h open against 24 h
        QSignalSpy recomputed(engine.get(), &SlaEngine::recomputed);
        engine->setConfig(ackOnly(48));
        QTRY_COMPARE(recomputed.size(), 1);
        QCOMPARE(state("PO-1"), SlaState::Met);
        QCOMPARE(state("PO-2"), SlaState::Open); // 30 h of 48: below 80 %
        QCOMPARE(item("PO-2")->dueMs.value(), t0 + 58 * kHourMs);
        QCOMPARE(bucketsDisagree(*m_reader), QString());
        // A policy removed takes its measurements with it.
        SlaConfig none;
        engine->setConfig(none);
        QTRY_COMPARE(recomputed.size(), 2);
        QCOMPARE(m_reader->measurements({})->size(), 0);
        QCOMPARE(m_reader->buckets(0, t0 * 2)->size(), 0);
    }

    void dashboardCountsOnlyItsPeriod()
    {
        auto engine = makeEngine(ackOnly(24));
        engine->start();
        const qint64 monday = utc(2026, 2, 2, 0);
        m_now = monday + 40 * kHourMs;
        ingest({slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-A"), monday + 8 * kHourMs),
                slaEvent(QStringLiteral("2"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-B"), monday + 12 * kHourMs),
                slaEvent(QStringLiteral("3"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-C"), monday + 33 * kHourMs)});
        QTRY_VERIFY(state("PO-C").has_value());
        // Monday 10:00 to Tuesday 08:00 holds PO-B only, though its buckets cover both whole days.
        SlaQuery query(m_store->path());
        QSignalSpy ready(&query, &SlaQuery::dashboardReady);
        query.refresh(SlaFilter{monday + 10 * kHourMs, monday + 32 * kHourMs, {}, {}, {}},
                      {QStringLiteral("PO acknowledgment")});
        QTRY_COMPARE(ready.size(), 1);
        const auto data = ready.first().at(0).value<SlaDashboardData>();
        QCOMPARE(data.summaries.size(), 1);
        QCOMPARE(data.summaries.first().measured, 1);
        QCOMPARE(data.summaries.first().breached, 1); // 28 h open against 24 h
        // The whole two days: all three.
        query.refresh(SlaFilter{monday, monday + 48 * kHourMs, {}, {}, {}},
                      {QStringLiteral("PO acknowledgment")});
        QTRY_COMPARE(ready.size(), 2);
        QCOMPARE(ready.last().at(0).value<SlaDashboardData>().summaries.first().measured, 3);
    }

    void catchesUpWithEventsStoredWhileNotRunning()
    {
        {
            auto engine = makeEngine(ackOnly(24));
            QSignalSpy updated(engine.get(), &SlaEngine::updated);
            engine->start();
            QTRY_VERIFY(!updated.isEmpty());
            ingest({slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                             QStringLiteral("PO-1"), t0)});
            QTRY_COMPARE(state("PO-1"), SlaState::Open);
        }
        // No engine: a connector or the CLI stores more.
        ingest(
            {slaEvent(QStringLiteral("2"), QStringLiteral("po.acknowledged"), DocumentKind::PoAcknowledgment,
                      QStringLiteral("ACK-1"), t0 + 1 * kHourMs, po("PO-1")),
             slaEvent(QStringLiteral("3"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                      QStringLiteral("PO-2"), t0 + 2 * kHourMs)});
        QCOMPARE(state("PO-1"), SlaState::Open);
        QCOMPARE(state("PO-2"), std::nullopt);
        auto engine = makeEngine(ackOnly(24));
        engine->start();
        QTRY_COMPARE(state("PO-1"), SlaState::Met);
        QTRY_COMPARE(state("PO-2"), SlaState::Open);
        QCOMPARE(bucketsDisagree(*m_reader), QString());
    }

    void eventsWithoutPartnerOrWarehouseAreMeasured()
    {
        auto engine = makeEngine(ackOnly(24));
        QSignalSpy failed(engine.get(), &SlaEngine::slaFailed);
        engine->start();
        ingest({slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                         QStringLiteral("PO-1"), t0, std::nullopt, QString(), QString())});
        QTRY_COMPARE(state("PO-1"), SlaState::Open);
        QCOMPARE(item("PO-1")->partner, QString());
        QCOMPARE(bucketsDisagree(*m_reader), QString());
        QCOMPARE(failed.size(), 0);
    }

    void mergedTracesAreMeasuredTogether()
    {
        auto engine = makeEngine(SlaConfig::defaults());
        engine->start();
        m_now = t0 + 5 * kHourMs;
        // The ASN and the receipt first arrive unlinked: two traces; the receipt's link merges them.
        ingest({slaEvent(QStringLiteral("1"), QStringLiteral("asn.received"), DocumentKind::Asn,
                         QStringLiteral("ASN-1"), t0)});
        QTRY_COMPARE(state("ASN-1"), SlaState::Open);
        ingest({slaEvent(QStringLiteral("2"), QStringLiteral("receipt.posted"), DocumentKind::Receipt,
                         QStringLiteral("REC-1"), t0 + 2 * kHourMs,
                         DocumentRef{DocumentKind::Asn, QStringLiteral("ASN-1")})});
        QTRY_COMPARE(state("ASN-1"), SlaState::Breached); // received 2 h after the ASN: not 4 h ahead
        QCOMPARE(bucketsDisagree(*m_reader), QString());
    }
};

QTEST_GUILESS_MAIN(TestSlaEngine)
#include "tst_slaengine.moc"
