#include "models/domain/milestone.h"
#include "models/trace/traceassessment.h"
#include "testdata.h"

#include <QtTest>

using namespace sightline;
using testdata::ms;
using testdata::traceEvent;

class TestTraceAssessment : public QObject
{
    Q_OBJECT

    static constexpr qint64 hour = 3600 * 1000;

    static Trace salesTrace(const QStringList &milestones, qint64 start, qint64 step)
    {
        Trace t;
        t.id = 1;
        t.documents = {testdata::document(10, DocumentKind::SalesOrder, QStringLiteral("SO-1"))};
        qint64 at = start;
        for (int i = 0; i < milestones.size(); ++i, at += step)
            t.events.append(traceEvent(i + 1, 10, QStringLiteral("erp"), milestones[i], at));
        return t;
    }

private Q_SLOTS:
    void nextMilestoneIsPendingThenAtRiskThenBreached_data()
    {
        QTest::addColumn<qint64>("elapsed");
        QTest::addColumn<int>("severity");
        // order.released -> pick.confirmed has a 6 h target; at risk past 80 % (4.8 h).
        QTest::newRow("1 h: pending") << 1 * hour << int(GapSeverity::Pending);
        QTest::newRow("4.7 h: pending") << 4 * hour + 42 * 60000 << int(GapSeverity::Pending);
        QTest::newRow("5 h: at risk") << 5 * hour << int(GapSeverity::AtRisk);
        QTest::newRow("6 h: at risk still") << 6 * hour << int(GapSeverity::AtRisk);
        QTest::newRow("6 h 1 min: breached") << 6 * hour + 60000 << int(GapSeverity::Breached);
    }
    void nextMilestoneIsPendingThenAtRiskThenBreached()
    {
        QFETCH(qint64, elapsed);
        QFETCH(int, severity);
        const qint64 start = ms("2026-11-18T08:00:00Z");
        const Trace t = salesTrace({QStringLiteral("order.created"), QStringLiteral("order.validated"),
                                    QStringLiteral("order.released")},
                                   start, hour);
        const qint64 released = start + 2 * hour;
        const TraceAssessment a = assessTrace(t, released + elapsed);
        QCOMPARE(a.gaps.size(), 1);
        const MilestoneGap &gap = a.gaps.front();
        QCOMPARE(gap.expected, QStringLiteral("pick.confirmed"));
        QCOMPARE(gap.after, QStringLiteral("order.released"));
        QCOMPARE(gap.system, QStringLiteral("wms"));
        QCOMPARE(gap.sinceMs, released);
        QCOMPARE(gap.dueMs, released + 6 * hour);
        QCOMPARE(int(gap.severity), severity);
        QVERIFY(!gap.skipped);
        QVERIFY(a.conflicts.isEmpty());
    }

    void skippedMilestoneIsMarkedMissing()
    {
        const qint64 start = ms("2026-11-18T08:00:00Z");
        const Trace t =
            salesTrace({QStringLiteral("order.created"), QStringLiteral("order.released")}, start, hour);
        const TraceAssessment a = assessTrace(t, start + 2 * hour);
        QCOMPARE(a.gaps.size(), 2);
        QCOMPARE(a.gaps[0].expected, QStringLiteral("order.validated"));
        QVERIFY(a.gaps[0].skipped);
        QCOMPARE(int(a.gaps[0].severity), int(GapSeverity::AtRisk));
        QCOMPARE(a.gaps[1].expected, QStringLiteral("pick.confirmed"));
        QVERIFY(!a.gaps[1].skipped);
    }

    void completeOrCancelledFlowHasNoGaps()
    {
        const qint64 start = ms("2026-11-01T08:00:00Z");
        const QList<ExpectedFlow> &flows = expectedFlows();
        const Trace complete = salesTrace(flows.front().milestones, start, hour);
        QVERIFY(assessTrace(complete, start + 1000 * hour).gaps.isEmpty());
        const Trace cancelled =
            salesTrace({QStringLiteral("order.created"), QStringLiteral("order.cancelled")}, start, hour);
        QVERIFY(assessTrace(cancelled, start + 1000 * hour).gaps.isEmpty());
        QVERIFY(assessTrace(Trace{}, start).isEmpty());
    }

