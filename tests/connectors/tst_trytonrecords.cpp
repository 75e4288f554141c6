// How Tryton's records map onto the canonical model, without a server: states onto milestones,
// references onto identifiers and links, exact bytes kept, unmappable records quarantined with
// their reason, and Tryton's types decoded.

#include "connectors/profile/connectionprofile.h"
#include "connectors/tryton/trytonclient.h"
#include "connectors/tryton/trytonpoller.h"
#include "connectors/tryton/trytonrecords.h"
#include "connectors/tryton/trytonvalues.h"
#include "scriptedhttp.h"
#include "trytonfixture.h"
#include "trytonpages.h"

#include <QTest>

using namespace sightline;
using json = nlohmann::json;

namespace {

tryton::PageMapping mapPage(const char *model, const char *text, const tryton::ReadBefore &before = {})
{
    const QByteArray body(text);
    const json answer = json::parse(body.constData());
    const auto span = tryton::memberSpan(body, "result");
    if (!span)
        return {};
    return tryton::mapRecords(QStringLiteral("erp-tryton"), QString::fromLatin1(model), body, *span,
                              answer.at("result"), QStringLiteral("page 1"), 1000, before);
}

} // namespace

class TrytonRecordsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void salesMapOntoMilestonesAndQuarantineWhatDoesNotMap();
    void recordsTheLastPollReadAreLeftOut();
    void movesLinkShipmentsToOrders();
    void trytonTypesDecode();
    void memberSpanFindsTheResult();
    void clientChecksEachLayer();
    void trytonProfiles();
};

