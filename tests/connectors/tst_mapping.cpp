#include "models/mapping/mapping.h"

#include <QtTest>

using namespace sightline;

namespace {

const char kErpMapping[] = R"({
  "name": "ERP sales orders",
  "source": "erp-test",
  "system": "erp",
  "rules": [
    {
      "name": "sales order",
      "when": {"pointer": "/record", "equals": "sales_order"},
      "id": "{/number}@{/updated_at}",
      "type": "erp.sales_order.{/status}",
      "document": {"kind": "sales_order", "key": "/number"},
      "identifiers": {"customer_po": "/customer_po"},
      "links": [
        {"kind": "release", "key": "/release", "relation": "released_as"},
        {"kind": "sales_order_line", "forEach": "/lines", "key": "{^/number}/{/line}", "relation": "has_line"}
      ],
      "milestone": {"pointer": "/status", "values": {"open": "order.created", "released": "order.released", "draft": null}},
      "time": {"pointer": "/updated_at", "formats": ["rfc3339", "yyyy-MM-dd HH:mm:ss"], "timezone": "Europe/Berlin"},
      "partner": "/customer/name",
      "warehouse": "/warehouse"
    },
    {
      "name": "invoice",
      "when": [{"pointer": "/record", "equals": "invoice"}, {"pointer": "/posted", "exists": true}],
      "id": "inv-{/id}",
      "document": {"kind": "invoice", "key": "/id"},
      "links": [{"kind": "sales_order", "key": "/order"}],
      "milestone": "invoice.posted",
      "time": {"pointer": "/posted", "formats": ["epoch_s"]}
    }
  ]
})";

Mapping erpMapping()
{
    auto m = Mapping::parse(kErpMapping, QStringLiteral("erp.json"));
    if (!m)
        qFatal("%s", qPrintable(m.error()));
    return m.value();
}

