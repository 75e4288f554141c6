// Business corrections (SPEC.md §4) against the sandbox over real HTTP: accepting a supplier's
// changed quantity writes the ERP's purchase-order line, adjusting a receipt writes the WMS
// receipt, each one write call with an idempotency key (pressed twice, applied once), audited with
// the reason; the role is checked by the service on the document written to (a buyer may not
// adjust a receipt, a supervisor may not correct a PO, customer service may do neither).

#include "models/actions/actionservice.h"
#include "models/audit/auditlog.h"
#include "sandboxexceptions.h"
#include "sandboxreplaysender.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 kNow = at("2026-11-20T09:00:00Z");
} // namespace

class TestCorrections : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;

    QList<ExceptionItem> open(const QString &rule)
    {
        ExceptionFilter f;
        f.type = rule;
        f.statuses = {QStringLiteral("new")};
        return m_probe->all(f);
    }
    QString purchaseOrderOf(const ExceptionItem &e)
    {
        QSqlQuery q(m_probe->db());
        q.prepare(
            QStringLiteral("SELECT doc_key FROM documents WHERE trace_id = ? AND kind = 'purchase_order'"));
        q.addBindValue(e.traceId);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<sandbox::SandboxServer>(correctionSandboxOptions());
        QVERIFY(m_server->start().ok());
        auto store = Store::open(m_dir.filePath(QStringLiteral("corrections.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
        QVERIFY(storeAndDetect(*m_server, *m_store, kNow));
    }

    void cleanupTestCase()
    {
        m_probe.reset();
        m_store.reset();
        m_server.reset();
    }

    void callsAreTheOwningSystemsWriteCalls()
    {
        ExceptionItem item;
        item.id = 5;
        item.documentKind = QStringLiteral("receipt");
        item.documentKey = QStringLiteral("RCV-1");
        Correction adjust{CorrectionKind::AdjustReceiptQuantity, {}, {}, 2, 95.0, {}};
        auto a = correctionActionFor(item, adjust);
        QVERIFY(a);
        QCOMPARE(a->connection, QStringLiteral("wms"));
        QCOMPARE(a->path, QStringLiteral("receipts/RCV-1/lines/2/adjust"));
        QCOMPARE(a->body, QByteArray(R"({"quantity":95})"));
        QCOMPARE(correctionActionFor(item, adjust)->idempotencyKey, a->idempotencyKey);
        Correction move{CorrectionKind::MovePromisedDate,
                        QStringLiteral("purchase_order"),
                        QStringLiteral("PO-9"),
                        1,
                        {},
                        QDate(2026, 12, 1)};
        auto m = correctionActionFor(item, move);
        QVERIFY(m);
        QCOMPARE(m->path, QStringLiteral("purchase-orders/PO-9/lines/1/correct"));
        QCOMPARE(m->body, QByteArray(R"({"promised_date":"2026-12-01"})"));
        QVERIFY(!correctionActionFor(item, {CorrectionKind::MovePromisedDate, {}, {}, 1, {}, {}})); // no date
        QVERIFY(!correctionActionFor(item,
                                     {CorrectionKind::AdjustReceiptQuantity, {}, {}, 0, 3.0, {}})); // no line
        Correction cancel{
            CorrectionKind::CancelLine, QStringLiteral("sales_order"), QStringLiteral("SO-1"), 3, {}, {}};
        QCOMPARE(correctionActionFor(item, cancel)->path, QStringLiteral("sales-orders/SO-1/lines/3/cancel"));
    }

    // What a dialog offers: the corrections that fit the trace's documents, the rule's first.
    void choicesFollowTheRuleAndTheTrace()
    {
        const auto changed = open(QStringLiteral("ack_changed"));
        QVERIFY(!changed.isEmpty());
        const ExceptionItem ack = m_probe->load(changed.front().id);
        const QString po = purchaseOrderOf(ack);
        QVERIFY(ack.traceDocuments.contains(RelatedDocument{QStringLiteral("purchase_order"), po}));
        const QList<CorrectionChoice> forAck = correctionChoices(ack);
        QVERIFY(!forAck.isEmpty());
        QCOMPARE(forAck.front().kind, CorrectionKind::AcceptSupplierChange);
        QCOMPARE(forAck.front().documentKey, po);
        QCOMPARE(forAck.front().label,
                 QStringLiteral("Accept the supplier's change on purchase order ") + po);
        // The suggested choice writes to the purchase order, not to the acknowledgment it was raised on.
        const CorrectionChoice &first = forAck.front();
        const auto call =
            correctionActionFor(ack, {first.kind, first.documentKind, first.documentKey, 1, 17.0, {}});
        QVERIFY2(call, call ? "" : qPrintable(call.error()));
        QCOMPARE(call->path, QStringLiteral("purchase-orders/%1/lines/1/correct").arg(po));
        const auto off = open(QStringLiteral("receipt_tolerance"));
        QVERIFY(!off.isEmpty());
        const QList<CorrectionChoice> forReceipt = correctionChoices(m_probe->load(off.front().id));
        QCOMPARE(forReceipt.front().kind, CorrectionKind::AdjustReceiptQuantity);
        QCOMPARE(forReceipt.front().documentKey, off.front().documentKey);
        QVERIFY(forReceipt.front().needsQuantity && !forReceipt.front().needsDate);
        ExceptionItem quarantined; // no trace, no document: nothing to correct
        quarantined.rule = QStringLiteral("input_quarantined");
        QVERIFY(correctionChoices(quarantined).isEmpty());
    }

    void acceptTheSuppliersChangedQuantity()
    {
        const auto changed = open(QStringLiteral("ack_changed"));
        QVERIFY2(!changed.isEmpty(), "the scenario has no changed acknowledgment");
        const ExceptionItem e = changed.front();
        const QString po = purchaseOrderOf(e);
        QVERIFY(!po.isEmpty());
        SandboxReplaySender writes(m_server->httpPort());
        Correction accept{
            CorrectionKind::AcceptSupplierChange, QStringLiteral("purchase_order"), po, 1, 17.0, {}};
        ActionRequest r{ActionKind::Correct, e.id};
        r.correction = accept;
        r.reason = QStringLiteral("supplier confirmed 17 by phone");
        // Roles: the service refuses whoever may not write a purchase order.
        for (Role role : {Role::CustomerService, Role::WarehouseSupervisor, Role::Manager}) {
            ActionService other(m_store.get(), {roleName(role), role}, &writes, [] { return kNow; });
            auto refused = other.performAndWait(r);
            QVERIFY(refused.ok() && !refused->done);
        }
        QCOMPARE(writes.sent, 0);
        ActionService buyer(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &writes,
                            [] { return kNow; });
        QVERIFY(buyer.allowedActions(e).contains(ActionKind::Correct));
        auto out = buyer.performAndWait(r);
        QVERIFY(out.ok());
        QVERIFY2(out->done, qPrintable(out->message));
        QCOMPARE(out->response->httpStatus, 200);
        // Pressed again: the same key, applied once.
        auto again = buyer.performAndWait(r);
        QVERIFY(again.ok() && again->done);
        QCOMPARE(again->replay->idempotencyKey, out->replay->idempotencyKey);
        QVERIFY(again->response->replayedByTarget);
        int applied = 0;
        for (const QJsonValue &v : sandboxWrites(m_server->httpPort())) {
            const QJsonObject w = v.toObject();
            if (w.value(QStringLiteral("key")).toString() != out->replay->idempotencyKey)
                continue;
            QCOMPARE(w.value(QStringLiteral("path")).toString(),
                     QStringLiteral("/erp/api/v1/purchase-orders/%1/lines/1/correct").arg(po));
            QCOMPARE(w.value(QStringLiteral("body")).toObject().value(QStringLiteral("quantity")).toDouble(),
                     17.0);
            applied += w.value(QStringLiteral("replayed")).toBool() ? 0 : 1;
        }
        QCOMPARE(applied, 1);
        // Audited with the reason and the correction.
        const QList<AuditEntry> entries = readAudit(m_probe->db(), 0, 0, e.id).value();
        bool audited = false;
        for (const AuditEntry &a : entries) {
            if (a.action == QStringLiteral("correct") && a.result == QStringLiteral("applied")) {
                audited = true;
                QCOMPARE(a.reason, QStringLiteral("supplier confirmed 17 by phone"));
                QVERIFY2(a.request.contains(QStringLiteral("accept_supplier_change")), qPrintable(a.request));
                QCOMPARE(a.role, QStringLiteral("buyer"));
            }
        }
        QVERIFY(audited);
        QVERIFY(verifyAudit(m_probe->db())->ok());
    }

    void adjustAReceiptQuantity()
    {
        const auto off = open(QStringLiteral("receipt_tolerance"));
        QVERIFY2(!off.isEmpty(), "the scenario has no receipt beyond tolerance");
        const ExceptionItem e = off.front();
        QCOMPARE(e.documentKind, QStringLiteral("receipt"));
        SandboxReplaySender writes(m_server->httpPort());
        ActionRequest r{ActionKind::Correct, e.id};
        r.correction = Correction{CorrectionKind::AdjustReceiptQuantity, {}, {}, 1, 12.0, {}};
        ActionService buyer(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &writes,
                            [] { return kNow; });
        r.reason = QStringLiteral("recounted");
        QVERIFY(!buyer.performAndWait(r)->done); // a receipt is a warehouse document
        ActionService wes(m_store.get(), {QStringLiteral("wes"), Role::WarehouseSupervisor}, &writes,
                          [] { return kNow; });
        r.reason.clear();
        QVERIFY(!wes.performAndWait(r)->done); // a reason is required
        QCOMPARE(writes.sent, 0);
        r.reason = QStringLiteral("recounted");
        auto out = wes.performAndWait(r);
        QVERIFY(out.ok());
        QVERIFY2(out->done, qPrintable(out->message));
        QCOMPARE(out->response->httpStatus, 200);
        QCOMPARE(out->replay->path, QStringLiteral("receipts/%1/lines/1/adjust").arg(e.documentKey));
        QCOMPARE(writes.sent, 1);
    }
};

QTEST_GUILESS_MAIN(TestCorrections)
#include "tst_corrections.moc"