void TrytonRecordsTest::salesMapOntoMilestonesAndQuarantineWhatDoesNotMap()
{
    const tryton::PageMapping page = mapPage("sale.sale", kSalePage);
    QCOMPARE(page.records, 4);
    QCOMPARE(page.skipped, 1); // the draft without a number
    // Sale 2: its creation and its state, the customer's PO as an identifier.
    QCOMPARE(page.input.events.size(), 2);
    const CanonicalEvent &created = page.input.events.at(0);
    const CanonicalEvent &processing = page.input.events.at(1);
    QCOMPARE(created.id, QStringLiteral("sale.sale/2/created"));
    QCOMPARE(created.milestone, QStringLiteral("order.created"));
    QCOMPARE(created.occurredMs,
             QDateTime(QDate(2026, 12, 1), QTime(5, 24, 57, 935), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(processing.id, QStringLiteral("sale.sale/2/processing"));
    QCOMPARE(processing.milestone, QStringLiteral("order.released"));
    QCOMPARE(processing.occurredMs,
             QDateTime(QDate(2026, 12, 1), QTime(5, 24, 58, 263), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(processing.source, QStringLiteral("erp-tryton"));
    QCOMPARE(processing.document->kind, DocumentKind::SalesOrder);
    QCOMPARE(processing.document->key, QStringLiteral("2"));
    QCOMPARE(processing.identifiers,
             QList<Identifier>{Identifier({QStringLiteral("customer_po"), QStringLiteral("PO-4712")})});
    QCOMPARE(processing.partner, QStringLiteral("ACME Retail"));
    QCOMPARE(processing.warehouse, QStringLiteral("WH"));
    QCOMPARE(processing.status, QStringLiteral("processing"));
    // The record's own bytes, cut from the answer.
    QVERIFY(processing.raw.startsWith("{\"id\":2,\"write_date\""));
    QVERIFY(processing.raw.endsWith("\"party.\":{\"name\":\"ACME Retail\",\"id\":2}}"));
    QVERIFY(QByteArray(kSalePage).contains(processing.raw));
    // An unknown state and a write date that is no datetime: quarantined with the reason and place.
    QCOMPARE(page.input.quarantined.size(), 2);
    QCOMPARE(page.input.quarantined.at(0).error,
             QStringLiteral("sale.sale 4: state 'on_hold' is not one Sightline knows"));
    QCOMPARE(page.input.quarantined.at(0).position, QStringLiteral("page 1 record 3"));
    QVERIFY(page.input.quarantined.at(0).raw.startsWith("{\"id\":4,"));
    QCOMPARE(page.input.quarantined.at(1).error, QStringLiteral("sale.sale 5: write_date is not a datetime"));
    // The newest change seen, to the microsecond, for the next poll.
    QCOMPARE(page.newest, QStringLiteral("2026-12-01T06:01:00.000005"));
}

void TrytonRecordsTest::recordsTheLastPollReadAreLeftOut()
{
    // The last poll ended at sale 2's write date, having read sale 2: polls read from that instant
    // inclusive (another record may change in the same microsecond), and sale 2 is left out.
    const tryton::PageMapping first = mapPage("sale.sale", kSalePage);
    QCOMPARE(first.newestIds, QList<qint64>{4});
    const tryton::PageMapping again =
        mapPage("sale.sale", kSalePage, {QStringLiteral("2026-12-01T05:24:58.263773"), {2}});
    QCOMPARE(again.unchanged, 1);
    QCOMPARE(again.input.events.size(), 0);
    QCOMPARE(again.input.quarantined.size(), 2);
    // Another record changed at that instant is read.
    const tryton::PageMapping other =
        mapPage("sale.sale", kSalePage, {QStringLiteral("2026-12-01T05:24:58.263773"), {7}});
    QCOMPARE(other.unchanged, 0);
    QCOMPARE(other.input.events.size(), 2);
}

void TrytonRecordsTest::movesLinkShipmentsToOrders()
{
    const tryton::PageMapping page = mapPage("stock.move", kMovePage);
    QCOMPARE(page.records, 3);
    QCOMPARE(page.skipped, 1); // the warehouse-internal move
    QCOMPARE(page.input.quarantined.size(), 0);
    QCOMPARE(page.input.events.size(), 2);
    const CanonicalEvent &out = page.input.events.at(0);
    QCOMPARE(out.id, QStringLiteral("stock.move/3"));
    QCOMPARE(out.document->kind, DocumentKind::Shipment);
    QCOMPARE(out.links.size(), 1);
    QCOMPARE(out.links.at(0).to.kind, DocumentKind::SalesOrder);
    QCOMPARE(out.links.at(0).to.key, QStringLiteral("1"));
    QCOMPARE(out.links.at(0).relation, QStringLiteral("fulfils"));
    QVERIFY(out.milestone.isEmpty());
    const CanonicalEvent &in = page.input.events.at(1);
    QCOMPARE(in.document->kind, DocumentKind::Receipt);
    QCOMPARE(in.links.at(0).to.kind, DocumentKind::PurchaseOrder);
    QCOMPARE(in.links.at(0).relation, QStringLiteral("receives"));
}

void TrytonRecordsTest::trytonTypesDecode()
{
    const json decimal = json::parse(R"({"__class__":"Decimal","decimal":"25.00"})");
    QCOMPARE(tryton::decimalOf(decimal).value_or(QString()), QStringLiteral("25.00"));
    QVERIFY(!tryton::decimalOf(json(25.0)));
    const json date = json::parse(R"({"__class__":"date","year":2026,"month":2,"day":30})");
    QVERIFY(!tryton::dateOf(date)); // no 30 February
    QCOMPARE(tryton::dateOf(tryton::dateValue(QDate(2026, 12, 24))).value_or(QDate()), QDate(2026, 12, 24));
    const json at = tryton::dateTimeValue(QStringLiteral("2026-12-01T05:24:59.279946"));
    QCOMPARE(at.at("microsecond").get<int>(), 279946);
    QCOMPARE(tryton::isoMicros(at), QStringLiteral("2026-12-01T05:24:59.279946"));
    QCOMPARE(tryton::dateTimeOf(at)->toMSecsSinceEpoch(),
             QDateTime(QDate(2026, 12, 1), QTime(5, 24, 59, 279), Qt::UTC).toMSecsSinceEpoch());
    QVERIFY(!tryton::dateTimeOf(json(nullptr)));
    QVERIFY(!tryton::textOf(json(nullptr)));
    // Tryton's errors for a person.
    QCOMPARE(tryton::describeRpcError(
                 json::parse(R"(["UserError", ["The shipment is done.", "Cancel it first.", null]])")),
             QStringLiteral("The shipment is done.: Cancel it first."));
    QCOMPARE(tryton::describeRpcError(
                 json::parse(R"(["division by zero", "Traceback (most recent call last): ..."])")),
             QStringLiteral("division by zero"));
}

void TrytonRecordsTest::memberSpanFindsTheResult()
{
    const QByteArray body = R"({"id": 1, "error": null, "result" : [{"a": "]}"}, 2]})";
    const auto span = tryton::memberSpan(body, "result");
    QVERIFY(span);
    QCOMPARE(body.mid(span->begin, span->end - span->begin), QByteArray(R"([{"a": "]}"}, 2])"));
    QVERIFY(!tryton::memberSpan(body, "missing"));
    QVERIFY(!tryton::memberSpan("[1, 2]", "result"));
    QVERIFY(!tryton::memberSpan(R"({"result": [1, 2)", "result"));
}

