// Business-hours arithmetic (weekends, holidays, daylight-saving changes both ways, warehouses in
// different time zones), policies and calendars from JSON, and what a policy makes of a trace.
#include "models/sla/calendar.h"
#include "models/sla/histogram.h"
#include "models/sla/measurement.h"
#include "models/sla/policy.h"
#include "models/sla/slareport.h"

#include <QDateTime>
#include <QTest>

using namespace sightline;

namespace {

constexpr qint64 kHour = 3600 * 1000;

qint64 at(const char *zone, int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), QTimeZone(zone)).toMSecsSinceEpoch();
}

BusinessCalendar newYork()
{
    return BusinessCalendar::weekly(QStringLiteral("WH-EAST"), "America/New_York", {1, 2, 3, 4, 5}, 7 * 60,
                                    19 * 60);
}

SlaEvent slaEvent(qint64 row, qint64 doc, const char *kind, const char *milestone, qint64 occurred)
{
    SlaEvent e;
    e.rowId = row;
    e.documentId = doc;
    e.documentKind = QString::fromLatin1(kind);
    e.milestone = QString::fromLatin1(milestone);
    e.partner = QStringLiteral("Contoso Supply");
    e.warehouse = QStringLiteral("WH-EAST");
    e.occurredMs = occurred;
    e.receivedMs = occurred + 60'000;
    return e;
}

} // namespace

