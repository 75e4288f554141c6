#include "models/trace/jsontreemodel.h"
#include "models/trace/searchresultmodel.h"
#include "models/trace/tracecsv.h"
#include "models/trace/tracedocumentmodel.h"
#include "models/trace/traceeventmodel.h"
#include "models/trace/traceissuemodel.h"
#include "testdata.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace sightline;
using testdata::ms;
using testdata::traceEvent;

namespace {

// SO-1 with two lines, a release and a shipment; one link points "upwards" (shipment -> release)
// and one downwards (order -> release), as payloads do.
Trace orderTrace()
{
    Trace t;
    t.id = 7;
    t.documents = {
        testdata::document(1, DocumentKind::SalesOrder, QStringLiteral("SO-1")),
        testdata::document(2, DocumentKind::SalesOrderLine, QStringLiteral("SO-1/1")),
        testdata::document(3, DocumentKind::SalesOrderLine, QStringLiteral("SO-1/2")),
        testdata::document(4, DocumentKind::Shipment, QStringLiteral("SH-1")),
        testdata::document(5, DocumentKind::Release, QStringLiteral("REL-1")),
        testdata::document(6, DocumentKind::Invoice, QStringLiteral("INV-1")),
    };
    t.documents[0].identifiers = {{QStringLiteral("customer_po"), QStringLiteral("CPO-9")}};
    t.links = {{1, 2, QStringLiteral("has_line")},
               {1, 3, QStringLiteral("has_line")},
               {4, 5, QStringLiteral("ships")},
               {1, 5, QStringLiteral("released_as")},
               {6, 1, QStringLiteral("invoices")}};
    const qint64 t0 = ms("2026-11-18T08:00:00Z");
    t.events = {traceEvent(11, 1, QStringLiteral("erp"), QStringLiteral("order.created"), t0),
                traceEvent(12, 1, QStringLiteral("erp"), QStringLiteral("order.released"), t0 + 3600000),
                traceEvent(13, 5, QStringLiteral("wms"), QStringLiteral("pick.confirmed"), t0 + 7200000),
                traceEvent(14, 4, QStringLiteral("wms"), QStringLiteral("shipment.dispatched"), t0 + 9000000,
                           QStringLiteral("shipped, \"on time\"")),
                traceEvent(15, 6, QStringLiteral("erp"), QString(), t0 + 9900000)};
    t.events[4].type = QStringLiteral("com.example.erp.note");
    return t;
}

QModelIndex findDocument(const QAbstractItemModel &m, const QString &text, const QModelIndex &parent = {})
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        if (i.data().toString() == text)
            return i;
        const QModelIndex below = findDocument(m, text, i);
        if (below.isValid())
            return below;
    }
    return {};
}

} // namespace

class TestTraceModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void documentTreeFollowsTheFlow()
    {
        TraceDocumentModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTrace(orderTrace());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex order = model.index(0, 0);
        QCOMPARE(order.data().toString(), QStringLiteral("Sales order SO-1"));
        QCOMPARE(order.siblingAtColumn(TraceDocumentModel::IdentifiersColumn).data().toString(),
                 QStringLiteral("customer_po CPO-9"));
        QCOMPARE(order.siblingAtColumn(TraceDocumentModel::EventsColumn).data().toInt(), 2);
        QCOMPARE(order.siblingAtColumn(TraceDocumentModel::LatestColumn).data().toString(),
                 QStringLiteral("order.released"));
        QCOMPARE(model.rowCount(order), 4); // two lines, the release, the invoice
        const QModelIndex release = findDocument(model, QStringLiteral("Release REL-1"));
        QVERIFY(release.isValid());
        QCOMPARE(release.parent(), order);
        const QModelIndex shipment = findDocument(model, QStringLiteral("Shipment SH-1"));
        QCOMPARE(shipment.parent(), release);
        QCOMPARE(shipment.data(TraceDocumentModel::DocumentIdRole).toLongLong(), 4);
        QCOMPARE(findDocument(model, QStringLiteral("Invoice INV-1")).parent(), order);
        QCOMPARE(model.indexOfDocument(4), shipment);

        // A purchase-order trace replaces it.
        Trace po;
        po.id = 8;
        po.documents = {testdata::document(1, DocumentKind::Receipt, QStringLiteral("RC-1")),
                        testdata::document(2, DocumentKind::Asn, QStringLiteral("ASN-1")),
                        testdata::document(3, DocumentKind::PurchaseOrder, QStringLiteral("PO-1")),
                        testdata::document(4, DocumentKind::PoAcknowledgment, QStringLiteral("ACK-1"))};
        po.links = {{1, 2, QStringLiteral("receives")},
                    {2, 3, QStringLiteral("ships")},
                    {4, 3, QStringLiteral("acknowledges")}};
        model.setTrace(po);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Purchase order PO-1"));
        QCOMPARE(findDocument(model, QStringLiteral("Receipt RC-1")).parent().data().toString(),
                 QStringLiteral("ASN ASN-1"));
        model.setTrace(Trace{});
        QCOMPARE(model.rowCount(), 0);
    }

    void eventTableShowsTimesLagAndConflicts()
    {
        TraceEventModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const Trace t = orderTrace();
        model.setTrace(t, {14});
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(TraceEventModel::ColumnCount));
        const QModelIndex first = model.index(0, TraceEventModel::TimeColumn);
        QCOMPARE(first.data().toString(), QStringLiteral("2026-11-18 08:00:00"));
        QCOMPARE(model.index(0, TraceEventModel::ReceivedColumn).data().toString(),
                 QStringLiteral("2026-11-18 08:00:30"));
        QCOMPARE(model.index(0, TraceEventModel::LagColumn).data().toString(), QStringLiteral("30 s"));
        QCOMPARE(model.index(3, TraceEventModel::DocumentColumn).data().toString(),
                 QStringLiteral("Shipment SH-1"));
        QCOMPARE(model.index(4, TraceEventModel::MilestoneColumn).data().toString(),
                 QStringLiteral("com.example.erp.note"));
        QVERIFY(model.index(3, 0).data(TraceEventModel::ConflictRole).toBool());
        QVERIFY(!model.index(2, 0).data(TraceEventModel::ConflictRole).toBool());
        QCOMPARE(model.rowOfEvent(14), 3);
        QCOMPARE(model.rowOfEvent(999), -1);
        QCOMPARE(model.index(2, 0).data(TraceEventModel::EventRowIdRole).toLongLong(), 13);
        model.setTrace(Trace{});
        QCOMPARE(model.rowCount(), 0);
    }

    void searchResultsAreGroupedByKind()
    {
        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SearchResults results;
        results.query = QStringLiteral("a");
        results.hits = {
            {3, DocumentKind::Shipment, QStringLiteral("SH-1"), QStringLiteral("A1Z"),
             QStringLiteral("tracking")},
            {1, DocumentKind::SalesOrder, QStringLiteral("A-1"), QStringLiteral("A-1"),
             QStringLiteral("key")},
            {9, DocumentKind::Shipment, QStringLiteral("SH-2"), QStringLiteral("Acme"),
             QStringLiteral("partner")},
            {2, DocumentKind::SalesOrder, QStringLiteral("A-2"), QStringLiteral("A-2"),
             QStringLiteral("key")},
        };
        for (int i = 0; i < SearchResultModel::maxHitsPerGroup + 3; ++i)
            results.hits.append({100 + i, DocumentKind::Asn, QStringLiteral("ASN-%1").arg(i),
                                 QStringLiteral("ASN-%1").arg(i), QStringLiteral("key")});
        model.setResults(results);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Sales order"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Shipment"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("ASN"));
        QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("Customers and suppliers"));
        QVERIFY(model.index(0, 0).data(SearchResultModel::IsGroupRole).toBool());
        QCOMPARE(model.rowCount(model.index(0, 0)), 2);
        QCOMPARE(model.rowCount(model.index(2, 0)), SearchResultModel::maxHitsPerGroup);
        QVERIFY(model.index(2, 1).data().toString().contains(QStringLiteral("of 11")));
        const QModelIndex tracking = model.index(0, 0, model.index(1, 0));
        QCOMPARE(tracking.data().toString(), QStringLiteral("A1Z"));
        QCOMPARE(tracking.siblingAtColumn(1).data().toString(), QStringLiteral("Shipment SH-1"));
        QCOMPARE(tracking.data(SearchResultModel::TraceIdRole).toLongLong(), 3);
        const QModelIndex partner = model.index(0, 0, model.index(3, 0));
        QCOMPARE(partner.siblingAtColumn(1).data().toString(), QStringLiteral("Acme"));
        QCOMPARE(partner.data(SearchResultModel::TraceIdRole).toLongLong(), 9);
        QCOMPARE(model.firstHit().data(SearchResultModel::TraceIdRole).toLongLong(), 1);
        QCOMPARE(model.hitCount(), 4 + SearchResultModel::maxHitsPerGroup);
        QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsSelectable));

        SearchHit pinned;
        pinned.traceId = 5;
        pinned.documentKey = QStringLiteral("Sales order SO-5");
        pinned.scheme = QStringLiteral("key");
        model.setSuggestions({QStringLiteral("so-1"), QStringLiteral("acme")}, {pinned});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Pinned traces"));
        QCOMPARE(model.index(0, 0, model.index(1, 0)).data(SearchResultModel::QueryRole).toString(),
                 QStringLiteral("so-1"));
        QCOMPARE(model.index(0, 0, model.index(1, 0)).data(SearchResultModel::TraceIdRole).toLongLong(), 0);
        model.setResults({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.firstHit().isValid());
    }

    void jsonTreeShowsNestedValuesAndFinds()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(
            R"({"id":"e1","data":{"document":{"kind":"asn","key":"ASN-7"},"lines":[{"qty":5},{"qty":7.5}],
                         "ok":true,"none":null}})");
        QVERIFY(model.parseError().isEmpty());
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex data = findDocument(model, QStringLiteral("data"));
        QVERIFY(data.isValid());
        QCOMPARE(data.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("object"));
        QCOMPARE(model.rowCount(data), 4);
        const QModelIndex lines = findDocument(model, QStringLiteral("lines"));
        QCOMPARE(model.rowCount(lines), 2);
        const QModelIndex second = model.index(1, 0, lines);
        QCOMPARE(second.data().toString(), QStringLiteral("[1]"));
        QCOMPARE(model.index(0, JsonTreeModel::ValueColumn, second).data().toString(), QStringLiteral("7.5"));
        QCOMPARE(model.index(0, 0, second).data(JsonTreeModel::PathRole).toString(),
                 QStringLiteral("/data/lines/1/qty"));
        const QModelIndexList found = model.find(QStringLiteral("asn-7"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().data().toString(), QStringLiteral("key"));
        QCOMPARE(model.find(QStringLiteral("qty")).size(), 2);
        QVERIFY(model.find(QString()).isEmpty());

        model.setJson("not json {");
        QVERIFY(!model.parseError().isEmpty());
        QCOMPARE(model.rowCount(), 0);
        model.setJson("[1,\"two\"]");
        QCOMPARE(model.rowCount(), 2);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void issueRowsListConflictsThenGaps()
    {
        TraceIssueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const Trace t = orderTrace();
        TraceAssessment a;
        a.conflicts.append({4, QStringLiteral("wms"), QStringLiteral("shipment.dispatched"),
                            QStringLiteral("shipped"), 14, QStringLiteral("erp"),
                            QStringLiteral("pack.confirmed"), QStringLiteral("packing"), 12,
                            ms("2026-11-18T10:30:00Z")});
        a.gaps.append({QStringLiteral("sales"), QStringLiteral("shipment.dispatched"),
                       QStringLiteral("shipment.delivered"), QStringLiteral("carrier"), 4,
                       ms("2026-11-18T10:30:00Z"), ms("2026-11-21T10:30:00Z"), GapSeverity::AtRisk, false});
        model.setAssessment(t, a);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, TraceIssueModel::SeverityColumn).data().toString(),
                 QStringLiteral("conflict"));
        QCOMPARE(model.index(0, TraceIssueModel::WhatColumn).data().toString(),
                 QStringLiteral("wms says shipped, erp still says packing"));
        QCOMPARE(model.index(0, 0).data(TraceIssueModel::EventRowIdRole).toLongLong(), 14);
        QCOMPARE(model.index(1, TraceIssueModel::SeverityColumn).data().toString(),
                 QStringLiteral("at risk"));
        QCOMPARE(model.index(1, TraceIssueModel::DocumentColumn).data().toString(),
                 QStringLiteral("Shipment SH-1"));
        QCOMPARE(model.index(1, TraceIssueModel::DueColumn).data().toString(),
                 QStringLiteral("2026-11-21 10:30:00"));
        QCOMPARE(model.index(1, 0).data(TraceIssueModel::SeverityRole).toInt(), int(GapSeverity::AtRisk));
        model.setAssessment(t, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void csvQuotesWhatNeedsQuoting()
    {
        const QList<QByteArray> lines = traceToCsv(orderTrace()).split('\n');
        QCOMPARE(lines.size(), 5 + 2); // header, five events, the empty rest after the last CRLF
        QVERIFY(lines[0].startsWith("time,received,lag_ms,system,milestone"));
        QCOMPARE(
            lines[1],
            QByteArray(
                "2026-11-18T08:00:00.000Z,2026-11-18T08:00:30.000Z,30000,erp,order.created,order.created,,"
                "sales_order,SO-1,test/erp,11\r"));
        QVERIFY(lines[4].contains(",\"shipped, \"\"on time\"\"\",shipment,SH-1,"));
    }

    void prefixRangeCoversExactlyThePrefix()
    {
        const PrefixRange r = prefixRange(QStringLiteral("so-1"));
        QCOMPARE(r.lower, QStringLiteral("so-1"));
        QCOMPARE(r.upper, QStringLiteral("so-2"));
        QVERIFY(QStringLiteral("so-1999") >= r.lower && QStringLiteral("so-1999") < r.upper);
        QVERIFY(!(QStringLiteral("so-2") < r.upper));
    }
};

QTEST_GUILESS_MAIN(TestTraceModels)
#include "tst_tracemodels.moc"