void TrytonRecordsTest::clientChecksEachLayer()
{
    // A server that speaks HTTP but not always Tryton's JSON-RPC.
    testing::ScriptedHttpServer server({
        R"({"id":1,"result":[7,"s3ss10n"]})",                 // common.db.login
        R"({"id":2,"result":{"company":3,"language":"en"}})", // the user's preferences
        "<html>Bad gateway</html>",                           // not JSON
        R"({"id":4,"jsonrpc":"2.0"})",                        // neither result nor error
        R"({"id":5,"result":{"not":"a list"}})",              // a result of the wrong shape
        R"({"id":6,"error":["UserError",["The shipment is done.",""]]})",
    });
    QTemporaryDir dir;
    QFile password(dir.filePath(QStringLiteral("pass")));
    QVERIFY(password.open(QIODevice::WriteOnly));
    password.write("secret-123\n");
    password.close();
    password.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    tryton::ServerSettings settings;
    settings.connection = QStringLiteral("erp");
    settings.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server.port()));
    settings.database = QStringLiteral("prod");
    settings.user = QStringLiteral("sync");
    settings.password = SecretRef::parse(QStringLiteral("file:") + password.fileName()).value();
    HttpRunner::Settings once;
    once.retry.maxAttempts = 1;
    tryton::Client client(settings, once);
    const json noArgs = json::array({json::array()});

    tryton::Reply r = testing::callTryton(client, QStringLiteral("model.sale.sale.search"), noArgs);
    QCOMPARE(r.failure, tryton::Reply::Failure::Json);
    QVERIFY2(r.error.contains(QStringLiteral("not a JSON-RPC object: <html>Bad gateway</html>")),
             qPrintable(r.error));
    r = testing::callTryton(client, QStringLiteral("model.sale.sale.search"), noArgs);
    QCOMPARE(r.failure, tryton::Reply::Failure::Shape);
    QVERIFY2(r.error.contains(QStringLiteral("neither a result nor an error")), qPrintable(r.error));
    r = testing::callTryton(client, QStringLiteral("model.sale.sale.search"), noArgs);
    QVERIFY(r.ok());
    r.shapeError(QStringLiteral("search should answer a list"));
    QCOMPARE(r.failure, tryton::Reply::Failure::Shape);
    QCOMPARE(r.error,
             QStringLiteral("Tryton's answer to model.sale.sale.search is not what was expected: search "
                            "should answer a list"));
    r = testing::callTryton(client, QStringLiteral("model.stock.shipment.out.cancel"), noArgs);
    QCOMPARE(r.failure, tryton::Reply::Failure::Rpc);
    QCOMPARE(r.error,
             QStringLiteral("Tryton (erp) refused model.stock.shipment.out.cancel: The shipment is done."));

    // What went over the wire: the login with the password, then the session and the context.
    const auto &requests = server.requests();
    QCOMPARE(requests.size(), 6);
    QVERIFY(requests.at(0).headers.startsWith("POST /prod/ "));
    QVERIFY(json::parse(requests.at(0).body.constData()).at("params") ==
            json::parse(R"(["sync", {"password": "secret-123"}, "en"])"));
    const QByteArray session = "Session " + QByteArray("sync:7:s3ss10n").toBase64();
    QVERIFY2(requests.at(2).headers.contains(QByteArray("Authorization: " + session)),
             requests.at(2).headers.constData());
    const json call = json::parse(requests.at(2).body.constData());
    QCOMPARE(call.at("method").get<std::string>(), std::string("model.sale.sale.search"));
    QVERIFY2(call.at("params") == json::parse(R"([[], {"company": 3, "language": "en"}])"),
             call.dump().c_str());
    QCOMPARE(client.logins(), 1);
}

