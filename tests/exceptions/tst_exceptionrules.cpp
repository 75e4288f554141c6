// Exception detection on real SQLite files: every business rule of SPEC.md §3 with a document that
// trips it and one that does not, technical exceptions from failed and dead-lettered messages and
// from quarantined input, automatic resolve when the condition clears, reopen on recurrence, and
// time-based rules driven by an injected clock. The engine runs on its own named thread in the
// last case, fed by the store's commits.

#include "exceptiontestsupport.h"
#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionengine.h"
#include "models/exceptions/exceptionrules.h"
#include "tests/store/teststorelocation.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 hour = 3600 * 1000;
const qint64 t0 = at("2026-11-20T08:00:00Z");
const QString erp = QStringLiteral("erp");
const QString wms = QStringLiteral("wms");
const QString portal = QStringLiteral("portal");
const QString po = QStringLiteral("purchase_order");

QJsonObject withLines(QJsonArray ls)
{
    return {{QStringLiteral("lines"), ls}};
}
} // namespace

class TestExceptionRules : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ExceptionEngine> m_engine;
    std::unique_ptr<StoreProbe> m_probe;
    qint64 m_now = t0;

    void scan()
    {
        QSignalSpy spy(m_engine.get(), &ExceptionEngine::passFinished);
        m_engine->scanAll();
        if (spy.isEmpty())
            QVERIFY(spy.wait(10000));
    }

    void tick()
    {
        QSignalSpy spy(m_engine.get(), &ExceptionEngine::passFinished);
        m_engine->checkTime();
        if (spy.isEmpty())
            QVERIFY(spy.wait(10000));
    }

    // A PO with one line of 100 at 10.00 promised 2026-12-01, sent at t0.
    QList<Ev> purchaseOrder(const QString &key)
    {
        return {{key + u"-c",
                 erp,
                 QStringLiteral("po.created"),
                 po,
                 key,
                 t0 - hour,
                 {},
                 withLines(lines({line(1, 100, QStringLiteral("2026-12-01"), 10.0)})),
                 {},
                 QStringLiteral("Acme Supply"),
                 QStringLiteral("WH-EAST")},
                {key + u"-s",
                 erp,
                 QStringLiteral("po.sent"),
                 po,
                 key,
                 t0,
                 {},
                 {},
                 {},
                 QStringLiteral("Acme Supply"),
                 QStringLiteral("WH-EAST")}};
    }

    Ev ack(const QString &poKey, const QString &key, double qty, const QString &promised,
           qint64 when = t0 + 2 * hour)
    {
        return {key,
                portal,
                QStringLiteral("po.acknowledged"),
                QStringLiteral("po_acknowledgment"),
                key,
                when,
                QJsonArray{link(po, poKey)},
                withLines(lines({line(1, qty, promised)})),
                {},
                QStringLiteral("Acme Supply")};
    }

