#include "models/ingest/ingestpipeline.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "models/trace/tracereader.h"
#include "testdata.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;

class TestTraceSearch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
    QByteArray m_shipmentLine;

    void ingest(const QByteArray &lines)
    {
        IngestPipeline pipeline(*m_store);
        pipeline.addDocument(lines, QStringLiteral("test"));
        auto report = pipeline.finish();
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error()));
    }

    std::unique_ptr<StoreReader> reader()
    {
        auto r = StoreReader::open(m_path);
        if (!r)
            qFatal("%s", qPrintable(r.error()));
        return std::move(r).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("store.sqlite"));
        auto store = Store::open(m_path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error()));
        m_store = std::move(store).value();
        QByteArray lines;
        lines += testdata::jsonLines(testdata::salesOrder(1001, QStringLiteral("Acme Retail")));
        lines += testdata::jsonLines(testdata::salesOrder(1002, QStringLiteral("Acme Retail")));
        lines += testdata::jsonLines(testdata::salesOrder(2001, QStringLiteral("Brightline Hardware")));
        m_shipmentLine =
            testdata::cloudEvent(testdata::salesOrder(1001, QStringLiteral("Acme Retail")).front());
        ingest(lines);
    }

    void identifiersAreFoundByPrefixCaseInsensitively()
    {
        auto r = reader();
        auto hits = r->searchIdentifiers(QStringLiteral("so-100"), 50);
        QVERIFY(hits.ok());
        QStringList keys;
        for (const SearchHit &h : hits.value())
            keys.append(h.documentKey);
        // The two orders and their lines, nothing of SO-2001.
        QCOMPARE(keys, (QStringList{QStringLiteral("SO-1001"), QStringLiteral("SO-1001/1"),
                                    QStringLiteral("SO-1002"), QStringLiteral("SO-1002/1")}));
        QCOMPARE(hits.value().front().kind, DocumentKind::SalesOrder);
        QCOMPARE(hits.value().front().scheme, QStringLiteral("key"));
        QCOMPARE(hits.value()[1].kind, DocumentKind::SalesOrderLine);

        auto tracking = r->searchIdentifiers(QStringLiteral("1z200"), 50);
        QVERIFY(tracking.ok());
        QCOMPARE(tracking.value().size(), 1);
        QCOMPARE(tracking.value().front().scheme, QStringLiteral("tracking"));
        QCOMPARE(tracking.value().front().documentKey, QStringLiteral("SH-2001"));
        QCOMPARE(tracking.value().front().matched, QStringLiteral("1Z2001"));

        auto limited = r->searchIdentifiers(QStringLiteral("S"), 3);
        QVERIFY(limited.ok());
        QCOMPARE(limited.value().size(), 3);
        QVERIFY(r->searchIdentifiers(QStringLiteral("  "), 10).value().isEmpty());
        QVERIFY(r->searchIdentifiers(QStringLiteral("nothing-like-it"), 10).value().isEmpty());
    }

    void hitsOfOneOrderShareItsTrace()
    {
        auto r = reader();
        const auto hits = r->searchIdentifiers(QStringLiteral("1001"), 50).value();
        QVERIFY(hits.isEmpty()); // prefix, not substring
        const auto order = r->searchIdentifiers(QStringLiteral("SO-1001"), 50).value();
        const auto shipment = r->searchIdentifiers(QStringLiteral("sh-1001"), 50).value();
        const auto cpo = r->searchIdentifiers(QStringLiteral("cpo-1001"), 50).value();
        QCOMPARE(shipment.size(), 1);
        QCOMPARE(cpo.size(), 1);
        QCOMPARE(shipment.front().traceId, order.front().traceId);
        QCOMPARE(cpo.front().traceId, order.front().traceId);
        QCOMPARE(cpo.front().documentKey, QStringLiteral("SO-1001"));
    }

    void documentsAreFoundByTheSkusOfTheirLines()
    {
        ingest(QByteArrayLiteral(
            R"({"specversion":"1.0","id":"sku-1","source":"sandbox/erp","type":"order.created",)"
            R"("time":"2026-11-20T08:00:00Z","data":{"document":{"kind":"sales_order","key":"SO-7001"},)"
            R"("lines":[{"line":1,"sku":"SKU-7001"},{"line":2,"sku":"SKU-7002"},{"line":3,"sku":5},"junk",)"
            R"({"line":4,"sku":"SKU-7001"}]}})"
            "\n"));
        auto r = reader();
        const auto hits = r->searchIdentifiers(QStringLiteral("sku-70"), 50);
        QVERIFY(hits.ok());
        QStringList found;
        for (const SearchHit &h : hits.value()) {
            QCOMPARE(h.scheme, QStringLiteral("sku"));
            QCOMPARE(h.documentKey, QStringLiteral("SO-7001"));
            found.append(h.matched);
        }
        found.sort();
        QCOMPARE(found, (QStringList{QStringLiteral("SKU-7001"), QStringLiteral("SKU-7002")}));
        // the malformed lines were skipped, not a reason to quarantine the event
        QCOMPARE(r->counts()->quarantined, 0);
    }

    void partnersAreFoundByPrefix()
    {
        auto r = reader();
        auto hits = r->searchPartners(QStringLiteral("acm"), 5, 10);
        QVERIFY(hits.ok());
        QCOMPARE(hits.value().size(), 2); // two orders of Acme Retail, one hit per trace
        QSet<qint64> traces;
        for (const SearchHit &h : hits.value()) {
            QVERIFY(h.isPartner());
            QCOMPARE(h.matched, QStringLiteral("Acme Retail"));
            traces.insert(h.traceId);
        }
        QCOMPARE(traces.size(), 2);
        QCOMPARE(r->searchPartners(QStringLiteral("BRIGHT"), 5, 10).value().size(), 1);
        QCOMPARE(r->searchPartners(QStringLiteral("acme"), 5, 1).value().size(), 1);
        QVERIFY(r->searchPartners(QStringLiteral("zeta"), 5, 10).value().isEmpty());
    }

    void traceAssemblesDocumentsAndEventsInOccurrenceOrder()
    {
        auto r = reader();
        const qint64 traceId = r->searchIdentifiers(QStringLiteral("SO-1001"), 1).value().front().traceId;
        auto loaded = r->loadTrace(traceId);
        QVERIFY(loaded.ok());
        const Trace &t = loaded.value();
        // Order, its line, the release and the shipment, linked into one trace.
        QCOMPARE(t.documents.size(), 4);
        QCOMPARE(t.events.size(), 4);
        QStringList milestones;
        for (const TraceEvent &e : t.events)
            milestones.append(e.milestone);
        // Ingested shipment first; shown by occurrence.
        QCOMPARE(milestones,
                 (QStringList{QStringLiteral("order.created"), QStringLiteral("order.released"),
                              QStringLiteral("pick.confirmed"), QStringLiteral("shipment.dispatched")}));
        QCOMPARE(t.events.back().system, QStringLiteral("wms"));
        QCOMPARE(t.events.back().partner, QStringLiteral("Acme Retail"));
    }

    void readerThreadDeliversOnlyTheNewestSearch()
    {
        TraceReader reader(m_path);
        QSignalSpy results(&reader, &TraceReader::searchReady);
        QSignalSpy failures(&reader, &TraceReader::readFailed);
        // Typed quickly: the first two are superseded before their results can be shown.
        reader.search(QStringLiteral("s"));
        reader.search(QStringLiteral("so"));
        reader.search(QStringLiteral("so-2001"));
        QTRY_COMPARE(results.size(), 1);
        QTest::qWait(50); // nothing older may arrive late
        QCOMPARE(results.size(), 1);
        const auto found = results.front().front().value<SearchResults>();
        QCOMPARE(found.query, QStringLiteral("so-2001"));
        QVERIFY(!found.hits.isEmpty());
        QCOMPARE(found.hits.front().documentKey, QStringLiteral("SO-2001"));
        QVERIFY(failures.isEmpty());

        // Partners come back in the same results.
        reader.search(QStringLiteral("acme"));
        QTRY_COMPARE(results.size(), 2);
        const auto partners = results.back().front().value<SearchResults>();
        QCOMPARE(partners.hits.size(), 2);
        QVERIFY(partners.hits.front().isPartner());
    }

    void readerThreadLoadsTracesAndPayloads()
    {
        TraceReader reader(m_path);
        QSignalSpy traces(&reader, &TraceReader::traceReady);
        QSignalSpy payloads(&reader, &TraceReader::payloadReady);
        const qint64 traceId =
            this->reader()->searchIdentifiers(QStringLiteral("SO-1001"), 1).value().front().traceId;
        reader.openTrace(traceId + 1000); // superseded by the next
        reader.openTrace(traceId);
        QTRY_COMPARE(traces.size(), 1);
        const Trace t = traces.front().front().value<Trace>();
        QCOMPARE(t.id, traceId);
        const TraceEvent shipped = t.events.back();
        reader.openPayload(shipped.rowId);
        QTRY_COMPARE(payloads.size(), 1);
        QCOMPARE(payloads.front()[0].toLongLong(), shipped.rowId);
        QCOMPARE(payloads.front()[1].toByteArray(), m_shipmentLine); // byte-exact
    }

    // The trace view lists a trace's open exceptions and draws its SLA targets: the reader brings
    // them with the trace, also when the exception names an older trace id that was merged away.
    void traceCarriesItsExceptionsAndSlaTargets()
    {
        const qint64 traceId =
            reader()->searchIdentifiers(QStringLiteral("SO-1002"), 1).value().front().traceId;
        IngestBatch batch;
        batch.writes.push_back([traceId](QSqlDatabase &db) -> Status {
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "INSERT INTO exceptions (condition_key, rule, family, type, severity, signature, title, "
                "detail, "
                "trace_id, document_kind, document_key, first_seen_ms, last_seen_ms, status, updated_ms) "
                "VALUES (?, 'r', 'business', 't', ?, 's', ?, 'd', ?, 'sales_order', ?, 1, 1, ?, 1)"));
            const QVariantList rows[] = {
                {QStringLiteral("k1"), QStringLiteral("high"), QStringLiteral("by trace"), traceId,
                 QStringLiteral("SO-1002"), QStringLiteral("new")},
                {QStringLiteral("k2"), QStringLiteral("low"), QStringLiteral("by document"), traceId + 999,
                 QStringLiteral("SO-1002"), QStringLiteral("in_progress")},
                {QStringLiteral("k3"), QStringLiteral("low"), QStringLiteral("resolved one"), traceId,
                 QStringLiteral("SO-1002"), QStringLiteral("resolved")},
            };
            for (const QVariantList &row : rows) {
                for (int i = 0; i < row.size(); ++i)
                    q.bindValue(i, row.at(i));
                if (!q.exec())
                    return Error{q.lastError().text()};
            }
            QSqlQuery sla(db);
            sla.prepare(QStringLiteral(
                "INSERT INTO sla_measurements (policy, item_id, document_id, trace_id, partner, warehouse, "
                "start_ms, at_risk_ms, due_ms, end_ms, elapsed_ms, state) "
                "VALUES ('Order release', 1, 1, ?, '', '', 1000, 5000, 7000, NULL, NULL, 'at_risk')"));
            sla.addBindValue(traceId);
            if (!sla.exec())
                return Error{sla.lastError().text()};
            return {};
        });
        QVERIFY(m_store->ingestAndWait(std::move(batch)));

        TraceReader reader(m_path);
        QSignalSpy traces(&reader, &TraceReader::traceReady);
        reader.openTrace(traceId);
        QTRY_COMPARE(traces.size(), 1);
        const Trace t = traces.front().front().value<Trace>();
        QStringList titles;
        for (const TraceException &e : t.exceptions)
            titles << e.title + u'/' + e.status;
        titles.sort(); // the resolved one is not listed
        QCOMPARE(titles,
                 (QStringList{QStringLiteral("by document/in_progress"), QStringLiteral("by trace/new")}));
        QCOMPARE(t.slaTargets.size(), 1);
        QCOMPARE(t.slaTargets.front().policy, QStringLiteral("Order release"));
        QCOMPARE(t.slaTargets.front().dueMs.value_or(0), 7000);
        QVERIFY(!t.slaTargets.front().endMs);
        QCOMPARE(t.slaTargets.front().state, QStringLiteral("at_risk"));
    }

    void readerReportsAStoreItCannotOpen()
    {
        TraceReader reader(m_dir.filePath(QStringLiteral("missing/none.sqlite")));
        QSignalSpy failures(&reader, &TraceReader::readFailed);
        reader.openTrace(1);
        QTRY_COMPARE(failures.size(), 1);
        QVERIFY(!failures.front().front().toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTraceSearch)
#include "tst_tracesearch.moc"