void TrytonRecordsTest::trytonProfiles()
{
    const QByteArray good =
        R"({"connections": [{"name": "erp", "kind": "tryton", "url": "http://127.0.0.1:8000/",
        "database": "prod", "page_size": 50, "poll_interval_seconds": 10, "models": ["sale.sale", "stock.move"],
        "auth": {"type": "basic", "user": "sync", "password": "env:TRYTON_PASSWORD"}}]})";
    auto parsed = parseConnectionProfiles(good, QStringLiteral("c.json"));
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error()));
    const ConnectionProfile p = parsed->constFirst();
    QCOMPARE(p.kind, ConnectionProfile::Kind::Tryton);
    QCOMPARE(p.trytonDatabase, QStringLiteral("prod"));
    QCOMPARE(p.trytonPageSize, 50);
    QCOMPARE(p.trytonModels, QStringList({QStringLiteral("sale.sale"), QStringLiteral("stock.move")}));
    QCOMPARE(tryton::serverSettingsOf(p).password->describe(), QStringLiteral("env:TRYTON_PASSWORD"));
    // Written back as read, the password as its reference.
    const QByteArray written = connectionProfilesToJson({p});
    QVERIFY(written.contains("env:TRYTON_PASSWORD"));
    auto again = parseConnectionProfiles(written, QStringLiteral("c.json"));
    QVERIFY(again);
    QCOMPARE(again->constFirst().trytonModels, p.trytonModels);
    QCOMPARE(again->constFirst().trytonDatabase, p.trytonDatabase);

    const std::pair<const char *, const char *> refused[] = {
        {R"("url": "http://h/", "auth": {"type": "basic", "user": "u", "password": "env:P"})",
         "needs its 'database'"},
        {R"("url": "http://h/", "database": "d", "auth": {"type": "bearer", "token": "env:P"})",
         "auth type 'basic'"},
        {R"("url": "http://h/", "database": "d", "auth": {"type": "basic", "user": "u", "password": "hunter2"})",
         "'password'"},
        {R"("url": "http://h/", "database": "d", "models": ["account.invoice"],
            "auth": {"type": "basic", "user": "u", "password": "env:P"})",
         "'account.invoice' is not one the connector reads"},
    };
    for (const auto &[fields, why] : refused) {
        const QByteArray text =
            QByteArray(R"({"connections": [{"name": "erp", "kind": "tryton", )") + fields + "}]}";
        auto r = parseConnectionProfiles(text, QStringLiteral("c.json"));
        QVERIFY2(!r, fields);
        QVERIFY2(r.error().contains(QLatin1String(why)), qPrintable(r.error()));
        QVERIFY(!r.error().contains(QStringLiteral("hunter2")));
    }
}

QTEST_GUILESS_MAIN(TrytonRecordsTest)
#include "tst_trytonrecords.moc"