private Q_SLOTS:
    void initTestCase() { SIGHTLINE_SKIP_WITHOUT_POSTGRES(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        static int n = 0;
        auto store = Store::open(storeLocation(m_dir, QStringLiteral("rules-%1.db").arg(++n)));
        QVERIFY2(store, qPrintable(store.ok() ? QString() : store.error()));
        m_store = std::move(store.value());
        m_now = t0;
        m_engine = std::make_unique<ExceptionEngine>(m_store.get(), ExceptionRules::defaults(),
                                                     [this] { return m_now; });
        m_engine->start(false);
        m_probe = std::make_unique<StoreProbe>(m_store->path());
    }

    void cleanup()
    {
        m_probe.reset();
        m_engine.reset();
        m_store.reset();
    }

    void asnQuantityDiffersFromPo()
    {
        QList<Ev> evs = purchaseOrder(QStringLiteral("PO-1")) + purchaseOrder(QStringLiteral("PO-2"));
        evs.append(ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 100, QStringLiteral("2026-12-01")));
        evs.append(ack(QStringLiteral("PO-2"), QStringLiteral("ACK-2"), 100, QStringLiteral("2026-12-01")));
        evs.append({QStringLiteral("asn-1"), portal, QStringLiteral("asn.received"), QStringLiteral("asn"),
                    QStringLiteral("ASN-1"), t0 + 24 * hour, QJsonArray{link(po, QStringLiteral("PO-1"))},
                    withLines(lines({line(1, 80)}))});
        evs.append({QStringLiteral("asn-2"), portal, QStringLiteral("asn.received"), QStringLiteral("asn"),
                    QStringLiteral("ASN-2"), t0 + 24 * hour, QJsonArray{link(po, QStringLiteral("PO-2"))},
                    withLines(lines({line(1, 100)}))});
        QVERIFY(ingest(*m_store, evs));
        m_now = t0 + 25 * hour;
        scan();
        const auto found = m_probe->byRule(QStringLiteral("asn_quantity"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().documentKey, QStringLiteral("ASN-1"));
        QVERIFY2(found.front().detail.contains(QStringLiteral("ASN 80, PO 100")),
                 qPrintable(found.front().detail));
        QCOMPARE(found.front().partner, QStringLiteral("Acme Supply"));
        QCOMPARE(found.front().status, ExceptionStatus::New);
        QVERIFY(found.front().traceId > 0);
    }

    void receiptBeyondToleranceOfAsn()
    {
        QList<Ev> evs;
        for (const auto &[n, received] : {std::pair{1, 97.0}, std::pair{2, 99.0}}) {
            const QString asn = QStringLiteral("ASN-%1").arg(n);
            evs.append({asn,
                        portal,
                        QStringLiteral("asn.received"),
                        QStringLiteral("asn"),
                        asn,
                        t0,
                        {},
                        withLines(lines({line(1, 100)}))});
            evs.append({QStringLiteral("rec-%1").arg(n), wms, QStringLiteral("receipt.posted"),
                        QStringLiteral("receipt"), QStringLiteral("REC-%1").arg(n), t0 + hour,
                        QJsonArray{link(QStringLiteral("asn"), asn)},
                        withLines(lines({QJsonObject{{QStringLiteral("line"), 1},
                                                     {QStringLiteral("expected_quantity"), 100},
                                                     {QStringLiteral("received_quantity"), received}}}))});
        }
        QVERIFY(ingest(*m_store, evs));
        scan();
        const auto found = m_probe->byRule(QStringLiteral("receipt_tolerance"));
        QCOMPARE(found.size(), 1); // 3 % off trips, 1 % does not
        QCOMPARE(found.front().documentKey, QStringLiteral("REC-1"));
    }

    void poNotAcknowledgedInTimeThenAcknowledged()
    {
        QVERIFY(ingest(*m_store, purchaseOrder(QStringLiteral("PO-1"))));
        m_now = t0 + 23 * hour;
        scan();
        QVERIFY(m_probe->byRule(QStringLiteral("po_not_acknowledged")).isEmpty());
        m_now = t0 + 24 * hour + 1;
        tick(); // the timer looks again once it could have changed
        auto found = m_probe->byRule(QStringLiteral("po_not_acknowledged"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().status, ExceptionStatus::New);

        // The late acknowledgment arrives: the exception resolves by itself.
        QVERIFY(ingest(*m_store, {ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 100,
                                      QStringLiteral("2026-12-01"), t0 + 30 * hour)}));
        m_now = t0 + 31 * hour;
        scan();
        found = m_probe->byRule(QStringLiteral("po_not_acknowledged"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().status, ExceptionStatus::Resolved);
        QCOMPARE(found.front().statusReason, QStringLiteral("condition cleared"));
        const ExceptionItem detail = m_probe->load(found.front().id);
        QCOMPARE(detail.history.size(), 2);
        QCOMPARE(detail.history.at(1).what, QStringLiteral("auto_resolve"));
    }

    void acknowledgmentChangingQuantityOrSlippingDate()
    {
        QList<Ev> evs;
        for (int n = 1; n <= 4; ++n)
            evs += purchaseOrder(QStringLiteral("PO-%1").arg(n));
        evs.append(ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 60,
                       QStringLiteral("2026-12-01"))); // quantity cut
        evs.append(ack(QStringLiteral("PO-2"), QStringLiteral("ACK-2"), 100,
                       QStringLiteral("2026-12-04"))); // 3 days
        evs.append(ack(QStringLiteral("PO-3"), QStringLiteral("ACK-3"), 100,
                       QStringLiteral("2026-12-03"))); // 2 days: fine
        evs.append(ack(QStringLiteral("PO-4"), QStringLiteral("ACK-4"), 100,
                       QStringLiteral("2026-12-01"))); // accepted
        QVERIFY(ingest(*m_store, evs));
        m_now = t0 + 3 * hour;
        scan();
        QStringList keys;
        for (const ExceptionItem &e : m_probe->byRule(QStringLiteral("ack_changed")))
            keys.append(e.documentKey);
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("ACK-1"), QStringLiteral("ACK-2")}));
    }

    void statusConflictPastItsGrace()
    {
        const QString shp = QStringLiteral("shipment");
        QVERIFY(ingest(*m_store, {{QStringLiteral("e1"), erp, QStringLiteral("pack.confirmed"), shp,
                                   QStringLiteral("SH-1"), t0 - 60000},
                                  {QStringLiteral("w1"), wms, QStringLiteral("shipment.dispatched"), shp,
                                   QStringLiteral("SH-1"), t0},
                                  {QStringLiteral("e2"), erp, QStringLiteral("pack.confirmed"), shp,
                                   QStringLiteral("SH-2"), t0 - 60000},
                                  {QStringLiteral("w2"), wms, QStringLiteral("shipment.dispatched"), shp,
                                   QStringLiteral("SH-2"), t0},
                                  {QStringLiteral("e3"), erp, QStringLiteral("shipment.dispatched"), shp,
                                   QStringLiteral("SH-2"), t0 + 10 * 60000}}));
        m_now = t0 + 59 * 60000;
        scan();
        QVERIFY(m_probe->byRule(QStringLiteral("status_conflict")).isEmpty()); // inside the grace period
        m_now = t0 + 61 * 60000;
        tick();
        const auto found = m_probe->byRule(QStringLiteral("status_conflict"));
        QCOMPARE(found.size(), 1); // SH-2's ERP caught up; SH-1's did not
        QCOMPARE(found.front().documentKey, QStringLiteral("SH-1"));
    }

    void invoiceNotMatchingPoOrReceipt()
    {
        QList<Ev> evs = purchaseOrder(QStringLiteral("PO-1")) + purchaseOrder(QStringLiteral("PO-2"));
        for (const auto &[n, price] : {std::pair{1, 10.9}, std::pair{2, 10.0}}) {
            evs.append({QStringLiteral("inv-%1").arg(n), portal, QStringLiteral("invoice.received"),
                        QStringLiteral("supplier_invoice"), QStringLiteral("SINV-%1").arg(n), t0 + 48 * hour,
                        QJsonArray{link(po, QStringLiteral("PO-%1").arg(n))},
                        withLines(lines({line(1, 100, {}, price)}))});
        }
        QVERIFY(ingest(*m_store, evs));
        scan();
        const auto found = m_probe->byRule(QStringLiteral("invoice_mismatch"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().documentKey, QStringLiteral("SINV-1"));
    }

    void sameDocumentTwiceWithDifferentContent()
    {
        QList<Ev> evs = purchaseOrder(QStringLiteral("PO-1")) + purchaseOrder(QStringLiteral("PO-2"));
        Ev changed = evs.at(0);
        changed.id = QStringLiteral("PO-1-c-again");
        changed.extra = withLines(lines({line(1, 150, QStringLiteral("2026-12-01"), 10.0)}));
        Ev same = evs.at(2);
        same.id = QStringLiteral("PO-2-c-again");
        evs << changed << same;
        QVERIFY(ingest(*m_store, evs));
        scan();
        const auto found = m_probe->byRule(QStringLiteral("duplicate_content"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().documentKey, QStringLiteral("PO-1"));
    }

    void orphanAfterGraceResolvesWhenItsDocumentIsReported()
    {
        QVERIFY(ingest(*m_store,
                       {{QStringLiteral("a1"), portal, QStringLiteral("asn.received"), QStringLiteral("asn"),
                         QStringLiteral("ASN-X1"), t0, QJsonArray{link(po, QStringLiteral("PO-99"))}},
                        {QStringLiteral("a2"), portal, QStringLiteral("asn.received"), QStringLiteral("asn"),
                         QStringLiteral("ASN-2"), t0, QJsonArray{link(po, QStringLiteral("PO-2"))}},
                        {QStringLiteral("p2"), erp, QStringLiteral("po.created"), po, QStringLiteral("PO-2"),
                         t0 - hour}}));
        m_now = t0 + hour;
        scan();
        QVERIFY(m_probe->byRule(QStringLiteral("orphan")).isEmpty()); // inside the grace period
        m_now = t0 + 3 * hour;
        tick();
        auto found = m_probe->byRule(QStringLiteral("orphan"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().documentKey, QStringLiteral("PO-99"));
        QVERIFY(ingest(*m_store, {{QStringLiteral("p99"), erp, QStringLiteral("po.created"), po,
                                   QStringLiteral("PO-99"), t0}}));
        scan();
        QCOMPARE(m_probe->byRule(QStringLiteral("orphan")).front().status, ExceptionStatus::Resolved);
    }

    void failedMessageResolvesOnDeliveryAndReopensOnRecurrence()
    {
        const QJsonObject msg{{QStringLiteral("message_id"), QStringLiteral("MSG-1")},
                              {QStringLiteral("destination"), QStringLiteral("portal")},
                              {QStringLiteral("http_status"), 422},
                              {QStringLiteral("reason"), QStringLiteral("unknown item number in line 2")}};
        const QJsonObject ok{{QStringLiteral("message_id"), QStringLiteral("MSG-1")}};
        QVERIFY(ingest(*m_store, {{QStringLiteral("m1"),
                                   erp,
                                   QStringLiteral("message.sent"),
                                   po,
                                   QStringLiteral("PO-1"),
                                   t0,
                                   {},
                                   ok},
                                  {QStringLiteral("m2"),
                                   erp,
                                   QStringLiteral("message.failed"),
                                   po,
                                   QStringLiteral("PO-1"),
                                   t0 + 60000,
                                   {},
                                   msg}}));
        scan();
        auto item = m_probe->byKey(QStringLiteral("message|MSG-1"));
        QVERIFY(item);
        QCOMPARE(item->rule, QStringLiteral("message_failed"));
        QCOMPARE(item->family, QStringLiteral("technical"));
        QCOMPARE(item->system, QStringLiteral("portal"));
        QVERIFY(item->eventRowId > 0);
        QCOMPARE(item->signature, QStringLiteral("message_failed|portal|unknown item number in line #"));

        QVERIFY(ingest(*m_store, {{QStringLiteral("m3"),
                                   erp,
                                   QStringLiteral("message.delivered"),
                                   po,
                                   QStringLiteral("PO-1"),
                                   t0 + 2 * 60000,
                                   {},
                                   ok}}));
        scan();
        QCOMPARE(m_probe->byKey(QStringLiteral("message|MSG-1"))->status, ExceptionStatus::Resolved);

        QJsonObject dead = msg;
        dead.insert(QStringLiteral("dead_letter_id"), QStringLiteral("DLQ-1"));
        QVERIFY(ingest(*m_store, {{QStringLiteral("m4"),
                                   erp,
                                   QStringLiteral("message.dead_lettered"),
                                   po,
                                   QStringLiteral("PO-1"),
                                   t0 + 3 * 60000,
                                   {},
                                   dead}}));
        scan();
        item = m_probe->byKey(QStringLiteral("message|MSG-1"));
        QCOMPARE(item->status, ExceptionStatus::New);
        QCOMPARE(item->rule, QStringLiteral("message_dead_lettered"));
        QCOMPARE(item->occurrences, 2);
        const ExceptionItem detail = m_probe->load(item->id);
        QStringList whats;
        for (const ExceptionHistoryEntry &h : detail.history)
            whats.append(h.what);
        QCOMPARE(whats, (QStringList{QStringLiteral("detected"), QStringLiteral("auto_resolve"),
                                     QStringLiteral("reopen")}));
        // Every change is in the audit log, and the chain holds.
        const auto audit = verifyAudit(m_probe->db());
        QVERIFY(audit.ok());
        QCOMPARE(audit->entries, 3);
        QVERIFY(audit->ok());
    }

    void quarantinedInputIsATechnicalException()
    {
        const CloudEventReader reader(QStringLiteral("feed.jsonl"));
        ParsedInput parsed;
        reader.readDocument("{\"specversion\": \"1.0\", \"id\": ", t0, parsed);
        QCOMPARE(parsed.quarantined.size(), 1);
        IngestBatch batch;
        batch.quarantined = parsed.quarantined;
        QSignalSpy spy(m_engine.get(), &ExceptionEngine::passFinished);
        connect(m_store.get(), &Store::committed, m_engine.get(), &ExceptionEngine::onCommitted,
                Qt::QueuedConnection);
        QVERIFY(m_store->ingestAndWait(batch).ok());
        QVERIFY(spy.wait(10000));
        const auto found = m_probe->byRule(QStringLiteral("input_quarantined"));
        QCOMPARE(found.size(), 1);
        QVERIFY(found.front().quarantineId > 0);
        QCOMPARE(found.front().system, QStringLiteral("feed.jsonl"));
        QCOMPARE(found.front().traceId, 0);
    }

    void aPersonsResolutionStandsUntilNewEvidence()
    {
        QList<Ev> evs = purchaseOrder(QStringLiteral("PO-1"));
        evs.append(ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 60, QStringLiteral("2026-12-01")));
        QVERIFY(ingest(*m_store, evs));
        scan();
        ExceptionItem item = m_probe->byRule(QStringLiteral("ack_changed")).value(0);
        QVERIFY(item.id > 0);
        // Resolved by hand (what the action service writes), then the trace moves on.
        ExceptionItem resolved = item;
        resolved.status = ExceptionStatus::Resolved;
        resolved.statusReason = QStringLiteral("accepted the supplier's quantity");
        QVERIFY(exceptiondb::update(m_probe->db(), resolved).ok());
        QVERIFY(ingest(*m_store, {{QStringLiteral("x"), erp, QStringLiteral("po.sent"), po,
                                   QStringLiteral("PO-1"), t0 + 5 * hour}}));
        scan();
        QCOMPARE(m_probe->byRule(QStringLiteral("ack_changed")).front().status, ExceptionStatus::Resolved);
        // A new acknowledgment that changes the quantity again is new evidence: it reopens.
        Ev again = ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 50, QStringLiteral("2026-12-01"),
                       t0 + 6 * hour);
        again.id = QStringLiteral("ack-1-again");
        QVERIFY(ingest(*m_store, {again}));
        scan();
        QCOMPARE(m_probe->byRule(QStringLiteral("ack_changed")).front().status, ExceptionStatus::New);
    }

    void rulesFromConfigurationChangeThresholdsAndSwitchRulesOff()
    {
        auto rules = ExceptionRules::fromJson(R"({"rules": {"receipt_tolerance": {"tolerance_percent": 5},
                                                  "orphan": {"enabled": false, "severity": "high"}}})");
        QVERIFY(rules);
        QCOMPARE(rules->receiptTolerancePercent, 5.0);
        QVERIFY(!rules->enabled(u"orphan"));
        QCOMPARE(rules->severity(u"orphan"), ExceptionSeverity::High);
        QCOMPARE(rules->ackWithinMs, 24 * hour); // untouched keys keep their defaults
        QVERIFY(!ExceptionRules::fromJson(R"({"rules": {"no_such_rule": {}}})"));
        QFile bundled(QStringLiteral(SIGHTLINE_SOURCE_DIR "/resources/exception-rules.json"));
        QVERIFY(bundled.open(QIODevice::ReadOnly));
        auto fromFile = ExceptionRules::fromJson(bundled.readAll());
        QVERIFY2(fromFile, qPrintable(fromFile.ok() ? QString() : fromFile.error()));
        const ExceptionRules d = ExceptionRules::defaults();
        QCOMPARE(fromFile->receiptTolerancePercent, d.receiptTolerancePercent);
        QCOMPARE(fromFile->orphanGraceMs, d.orphanGraceMs);
        QCOMPARE(fromFile->conflictGraceMs, d.conflictGraceMs);
        for (auto it = d.settings.cbegin(); it != d.settings.cend(); ++it)
            QCOMPARE(fromFile->severity(it.key()), it->severity);
    }

    // A start evaluates what changed since the last run, not every trace, and takes up the
    // time-based rules' next looks where the last run left them; other rules mean a full scan.
    void aRestartCatchesUpWithWhatChangedAndKeepsTheNextLooks()
    {
        m_engine.reset();
        QVERIFY(ingest(*m_store, purchaseOrder(QStringLiteral("PO-1")))); // its ack is due at t0 + 24 h
        QList<Ev> second = purchaseOrder(QStringLiteral("PO-2"));
        second.append(ack(QStringLiteral("PO-2"), QStringLiteral("ACK-2"), 60, QStringLiteral("2026-12-01")));
        QVERIFY(ingest(*m_store, second));
        m_now = t0 + 2 * hour;
        auto rulesRecorded = [this] {
            QSqlQuery q(m_probe->db());
            return q.exec(QStringLiteral("SELECT COUNT(*) FROM exception_engine_state")) && q.next() &&
                   q.value(0).toInt() == 1;
        };
        {
            ExceptionEngine first(m_store.get(), ExceptionRules::defaults(), [this] { return m_now; });
            QSignalSpy passes(&first, &ExceptionEngine::passFinished);
            first.start(true); // no rules recorded yet: every trace
            QTRY_VERIFY_WITH_TIMEOUT(!passes.isEmpty(), 10000);
            QCOMPARE(passes.first().at(0).toInt(), 2);
            QTRY_VERIFY_WITH_TIMEOUT(rulesRecorded(), 10000);
        }
        QCOMPARE(m_probe->byRule(QStringLiteral("ack_changed")).size(), 1);
        QVERIFY(m_probe->byRule(QStringLiteral("po_not_acknowledged")).isEmpty());

        // While no engine runs: PO-2's supplier sends another acknowledgment.
        QVERIFY(ingest(*m_store, {ack(QStringLiteral("PO-2"), QStringLiteral("ACK-2b"), 100,
                                      QStringLiteral("2026-12-01"), t0 + 3 * hour)}));
        m_now = t0 + 25 * hour;
        ExceptionEngine again(m_store.get(), ExceptionRules::defaults(), [this] { return m_now; });
        QSignalSpy passes(&again, &ExceptionEngine::passFinished);
        again.start(true);
        // Two passes of one trace each: PO-2 (new events), then PO-1 (its kept look came due).
        QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 2, 10000);
        QTest::qWait(200);
        QCOMPARE(passes.size(), 2);
        QCOMPARE(passes.at(0).at(0).toInt(), 1);
        QCOMPARE(passes.at(1).at(0).toInt(), 1);
        QCOMPARE(m_probe->byRule(QStringLiteral("po_not_acknowledged")).size(), 1);
        // Every trace is now evaluated through its last event, the one that arrived in between too.
        QSqlQuery q(m_probe->db());
        QVERIFY(
            q.exec(QStringLiteral("SELECT (SELECT MAX(evaluated_through) FROM exception_checks), "
                                  "(SELECT MAX(id) FROM events), (SELECT COUNT(*) FROM exception_checks)")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), q.value(1).toLongLong());
        QCOMPARE(q.value(2).toInt(), 2);

        // Other thresholds: every trace is evaluated again.
        ExceptionRules stricter = ExceptionRules::defaults();
        stricter.ackWithinMs = 12 * hour;
        QVERIFY(stricter.fingerprint() != ExceptionRules::defaults().fingerprint());
        ExceptionEngine changed(m_store.get(), stricter, [this] { return m_now; });
        QSignalSpy full(&changed, &ExceptionEngine::passFinished);
        changed.start(true);
        QTRY_VERIFY_WITH_TIMEOUT(!full.isEmpty(), 10000);
        QCOMPARE(full.first().at(0).toInt(), 2);
    }

    void engineOnItsOwnThreadFollowsTheStoresCommits()
    {
        m_engine.reset();
        ExceptionEngineThread thread(m_store.get(), ExceptionRules::defaults(), [] { return t0 + 2 * hour; });
        QCOMPARE(thread.engine()->thread()->objectName(), QStringLiteral("sightline-exceptions"));
        QList<Ev> evs = purchaseOrder(QStringLiteral("PO-1"));
        evs.append(ack(QStringLiteral("PO-1"), QStringLiteral("ACK-1"), 60, QStringLiteral("2026-12-01")));
        QVERIFY(ingest(*m_store, evs));
        QTRY_COMPARE_WITH_TIMEOUT(m_probe->byRule(QStringLiteral("ack_changed")).size(), 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestExceptionRules)
#include "tst_exceptionrules.moc"