ParsedInput mapOne(const Mapping &m, const QByteArray &payload)
{
    ParsedInput out;
    m.map(payload, QStringLiteral("erp"), QStringLiteral("record 1"), 1000, out);
    return out;
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapsAFullRecord()
    {
        const QByteArray payload =
            R"({"record":"sales_order","number":"SO-7","customer_po":"CPO-1","status":"released",
            "release":"REL-9","lines":[{"line":1},{"line":2}],"updated_at":"2026-11-20T08:00:00Z",
            "customer":{"name":"Acme"},"warehouse":"WH-EAST"})";
        const ParsedInput out = mapOne(erpMapping(), payload);
        QCOMPARE(out.quarantined.size(), 0);
        QCOMPARE(out.events.size(), 1);
        const CanonicalEvent &ev = out.events.constFirst();
        QCOMPARE(ev.source, QStringLiteral("erp-test"));
        QCOMPARE(ev.id, QStringLiteral("SO-7@2026-11-20T08:00:00Z"));
        QCOMPARE(ev.type, QStringLiteral("erp.sales_order.released"));
        QCOMPARE(ev.milestone, QStringLiteral("order.released"));
        QCOMPARE(ev.status, QStringLiteral("released"));
        QCOMPARE(ev.system, QStringLiteral("erp"));
        QCOMPARE(ev.partner, QStringLiteral("Acme"));
        QCOMPARE(ev.warehouse, QStringLiteral("WH-EAST"));
        QVERIFY(ev.document.has_value());
        QCOMPARE(ev.document->key, QStringLiteral("SO-7"));
        QCOMPARE(ev.identifiers,
                 (QList<Identifier>{{QStringLiteral("customer_po"), QStringLiteral("CPO-1")}}));
        QCOMPARE(ev.links.size(), 3);
        QCOMPARE(ev.links.at(0).to, (DocumentRef{DocumentKind::Release, QStringLiteral("REL-9")}));
        QCOMPARE(ev.links.at(2).to, (DocumentRef{DocumentKind::SalesOrderLine, QStringLiteral("SO-7/2")}));
        QCOMPARE(ev.occurredMs, 1795161600000LL);
        QCOMPARE(ev.raw, payload);
    }

    void localTimeFormatUsesTheRuleTimeZone()
    {
        const ParsedInput out = mapOne(
            erpMapping(),
            R"({"record":"sales_order","number":"SO-8","status":"open","updated_at":"2026-07-01 10:00:00"})");
        QCOMPARE(out.events.size(), 1);
        // 10:00 in Berlin in summer is 08:00 UTC.
        QCOMPARE(out.events.constFirst().occurredMs,
                 QDateTime(QDate(2026, 7, 1), QTime(8, 0), Qt::UTC).toMSecsSinceEpoch());
    }

    void secondRuleWithLiteralMilestoneAndEpochSeconds()
    {
        const ParsedInput out =
            mapOne(erpMapping(), R"({"record":"invoice","id":"INV-1","order":"SO-7","posted":1795161600})");
        QCOMPARE(out.events.size(), 1);
        QCOMPARE(out.events.constFirst().milestone, QStringLiteral("invoice.posted"));
        QCOMPARE(out.events.constFirst().type, QStringLiteral("invoice.posted"));
        QCOMPARE(out.events.constFirst().occurredMs, 1795161600000LL);
        QCOMPARE(out.events.constFirst().links.constFirst().to.key, QStringLiteral("SO-7"));
    }

    void failuresGoToQuarantineWithFileRuleAndPath_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{oops") << QStringLiteral("malformed JSON");
        QTest::newRow("no rule") << QByteArray(R"({"record":"shipment"})")
                                 << QStringLiteral("mapping erp.json: no rule matches");
        QTest::newRow("condition exists fails")
            << QByteArray(R"({"record":"invoice","id":"I"})") << QStringLiteral("no rule matches");
        QTest::newRow("missing key")
            << QByteArray(R"({"record":"sales_order","status":"open","updated_at":"2026-01-01T00:00:00Z"})")
            << QStringLiteral("rule 'sales order': id needs /number is missing");
        QTest::newRow("unmapped status")
            << QByteArray(
                   R"({"record":"sales_order","number":"S","status":"weird","updated_at":"2026-01-01T00:00:00Z"})")
            << QStringLiteral("/status 'weird' has no milestone");
        QTest::newRow("bad time")
            << QByteArray(R"({"record":"sales_order","number":"S","status":"open","updated_at":"yesterday"})")
            << QStringLiteral("time /updated_at 'yesterday' matches none of the formats");
        QTest::newRow("object where value expected")
            << QByteArray(
                   R"({"record":"sales_order","number":{"a":1},"status":"open","updated_at":"2026-01-01T00:00:00Z"})")
            << QStringLiteral("/number is object, not a value");
        QTest::newRow("forEach not array")
            << QByteArray(
                   R"({"record":"sales_order","number":"S","status":"open","lines":5,"updated_at":"2026-01-01T00:00:00Z"})")
            << QStringLiteral("forEach /lines is number, not an array");
    }

    void failuresGoToQuarantineWithFileRuleAndPath()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, reason);
        const ParsedInput out = mapOne(erpMapping(), payload);
        QCOMPARE(out.events.size(), 0);
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY2(out.quarantined.constFirst().error.contains(reason),
                 qPrintable(out.quarantined.constFirst().error));
        QCOMPARE(out.quarantined.constFirst().raw, payload);
        QCOMPARE(out.quarantined.constFirst().position, QStringLiteral("record 1"));
    }

    void statusMappedToNullIsNoMilestoneButNoError()
    {
        const ParsedInput out = mapOne(
            erpMapping(),
            R"({"record":"sales_order","number":"S","status":"draft","updated_at":"2026-01-01T00:00:00Z"})");
        QCOMPARE(out.quarantined.size(), 0);
        QCOMPARE(out.events.size(), 1);
        QVERIFY(out.events.constFirst().milestone.isEmpty());
    }

    void badMappingFilesNameFileAndRule_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("m.json: not valid JSON");
        QTest::newRow("no rules") << QByteArray(R"({"rules":[]})") << QStringLiteral("non-empty 'rules'");
        QTest::newRow("no id")
            << QByteArray(R"({"source":"s","rules":[{"name":"r","document":{"kind":"asn","key":"/k"}}]})")
            << QStringLiteral("m.json: rule 'r': 'id' is required");
        QTest::newRow("bad kind")
            << QByteArray(
                   R"({"source":"s","rules":[{"name":"r","id":"/i","document":{"kind":"ship","key":"/k"}}]})")
            << QStringLiteral("rule 'r': document.kind 'ship' is not a document kind");
        QTest::newRow("bad milestone")
            << QByteArray(
                   R"({"source":"s","rules":[{"name":"r","id":"/i","document":{"kind":"asn","key":"/k"},"milestone":"asn.sent"}]})")
            << QStringLiteral("milestone 'asn.sent' is not a canonical milestone");
        QTest::newRow("bad pointer")
            << QByteArray(
                   R"({"source":"s","rules":[{"name":"r","id":"{/a~2}","document":{"kind":"asn","key":"/k"}}]})")
            << QStringLiteral("rule 'r': 'id' holds an invalid JSON pointer");
        QTest::newRow("no source")
            << QByteArray(R"({"rules":[{"name":"r","id":"/i","document":{"kind":"asn","key":"/k"}}]})")
            << QStringLiteral("rule 'r': no 'source'");
        QTest::newRow("bad zone")
            << QByteArray(
                   R"({"source":"s","rules":[{"name":"r","id":"/i","document":{"kind":"asn","key":"/k"},"time":{"pointer":"/t","timezone":"Mars/Base"}}]})")
            << QStringLiteral("time.timezone is not a known IANA time zone");
    }

    void badMappingFilesNameFileAndRule()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto m = Mapping::parse(text, QStringLiteral("m.json"));
        QVERIFY(!m.ok());
        QVERIFY2(m.error().contains(message), qPrintable(m.error()));
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