class TestSlaCalendar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void weekendIsSkipped()
    {
        const BusinessCalendar c = newYork();
        const qint64 friday = at("America/New_York", 2026, 1, 9, 17);
        const qint64 monday = at("America/New_York", 2026, 1, 12, 9);
        QCOMPARE(c.businessMsBetween(friday, monday), 4 * kHour);
        QCOMPARE(c.addBusinessMs(friday, 4 * kHour).value(), monday);
        QVERIFY(!c.isWorking(at("America/New_York", 2026, 1, 10, 12)));
        QVERIFY(c.isWorking(at("America/New_York", 2026, 1, 12, 7)));
        QVERIFY(!c.isWorking(at("America/New_York", 2026, 1, 12, 19)));
        // Starting outside working hours waits for the opening.
        QCOMPARE(c.addBusinessMs(at("America/New_York", 2026, 1, 10, 3), kHour).value(),
                 at("America/New_York", 2026, 1, 12, 8));
    }

    void holidaysAreSkipped()
    {
        BusinessCalendar c = newYork();
        c.addHoliday(QDate(2026, 12, 25)); // a Friday
        const qint64 thursday = at("America/New_York", 2026, 12, 24, 18);
        const qint64 monday = at("America/New_York", 2026, 12, 28, 8);
        QCOMPARE(c.businessMsBetween(thursday, monday), 2 * kHour);
        QCOMPARE(c.addBusinessMs(thursday, 2 * kHour).value(), monday);
        QVERIFY(!c.isWorking(at("America/New_York", 2026, 12, 25, 12)));
    }

    void daylightSavingSpringForward()
    {
        // New York: 2026-03-08 02:00 becomes 03:00. A Saturday noon to Sunday noon is 23 hours.
        BusinessCalendar allDay = BusinessCalendar::weekly(QStringLiteral("ny"), "America/New_York",
                                                           {1, 2, 3, 4, 5, 6, 7}, 0, 24 * 60);
        const qint64 sat = at("America/New_York", 2026, 3, 7, 12);
        const qint64 sun = at("America/New_York", 2026, 3, 8, 12);
        QCOMPARE(sun - sat, 23 * kHour);
        QCOMPARE(allDay.businessMsBetween(sat, sun), 23 * kHour);
        QCOMPARE(allDay.addBusinessMs(sat, 24 * kHour).value(), at("America/New_York", 2026, 3, 8, 13));
        // Night shift 00:00-06:00: the short night has five working hours.
        BusinessCalendar night =
            BusinessCalendar::weekly(QStringLiteral("night"), "America/New_York", {7}, 0, 6 * 60);
        QCOMPARE(night.businessMsBetween(sat, sun), 5 * kHour);
        QCOMPARE(night.addBusinessMs(sat, 5 * kHour).value(), at("America/New_York", 2026, 3, 8, 6));
    }

    void daylightSavingFallBack()
    {
        // New York: 2026-11-01 02:00 becomes 01:00 again. Saturday noon to Sunday noon is 25 hours.
        BusinessCalendar allDay = BusinessCalendar::weekly(QStringLiteral("ny"), "America/New_York",
                                                           {1, 2, 3, 4, 5, 6, 7}, 0, 24 * 60);
        const qint64 sat = at("America/New_York", 2026, 10, 31, 12);
        const qint64 sun = at("America/New_York", 2026, 11, 1, 12);
        QCOMPARE(allDay.businessMsBetween(sat, sun), 25 * kHour);
        QCOMPARE(allDay.addBusinessMs(sat, 24 * kHour).value(), at("America/New_York", 2026, 11, 1, 11));
        BusinessCalendar night =
            BusinessCalendar::weekly(QStringLiteral("night"), "America/New_York", {7}, 0, 6 * 60);
        QCOMPARE(night.businessMsBetween(sat, sun), 7 * kHour);
        // Rotterdam 06:00-22:00 across its own change (2026-10-25): Friday 21:00 to Monday 07:00.
        BusinessCalendar eu = BusinessCalendar::weekly(QStringLiteral("WH-EU"), "Europe/Amsterdam",
                                                       {1, 2, 3, 4, 5}, 6 * 60, 22 * 60);
        const qint64 friday = at("Europe/Amsterdam", 2026, 10, 23, 21);
        const qint64 monday = at("Europe/Amsterdam", 2026, 10, 26, 7);
        QCOMPARE(monday - friday, 59 * kHour); // 58 hours of local clock plus the repeated hour
        QCOMPARE(eu.businessMsBetween(friday, monday), 2 * kHour);
    }

    void warehousesInDifferentTimeZones()
    {
        const BusinessCalendar east = newYork();
        const BusinessCalendar apac = BusinessCalendar::weekly(QStringLiteral("WH-APAC"), "Asia/Singapore",
                                                               {1, 2, 3, 4, 5, 6}, 8 * 60, 18 * 60);
        // Monday 2026-02-02 14:00 UTC: 09:00 in New York, 22:00 (closed) in Singapore.
        const qint64 start = QDateTime(QDate(2026, 2, 2), QTime(14, 0), Qt::UTC).toMSecsSinceEpoch();
        QCOMPARE(east.addBusinessMs(start, 8 * kHour).value(), at("America/New_York", 2026, 2, 2, 17));
        QCOMPARE(apac.addBusinessMs(start, 8 * kHour).value(), at("Asia/Singapore", 2026, 2, 3, 16));
        // In UTC: New York's eight hours end at 22:00 on Monday, Singapore's at 08:00 on Tuesday.
        QCOMPARE(east.addBusinessMs(start, 8 * kHour).value(),
                 QDateTime(QDate(2026, 2, 2), QTime(22, 0), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(apac.addBusinessMs(start, 8 * kHour).value(),
                 QDateTime(QDate(2026, 2, 3), QTime(8, 0), Qt::UTC).toMSecsSinceEpoch());
        // Saturday works in Singapore, not in New York.
        const qint64 saturday = at("Asia/Singapore", 2026, 2, 7, 9);
        QVERIFY(apac.isWorking(saturday));
        QVERIFY(!east.isWorking(saturday));
    }

    void calendarWithoutWorkingTime()
    {
        BusinessCalendar never;
        QVERIFY(!never.addBusinessMs(0, kHour));
        QCOMPARE(never.businessMsBetween(0, 10 * kHour), 0);
    }

    void defaultPoliciesLoad()
    {
        const SlaConfig config = SlaConfig::defaults();
        QCOMPARE(config.policies.size(), 8);
        const SlaPolicy *ack = config.policy(QStringLiteral("PO acknowledgment"));
        QVERIFY(ack);
        QCOMPARE(ack->from, QStringLiteral("po.sent"));
        QCOMPARE(ack->targetMs(), 24 * kHour);
        QCOMPARE(ack->atRiskFraction, 0.8);
        const SlaPolicy *ship = config.policy(QStringLiteral("Warehouse ship"));
        QVERIFY(ship && ship->businessHours);
        QCOMPARE(config.calendarFor(*ship, {}, QStringLiteral("WH-EAST")).timeZone().id(),
                 QByteArray("America/New_York"));
        QCOMPARE(config.calendarFor(*ship, {}, QStringLiteral("WH-NOWHERE")).name(),
                 QStringLiteral("default"));
        QCOMPARE(config.policy(QStringLiteral("Integration lag"))->targetMs(), 5 * 60 * 1000);
        // Delivery is measured against the promised transit days of the shipment's lane.
        const SlaPolicy *delivery = config.policy(QStringLiteral("Delivery"));
        QVERIFY(delivery);
        QCOMPARE(delivery->targetMsFor(QStringLiteral("Globex Stores"), QStringLiteral("WH-EAST")),
                 3 * 24 * kHour);
        QCOMPARE(delivery->targetMsFor(QStringLiteral("Acme Retail"), QStringLiteral("WH-EAST")),
                 2 * 24 * kHour);
        QCOMPARE(delivery->targetMsFor(QStringLiteral("Acme Retail"), QStringLiteral("WH-APAC")),
                 4 * 24 * kHour);
        QCOMPARE(delivery->targetMsFor(QStringLiteral("Acme Retail"), QStringLiteral("WH-ELSEWHERE")),
                 120 * kHour);
        // It survives a round trip through its own JSON.
        auto again = SlaConfig::fromJson(config.toJson());
        QVERIFY2(again, again ? "" : qPrintable(again.error()));
        QCOMPARE(again->toJson(), config.toJson());
    }

    void userOverrideReplacesByName()
    {
        auto merged = SlaConfig::withOverride(SlaConfig::defaults(), R"({
            "calendars": [{"name": "WH-EAST", "time_zone": "America/New_York",
                           "hours": {"mon": "06:00-22:00", "sat": "08:00-12:00"}}],
            "policies": [{"name": "PO acknowledgment", "from": "po.sent", "to": "po.acknowledged",
                          "target_hours": 48, "at_risk": 0.5, "scope": {"partners": ["Contoso Supply"]}},
                         {"name": "Integration lag", "enabled": false}]})");
        QVERIFY2(merged, merged ? "" : qPrintable(merged.error()));
        QCOMPARE(merged->policies.size(), 7);
        QCOMPARE(merged->policy(QStringLiteral("PO acknowledgment"))->targetMs(), 48 * kHour);
        QCOMPARE(merged->policy(QStringLiteral("PO acknowledgment"))->scope.partners,
                 QStringList{QStringLiteral("Contoso Supply")});
        QVERIFY(!merged->policy(QStringLiteral("Integration lag")));
        const BusinessCalendar *east = merged->calendarNamed(QStringLiteral("WH-EAST"));
        QCOMPARE(east->hours(1).openMinute, 6 * 60);
        QVERIFY(east->hours(6).isOpen());
        QVERIFY(!east->hours(2).isOpen());
    }

    void badConfigurationSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not a JSON object");
        QTest::newRow("milestone") << QByteArray(
                                          R"({"policies": [{"name": "X", "from": "po.snt", "to": "po.sent",
            "target_hours": 1}]})") << QStringLiteral("policy X: from \"po.snt\" is not a milestone");
        QTest::newRow("target") << QByteArray(R"({"policies": [{"name": "X", "from": "po.sent",
            "to": "po.acknowledged"}]})")
                                << QStringLiteral("positive target");
        QTest::newRow("zone") << QByteArray(R"({"calendars": [{"name": "C", "time_zone": "Mars/Olympus"}]})")
                              << QStringLiteral("calendar C: unknown time zone Mars/Olympus");
        QTest::newRow("hours") << QByteArray(R"({"calendars": [{"name": "C", "hours": {"mon": "9-5"}}]})")
                               << QStringLiteral("are not HH:mm-HH:mm");
        QTest::newRow("calendar") << QByteArray(R"({"policies": [{"name": "X", "from": "po.sent",
            "to": "po.acknowledged", "target_business_hours": 1, "calendar": "nope"}]})")
                                  << QStringLiteral("no calendar named nope");
    }

    void badConfigurationSaysWhy()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        auto config = SlaConfig::fromJson(json);
        QVERIFY(!config);
        QVERIFY2(config.error().contains(says), qPrintable(config.error()));
    }

    void measuresATrace()
    {
        SlaConfig config = SlaConfig::defaults();
        const qint64 t0 = at("UTC", 2026, 2, 2, 10);
        // PO 1 sent, acknowledged 30 h later on its acknowledgment document: breached.
        // PO 2 sent 20 h before now, not acknowledged: at risk (past 80 % of 24 h).
        // ASN 5 h before the receipt: met; the invoice is disputed: breached at once.
        QList<SlaEvent> events{slaEvent(1, 1, "purchase_order", "po.sent", t0),
                               slaEvent(2, 10, "po_acknowledgment", "po.acknowledged", t0 + 30 * kHour),
                               slaEvent(3, 2, "purchase_order", "po.sent", t0 + 40 * kHour),
                               slaEvent(4, 11, "asn", "asn.received", t0 + 50 * kHour),
                               slaEvent(5, 12, "receipt", "receipt.posted", t0 + 55 * kHour),
                               slaEvent(6, 13, "supplier_invoice", "invoice.disputed", t0 + 56 * kHour)};
        const qint64 now = t0 + 60 * kHour;
        const QList<SlaMeasurement> all = measureTrace(config, 7, events, now);
        const auto find = [&all](const char *policy, qint64 item) {
            for (const SlaMeasurement &m : all) {
                if (m.policy == QLatin1String(policy) && m.itemId == item)
                    return m;
            }
            return SlaMeasurement{};
        };
        const SlaMeasurement late = find("PO acknowledgment", 1);
        QCOMPARE(late.state, SlaState::Breached);
        QCOMPARE(late.elapsedMs.value(), 30 * kHour);
        QCOMPARE(late.traceId, 7);
        QCOMPARE(late.partner, QStringLiteral("Contoso Supply"));
        const SlaMeasurement waiting = find("PO acknowledgment", 2);
        QCOMPARE(waiting.state, SlaState::AtRisk);
        QVERIFY(!waiting.endMs);
        QCOMPARE(waiting.dueMs.value(), t0 + 64 * kHour);
        QCOMPARE(openStateAt(waiting, t0 + 64 * kHour + 1), SlaState::Breached);
        QCOMPARE(openStateAt(waiting, t0 + 50 * kHour), SlaState::Open);
        QCOMPARE(find("ASN before arrival", 11).state, SlaState::Met);
        QCOMPARE(find("ASN before arrival", 11).elapsedMs.value(), 5 * kHour);
        QCOMPARE(find("Invoice match", 12).state, SlaState::Breached);
        // Integration lag: one per event, each a minute late: met.
        int lags = 0;
        for (const SlaMeasurement &m : all) {
            if (m.policy == QLatin1String("Integration lag")) {
                ++lags;
                QCOMPARE(m.state, SlaState::Met);
            }
        }
        QCOMPARE(lags, 6);
        QCOMPARE(find("ASN completeness", 12).state, SlaState::Met); // the ASN came 5 h before
    }

    void asnCompletenessNeedsAnAsnBeforeTheReceipt()
    {
        const SlaConfig config = SlaConfig::defaults();
        const qint64 t0 = at("UTC", 2026, 2, 2, 10);
        const auto completeness = [&config](const QList<SlaEvent> &events) {
            for (const SlaMeasurement &m : measureTrace(config, 1, events, events.last().occurredMs)) {
                if (m.policy == QLatin1String("ASN completeness"))
                    return std::optional<SlaState>(m.state);
            }
            return std::optional<SlaState>();
        };
        // No ASN at all, and an ASN only after the goods were received: both incomplete.
        QCOMPARE(completeness({slaEvent(1, 1, "purchase_order", "po.sent", t0),
                               slaEvent(2, 2, "receipt", "receipt.posted", t0 + 50 * kHour)}),
                 SlaState::Breached);
        QCOMPARE(completeness({slaEvent(1, 2, "receipt", "receipt.posted", t0),
                               slaEvent(2, 3, "asn", "asn.received", t0 + kHour)}),
                 SlaState::Breached);
        QCOMPARE(completeness({slaEvent(1, 3, "asn", "asn.received", t0),
                               slaEvent(2, 2, "receipt", "receipt.posted", t0 + kHour)}),
                 SlaState::Met);
        // No receipt yet: nothing to measure.
        QCOMPARE(completeness({slaEvent(1, 3, "asn", "asn.received", t0)}), std::nullopt);
    }

    void scorecardsCountAccuracyCompletenessAndDiscrepancies()
    {
        const auto bucket = [](const char *policy, qint64 met, qint64 breached, qint64 open = 0) {
            SlaBucket b;
            b.policy = QString::fromLatin1(policy);
            b.partner = QStringLiteral("Contoso Supply");
            b.warehouse = QStringLiteral("WH-EAST");
            b.met = met;
            b.breached = breached;
            b.open = open;
            return b;
        };
        const QList<SlaBucket> buckets{bucket("ASN before arrival", 6, 2, 2),
                                       bucket("ASN completeness", 9, 1), bucket("Invoice match", 3, 1)};
        SupplierExceptionCounts exceptions;
        exceptions.asnMismatches.insert(QStringLiteral("Contoso Supply"), 3);
        exceptions.invoiceMismatches.insert(QStringLiteral("Contoso Supply"), 1);
        const SlaDashboardData d = buildDashboard({}, buckets, {}, exceptions);
        QCOMPARE(d.suppliers.size(), 1);
        const SupplierScore &s = d.suppliers.first();
        QCOMPARE(s.asnMeasured, 8);
        QCOMPARE(s.asnOnTimePercent, 75.0);
        QCOMPARE(s.asnAccuratePercent, 70.0); // 3 of 10 ASNs did not match their PO
        QCOMPARE(s.receipts, 10);
        QCOMPARE(s.asnCompletePercent, 90.0);
        QCOMPARE(s.invoiceDiscrepancyPercent, 25.0);
    }

    void histogramPercentilesAreClose()
    {
        LatencyHistogram h;
        QList<qint64> values;
        for (qint64 i = 1; i <= 1000; ++i) {
            values.append(i * 7919 % 100'000 * 100);
            h.add(values.last());
        }
        std::sort(values.begin(), values.end());
        for (double p : {50.0, 90.0, 95.0}) {
            const double exact = static_cast<double>(exactPercentile(values, p));
            const double approx = static_cast<double>(LatencyHistogram::decode(h.encode()).percentile(p));
            QVERIFY2(std::abs(approx - exact) <= exact * 0.06,
                     qPrintable(QStringLiteral("p%1: %2 vs %3").arg(p).arg(approx).arg(exact)));
        }
    }
};

QTEST_GUILESS_MAIN(TestSlaCalendar)
#include "tst_slacalendar.moc"