    void unacknowledgedPurchaseOrderBreachesAfterADay()
    {
        const qint64 sent = ms("2026-11-18T10:05:00Z");
        Trace t;
        t.documents = {testdata::document(1, DocumentKind::PurchaseOrder, QStringLiteral("PO-1"))};
        t.events = {traceEvent(1, 1, QStringLiteral("erp"), QStringLiteral("po.created"), sent - 300000),
                    traceEvent(2, 1, QStringLiteral("erp"), QStringLiteral("po.sent"), sent)};
        TraceAssessment a = assessTrace(t, sent + 25 * hour);
        QCOMPARE(a.gaps.size(), 1);
        QCOMPARE(a.gaps.front().expected, QStringLiteral("po.acknowledged"));
        QCOMPARE(a.gaps.front().system, QStringLiteral("portal"));
        QCOMPARE(int(a.gaps.front().severity), int(GapSeverity::Breached));
        QCOMPARE(a.gaps.front().flow, QStringLiteral("purchasing"));
        a = assessTrace(t, sent + 2 * hour);
        QCOMPARE(int(a.gaps.front().severity), int(GapSeverity::Pending));
    }

    void mirroringSystemBehindIsAConflictAfterTheGracePeriod()
    {
        const qint64 shipped = ms("2026-11-18T14:00:00Z");
        Trace t;
        t.documents = {testdata::document(3, DocumentKind::Shipment, QStringLiteral("SH-1"))};
        t.events = {
            traceEvent(1, 3, QStringLiteral("erp"), QStringLiteral("pack.confirmed"), shipped - 60000,
                       QStringLiteral("packing")),
            traceEvent(2, 3, QStringLiteral("wms"), QStringLiteral("shipment.dispatched"), shipped,
                       QStringLiteral("shipped")),
        };
        QVERIFY(assessTrace(t, shipped + conflictGraceMs - 1).conflicts.isEmpty());
        const TraceAssessment a = assessTrace(t, shipped + 2 * hour);
        QCOMPARE(a.conflicts.size(), 1);
        const StatusConflict &c = a.conflicts.front();
        QCOMPARE(c.documentId, 3);
        QCOMPARE(c.aheadSystem, QStringLiteral("wms"));
        QCOMPARE(c.behindSystem, QStringLiteral("erp"));
        QCOMPARE(c.aheadEventRowId, 1 + 1);
        QCOMPARE(c.behindEventRowId, 1);
        QCOMPARE(describeConflict(c), QStringLiteral("wms says shipped, erp still says packing"));

        // The ERP catching up clears it.
        t.events.append(traceEvent(3, 3, QStringLiteral("erp"), QStringLiteral("shipment.dispatched"),
                                   shipped + hour, QStringLiteral("shipped")));
        QVERIFY(assessTrace(t, shipped + 3 * hour).conflicts.isEmpty());
    }

    void systemReportingItsOwnMilestonesIsNotInConflict()
    {
        // The ERP released the order; the WMS moved on. The ERP does not report picking or
        // shipping, so it is not behind.
        const qint64 t0 = ms("2026-11-18T09:00:00Z");
        Trace t;
        t.documents = {testdata::document(1, DocumentKind::SalesOrder, QStringLiteral("SO-1"))};
        t.events = {
            traceEvent(1, 1, QStringLiteral("erp"), QStringLiteral("order.released"), t0),
            traceEvent(2, 1, QStringLiteral("wms"), QStringLiteral("shipment.dispatched"), t0 + hour)};
        QVERIFY(assessTrace(t, t0 + 10 * hour).conflicts.isEmpty());
    }

    void expectedFlowsAreConsistent()
    {
        for (const ExpectedFlow &flow : expectedFlows()) {
            QCOMPARE(flow.milestones.size(), flow.steps.size() + 1);
            for (int i = 0; i < flow.steps.size(); ++i) {
                QCOMPARE(flow.steps[i].after, flow.milestones[i]);
                QVERIFY(isMilestone(flow.steps[i].expected));
                QVERIFY(flow.steps[i].targetMs > 0);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestTraceAssessment)
#include "tst_traceassessment.moc"
